/** Dataset records in the project store: list, read, rename, delete. Import lives in core/datasets. */
import { basename, join } from 'node:path';
import type { Problem } from '../../shared/dto';
import { FsError, type FileSystem } from '../fs/file-system';
import { isValidId } from './ids';
import { readJsonFile, writeJsonAtomic } from './json-file';
import { DATASET_FILE, datasetDir, datasetsDir } from './layout';
import { datasetFileSchema, type DatasetRecord } from './schemas';
import { isDeletableFolder, removeAtomically } from './staging';
import { StoreError } from './store-error';

export async function readDataset(fs: FileSystem, dir: string, id: string): Promise<DatasetRecord> {
  const folder = datasetDir(dir, id);
  if ((await fs.stat(folder))?.kind !== 'directory') throw new StoreError('NotFound', { kind: 'dataset', id });
  const read = await readJsonFile(fs, join(folder, DATASET_FILE), datasetFileSchema);
  if (!read.ok) throw new StoreError('CorruptDataset', { id, file: DATASET_FILE, reason: read.reason, detail: read.detail });
  if (read.value.id !== id) throw new StoreError('CorruptDataset', { id, reason: 'IdMismatch' });
  const source = await fs.stat(join(folder, read.value.source.file));
  if (source?.kind !== 'file' || source.size !== read.value.source.bytes) {
    throw new StoreError('CorruptDataset', { id, file: read.value.source.file, reason: source === undefined ? 'Missing' : 'SizeMismatch' });
  }
  return read.value;
}

/** Absolute path of a dataset's imported source file. */
export function datasetSourcePath(dir: string, record: DatasetRecord): string {
  return join(datasetDir(dir, record.id), record.source.file);
}

export async function listDatasets(fs: FileSystem, dir: string): Promise<{ datasets: DatasetRecord[]; problems: Problem[] }> {
  const datasets: DatasetRecord[] = [];
  const problems: Problem[] = [];
  let names: string[];
  try {
    names = await fs.readdir(datasetsDir(dir));
  } catch (e) {
    if (e instanceof FsError && e.code === 'NotFound') return { datasets, problems };
    throw e;
  }
  for (const name of names) {
    if (!isValidId(name)) continue;
    try {
      datasets.push(await readDataset(fs, dir, name));
    } catch (e) {
      if (e instanceof FsError && e.code === 'Io') {
        // a file the disk cannot read (a link loop, an I/O error) costs this dataset, not the project
        const file = typeof e.details?.path === 'string' ? basename(e.details.path) : `${name}/`;
        problems.push({ kind: 'dataset', id: name, code: 'CorruptDataset', message: new StoreError('CorruptDataset', { id: name, file, reason: 'Unreadable' }).message });
        continue;
      }
      if (!(e instanceof StoreError)) throw e;
      if (e.code === 'NotFound') continue;
      problems.push({ kind: 'dataset', id: name, code: e.code, message: e.message });
    }
  }
  datasets.sort((a, b) => (a.created < b.created ? -1 : a.created > b.created ? 1 : a.id < b.id ? -1 : 1));
  return { datasets, problems };
}

export async function renameDataset(fs: FileSystem, dir: string, id: string, name: string): Promise<DatasetRecord> {
  const record = await readDataset(fs, dir, id);
  const clean = name.trim();
  if (clean.length === 0 || clean.length > 200 || /[\u0000-\u001f]/.test(clean)) throw new StoreError('InvalidName', { name: name.slice(0, 100) });
  const next: DatasetRecord = { ...record, name: clean };
  await writeJsonAtomic(fs, join(datasetDir(dir, id), DATASET_FILE), next);
  return next;
}

/** Removes a dataset folder; one that is a symbolic link loses the link only, never its target. */
export async function deleteDataset(fs: FileSystem, dir: string, id: string): Promise<void> {
  const folder = datasetDir(dir, id);
  if (!isDeletableFolder(await fs.lstat(folder))) throw new StoreError('NotFound', { kind: 'dataset', id });
  await removeAtomically(fs, folder);
}
