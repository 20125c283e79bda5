/**
 * "Open the demo project": the bundled demo is copied once into the user's data folder
 * (`<appData>/Demo/RNN Lab demo.rnnlab`) and reopened from there afterwards, so whatever the user
 * trains in it stays, and the bundled copy is never written. A copy that no longer opens, or whose
 * bundled dataset or runs are damaged, is left alone (it is the user's data) and a fresh copy is
 * made beside it: `RNN Lab demo (2).rnnlab`, `(3)`, … — the highest-numbered copy is the current one.
 */
import { join } from 'node:path';
import type { OpenedProject } from '../../shared/dto';
import type { ProjectServices } from '../app-handlers';
import type { FileSystem } from '../fs/file-system';
import { ensureDir } from '../fs/fs-utils';
import { NodeFileSystem } from '../fs/node-file-system';
import { createProjectServices } from '../project-services';
import { datasetSourcePath, readDataset } from '../store/datasets';
import { openProject } from '../store/project';
import { copyDemoProject, sha256Hex } from './demo-bundle';
import { DemoError } from './demo-error';
import { DEMO_DATASET_ID, DEMO_PROJECT_NAME, DEMO_RUNS } from './demo-recipe';

export const DEMO_DATA_FOLDER = 'Demo';
const MAX_COPIES = 100;

export interface OpenDemoOptions {
  fs?: FileSystem;
  /** The app's data folder (Electron's `userData`); the copy goes to `<appDataDir>/Demo/`. */
  appDataDir: string;
  /** The folder holding `demo/` (the repo's `resources/` in development). */
  resourcesDir: string;
  /** Open and recent-projects services to share (default: fresh ones over `fs` and `appDataDir`). */
  services?: Pick<ProjectServices, 'openProject' | 'recent'>;
}

/** `<appData>/Demo/RNN Lab demo.rnnlab` for n = 1, `RNN Lab demo (n).rnnlab` after that. */
export function demoCopyPath(appDataDir: string, n = 1): string {
  return join(appDataDir, DEMO_DATA_FOLDER, n === 1 ? `${DEMO_PROJECT_NAME}.rnnlab` : `${DEMO_PROJECT_NAME} (${n}).rnnlab`);
}

export interface DemoCopy {
  dir: string;
  /** True when this call made the copy (first open, or a damaged copy replaced). */
  copied: boolean;
  /** Earlier copies found damaged and left in place. */
  damaged: string[];
}

/** Which copy a folder name is (1 for `RNN Lab demo.rnnlab`, n for `RNN Lab demo (n).rnnlab`), or null. */
function copyNumber(name: string): number | null {
  if (name === `${DEMO_PROJECT_NAME}.rnnlab`) return 1;
  const head = `${DEMO_PROJECT_NAME} (`, tail = ').rnnlab';
  if (!name.startsWith(head) || !name.endsWith(tail)) return null;
  const digits = name.slice(head.length, name.length - tail.length);
  return /^[1-9]\d{0,5}$/.test(digits) ? Number(digits) : null;
}

/** Finds the current intact copy of the demo (the highest-numbered one), or makes a new one. */
export async function ensureDemoCopy(fs: FileSystem, appDataDir: string, resourcesDir: string): Promise<DemoCopy> {
  const folder = join(appDataDir, DEMO_DATA_FOLDER);
  await ensureDir(fs, appDataDir);
  await ensureDir(fs, folder);
  let last = 0;
  for (const name of await fs.readdir(folder)) last = Math.max(last, copyNumber(name) ?? 0);
  const damaged: string[] = [];
  if (last > 0) {
    const current = demoCopyPath(appDataDir, last);
    if (await isIntactCopy(fs, current)) return { dir: current, copied: false, damaged };
    damaged.push(current);
  }
  if (last >= MAX_COPIES) throw new DemoError('TooManyCopies', { folder });
  const dir = demoCopyPath(appDataDir, last + 1);
  await copyDemoProject(fs, resourcesDir, dir);
  return { dir, copied: true, damaged };
}

/**
 * A copy is intact when it opens as a project, none of the bundled dataset and runs still in it
 * is reported damaged, and the bundled corpus still has the bytes its dataset.json records. What
 * the user added, renamed or deleted does not count against it.
 */
export async function isIntactCopy(fs: FileSystem, dir: string): Promise<boolean> {
  try {
    const opened = await openProject(fs, dir);
    const bundled = new Set<string>([DEMO_DATASET_ID, ...DEMO_RUNS.map((r) => r.id)]);
    if (opened.problems.some((p) => bundled.has(p.id))) return false;
    if (opened.datasets.some((d) => d.id === DEMO_DATASET_ID)) {
      const record = await readDataset(fs, dir, DEMO_DATASET_ID);
      const bytes = await fs.readFile(datasetSourcePath(dir, record));
      if (bytes.length !== record.source.bytes || sha256Hex(bytes) !== record.source.sha256) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/** Copies the demo on first use (or beside a damaged copy), opens it and puts it first in recent projects. */
export async function openDemoProject(options: OpenDemoOptions): Promise<OpenedProject> {
  const fs = options.fs ?? new NodeFileSystem();
  const services = options.services ?? createProjectServices(options.appDataDir, fs);
  const { dir } = await ensureDemoCopy(fs, options.appDataDir, options.resourcesDir);
  const opened = await services.openProject(dir);
  await services.recent.touch({ dir: opened.project.dir, name: opened.project.name });
  return opened;
}
