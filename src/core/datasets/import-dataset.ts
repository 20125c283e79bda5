/**
 * Imports a text or CSV file into `datasets/<id>/`: the source is copied byte for byte into
 * `source.<ext>` while it is hashed (SHA-256), decoded and counted in chunks, so memory stays
 * bounded by the chunk size and the token tables, not the file size. The dataset folder is built
 * in staging and renamed into place only when everything succeeded; a refusal leaves the project
 * folder byte-identical.
 */
import { createHash } from 'node:crypto';
import { basename, extname, join } from 'node:path';
import { FsError, type FileSystem, type ReadHandle, type WriteHandle } from '../fs/file-system';
import { writeFileDurable } from '../fs/atomic-write';
import { ensureDir } from '../fs/fs-utils';
import { newId, assertValidId } from '../store/ids';
import { jsonBytes } from '../store/json-file';
import { DATASET_FILE, datasetDir, datasetsDir } from '../store/layout';
import { readProjectInfo } from '../store/project';
import { datasetFileSchema, type DatasetRecord } from '../store/schemas';
import { commitStaging, createStaging, discardStaging } from '../store/staging';
import type { Cleaning } from '../../engine/text';
import { CsvReader } from './csv-reader';
import { DatasetError } from './dataset-error';
import { SourceDecoder } from './source-decoder';
import { TextStatsAccumulator } from './text-stats';

export const DEFAULT_MAX_IMPORT_BYTES = 1024 * 1024 * 1024;

export interface ImportOptions {
  name?: string;
  /** Default: `csv` for .csv/.tsv files, `text` otherwise. */
  kind?: 'text' | 'csv';
  /** Files above this size are refused with `TooLarge` (default 1 GiB). */
  maxBytes?: number;
  /** For the `<unk>` rate and vocabulary size in the statistics (default 1). */
  minFreq?: number;
  /** Cleaning applied before tokenising for the statistics (default `none`). */
  cleaning?: Cleaning;
  /** How many most frequent tokens to record (default 20). */
  topK?: number;
  chunkBytes?: number;
  id?: string;
  /** Called after each chunk is copied; callers throttle it for the UI. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

function sourceExtension(path: string, kind: 'text' | 'csv'): string {
  const ext = extname(path).slice(1).toLowerCase();
  return /^[a-z0-9]{1,8}$/.test(ext) ? ext : kind === 'csv' ? 'csv' : 'txt';
}

export async function importDataset(fs: FileSystem, dir: string, sourcePath: string, options: ImportOptions = {}): Promise<DatasetRecord> {
  await readProjectInfo(fs, dir);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_IMPORT_BYTES;
  const st = await fs.stat(sourcePath);
  if (st === undefined) throw new DatasetError('NotFound', { path: sourcePath });
  if (st.kind !== 'file') throw new DatasetError('NotAFile', { path: sourcePath });
  if (st.size === 0) throw new DatasetError('Empty', { path: sourcePath });
  if (st.size > maxBytes) throw new DatasetError('TooLarge', { bytes: st.size, maxBytes });

  const ext0 = extname(sourcePath).toLowerCase();
  const kind = options.kind ?? (ext0 === '.csv' || ext0 === '.tsv' ? 'csv' : 'text');
  const id = assertValidId(options.id ?? newId('ds'), 'dataset');
  datasetDir(dir, id); // validates containment before anything is written
  const file = `source.${sourceExtension(sourcePath, kind)}`;
  const minFreq = Math.max(1, Math.floor(options.minFreq ?? 1));
  const cleaning = options.cleaning ?? 'none';

  const hadDatasetsDir = (await fs.stat(datasetsDir(dir))) !== undefined;
  await ensureDir(fs, datasetsDir(dir));
  const staging = await createStaging(fs, datasetsDir(dir), id);
  let input: ReadHandle | undefined;
  let output: WriteHandle | undefined;
  try {
    const stats = kind === 'text' ? new TextStatsAccumulator({ cleaning, minFreq, topK: options.topK ?? 20 }) : undefined;
    const csv = kind === 'csv' ? new CsvReader() : undefined;
    const decoder = new SourceDecoder((text) => (stats ?? csv!).push(text));
    const hash = createHash('sha256');
    input = await fs.openRead(sourcePath);
    output = await fs.openWrite(join(staging, file), 'create');
    const buffer = new Uint8Array(options.chunkBytes ?? 1 << 20);
    let total = 0;
    for (;;) {
      const n = await input.read(buffer, total);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw new DatasetError('TooLarge', { bytes: total, maxBytes });
      const chunk = buffer.subarray(0, n);
      await output.write(chunk);
      hash.update(chunk);
      decoder.push(chunk);
      options.onProgress?.(total, st.size);
    }
    decoder.end();
    if (decoder.characters === 0) throw new DatasetError('Empty', { path: sourcePath });
    await output.sync();
    await output.close();
    output = undefined;

    const newlines = decoder.breaks.lf + decoder.breaks.crlf + decoder.breaks.cr;
    const record: DatasetRecord = {
      formatVersion: 1,
      id,
      name: (options.name ?? basename(sourcePath)).trim().slice(0, 200) || id,
      kind,
      created: new Date().toISOString(),
      source: { file, originalName: basename(sourcePath).slice(0, 1000), bytes: total, sha256: hash.digest('hex'), encoding: decoder.encoding! },
      stats:
        stats !== undefined
          ? {
              kind: 'text',
              characters: decoder.characters,
              lines: newlines + (decoder.lastChar !== '\n' ? 1 : 0),
              newline: decoder.newline(),
              cleaning,
              minFreq,
              ...stats.finish(),
            }
          : csv!.finish(),
    };
    datasetFileSchema.parse(record);
    await writeFileDurable(fs, join(staging, DATASET_FILE), jsonBytes(record));
    await commitStaging(fs, staging, datasetDir(dir, id));
    return record;
  } catch (e) {
    await output?.close().catch(() => undefined);
    await discardStaging(fs, staging);
    // a refused first import leaves the project as it was, without an empty datasets/ folder
    if (!hadDatasetsDir) await fs.rmdir(datasetsDir(dir)).catch(() => undefined);
    throw e instanceof FsError && e.code === 'NotFound' && (e.details?.path === sourcePath) ? new DatasetError('NotFound', { path: sourcePath }) : e;
  } finally {
    await input?.close().catch(() => undefined);
  }
}
