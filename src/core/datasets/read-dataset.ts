/** Reading an imported dataset back for training: normalised text, or numeric CSV columns. */
import type { FileSystem } from '../fs/file-system';
import { datasetSourcePath } from '../store/datasets';
import type { CsvStats, DatasetRecord } from '../store/schemas';
import { CsvReader, type CsvReaderOptions } from './csv-reader';
import { SourceDecoder } from './source-decoder';

/** Streams an imported dataset as decoded text chunks (LF line ends), never holding it whole. */
export async function streamDatasetText(fs: FileSystem, dir: string, record: DatasetRecord, onText: (text: string) => void, chunkBytes = 1 << 20): Promise<void> {
  const handle = await fs.openRead(datasetSourcePath(dir, record));
  try {
    const decoder = new SourceDecoder(onText);
    const buffer = new Uint8Array(chunkBytes);
    let pos = 0;
    for (;;) {
      const n = await handle.read(buffer, pos);
      if (n === 0) break;
      pos += n;
      decoder.push(buffer.subarray(0, n));
    }
    decoder.end();
  } finally {
    await handle.close();
  }
}

/** The dataset's text with LF line ends (BOM removed, decoded from its stored encoding). */
export async function readDatasetText(fs: FileSystem, dir: string, record: DatasetRecord): Promise<string> {
  const parts: string[] = [];
  await streamDatasetText(fs, dir, record, (t) => parts.push(t));
  return parts.join('');
}

/**
 * A CSV file read whole, column by column: numeric columns as numbers, time columns as
 * milliseconds since the epoch (UTC) with their texts kept for messages and axes; NaN where a
 * cell is missing. Label columns are left out.
 */
export interface CsvTable {
  stats: CsvStats;
  columns: Map<string, Float64Array>;
  times: Map<string, string[]>;
  /** 1-based file line of each data row. */
  lines: number[];
}

/** Collects a CsvReader's rows into a CsvTable. */
export class CsvTableBuilder {
  readonly reader: CsvReader;
  private readonly rows: Float64Array[] = [];
  private readonly lines: number[] = [];
  private readonly cells: (readonly string[])[] = [];

  constructor(options: CsvReaderOptions = {}) {
    this.reader = new CsvReader((values, line, cells) => {
      this.rows.push(values);
      this.lines.push(line);
      this.cells.push(cells);
    }, options);
  }

  finish(): CsvTable {
    const stats = this.reader.finish();
    const columns = new Map<string, Float64Array>();
    const times = new Map<string, string[]>();
    stats.columns.forEach((col, j) => {
      if (col.kind === 'label') return;
      columns.set(col.name, Float64Array.from(this.rows, (r) => r[j]!));
      if (col.kind === 'time') times.set(col.name, this.cells.map((c) => c[j]!));
    });
    return { stats, columns, times, lines: this.lines };
  }
}

/** An imported CSV dataset as a CsvTable. */
export async function readCsvTable(fs: FileSystem, dir: string, record: DatasetRecord): Promise<CsvTable> {
  const builder = new CsvTableBuilder({ requireNumeric: false });
  await streamDatasetText(fs, dir, record, (t) => builder.reader.push(t));
  return builder.finish();
}

/** The numeric columns of a CSV dataset by name; missing cells are NaN. */
export async function readCsvColumns(fs: FileSystem, dir: string, record: DatasetRecord): Promise<Map<string, Float64Array>> {
  const table = await readCsvTable(fs, dir, record);
  const out = new Map<string, Float64Array>();
  for (const col of table.stats.columns) if (col.kind === 'numeric') out.set(col.name, table.columns.get(col.name)!);
  return out;
}
