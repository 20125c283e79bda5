/** Reading an imported dataset back for training: normalised text, or numeric CSV columns. */
import type { FileSystem } from '../fs/file-system';
import { datasetSourcePath } from '../store/datasets';
import type { DatasetRecord } from '../store/schemas';
import { CsvReader } from './csv-reader';
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

/** The numeric columns of a CSV dataset by name; missing cells are NaN. */
export async function readCsvColumns(fs: FileSystem, dir: string, record: DatasetRecord): Promise<Map<string, Float64Array>> {
  const rows: Float64Array[] = [];
  const reader = new CsvReader((values) => rows.push(values));
  await streamDatasetText(fs, dir, record, (t) => reader.push(t));
  const stats = reader.finish();
  const out = new Map<string, Float64Array>();
  stats.columns.forEach((col, j) => {
    if (col.kind !== 'numeric') return;
    const series = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) series[i] = rows[i]![j]!;
    out.set(col.name, series);
  });
  return out;
}
