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

/**
 * Collects a CsvReader's rows into a CsvTable, column by column in growing typed arrays (no
 * object per row), keeping cell texts only for columns that may still be time columns.
 */
export class CsvTableBuilder {
  readonly reader: CsvReader;
  private values: Float64Array[] = [];
  private texts: (string[] | null)[] = [];
  private readonly lines: number[] = [];
  private rows = 0;

  constructor(options: CsvReaderOptions = {}) {
    this.reader = new CsvReader((values, line, cells) => this.add(values, line, cells), options);
  }

  private add(values: Float64Array, line: number, cells: readonly string[]): void {
    if (this.rows === 0) {
      this.values = Array.from(values, () => new Float64Array(1024));
      this.texts = Array.from(values, () => []);
    }
    if (this.rows === this.values[0]!.length) {
      this.values = this.values.map((v) => {
        const grown = new Float64Array(v.length * 2);
        grown.set(v);
        return grown;
      });
    }
    for (let j = 0; j < values.length; j++) {
      this.values[j]![this.rows] = values[j]!;
      const texts = this.texts[j];
      if (texts === null || texts === undefined) continue;
      const kind = this.reader.kindOf(j);
      if (kind === 'time' || kind === 'undecided') texts.push(cells[j]!);
      else this.texts[j] = null; // numeric or label: its texts are not needed
    }
    this.lines.push(line);
    this.rows++;
  }

  finish(): CsvTable {
    const stats = this.reader.finish();
    const columns = new Map<string, Float64Array>();
    const times = new Map<string, string[]>();
    stats.columns.forEach((col, j) => {
      if (col.kind === 'label') return;
      columns.set(col.name, this.values[j]!.slice(0, this.rows));
      if (col.kind === 'time') times.set(col.name, this.texts[j]!);
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
