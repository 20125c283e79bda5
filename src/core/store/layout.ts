/** Where everything lives inside `<name>.rnnlab/` (DESIGN.md, "Persistence"). */
import { join } from 'node:path';
import { assertValidId, containedPath } from './ids';

export const PROJECT_FILE = 'project.json';
export const DATASETS_DIR = 'datasets';
export const RUNS_DIR = 'runs';
export const DATASET_FILE = 'dataset.json';
export const RUN_CONFIG_FILE = 'config.json';
export const RUN_FILE = 'run.json';
export const METRICS_LOG = 'metrics.log';
export const SAMPLES_LOG = 'samples.log';
export const CHECKPOINTS_DIR = 'checkpoints';

export const projectFile = (dir: string): string => join(dir, PROJECT_FILE);
export const datasetsDir = (dir: string): string => join(dir, DATASETS_DIR);
export const runsDir = (dir: string): string => join(dir, RUNS_DIR);
export const datasetDir = (dir: string, id: string): string => containedPath(datasetsDir(dir), assertValidId(id, 'dataset'));
export const runDir = (dir: string, id: string): string => containedPath(runsDir(dir), assertValidId(id, 'run'));
export const runFile = (dir: string, id: string, file: string): string => join(runDir(dir, id), file);
export const checkpointsDir = (dir: string, id: string): string => join(runDir(dir, id), CHECKPOINTS_DIR);
