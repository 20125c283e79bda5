/**
 * What the bundled demo project holds and how it was made: the project and dataset names, the
 * fixed ids (so the bundle never depends on when it was built), and the two run configs that
 * build/demo/build-demo.ts trains with this project's own engine. Tests read the same recipe, so
 * the bundle, the script and the checks cannot drift apart.
 */
import type { RunConfig } from '../../shared/run-config';

export const DEMO_PROJECT_NAME = 'RNN Lab demo';
/** `resources/demo/<this>` is the bundled project folder. */
export const DEMO_BUNDLE_FOLDER = 'demo.rnnlab';
/** `resources/demo/<this>` lists every file of the bundle with its size and SHA-256. */
export const DEMO_MANIFEST_FILE = 'manifest.json';

export const DEMO_CORPUS_SEED = 2026;
export const DEMO_CORPUS_CHARS = 60_000;
export const DEMO_DATASET_ID = 'demo-corpus';
export const DEMO_DATASET_NAME = "The time traveller's notebook";
/** The file name the corpus is imported under (the dataset's `originalName`). */
export const DEMO_SOURCE_NAME = 'time-traveller-notebook.txt';

export interface DemoRun {
  id: string;
  config: Partial<RunConfig> & { name: string };
}

/** Shared by both runs: d2l's character model on letters, the whole corpus, one validation per epoch. */
const common = {
  tokenizer: 'char',
  clean: 'letters',
  minFreq: 1,
  maxTokens: 0,
  valFraction: 0.1,
  embeddingDim: 0,
  numLayers: 1,
  hiddenSize: 128,
  numSteps: 35,
  batchSize: 32,
  sampler: 'sequential',
  clip: 1,
  valEvery: 1,
  sampleEvery: 5,
  sampleLength: 60,
  samplePrefix: 'time traveller',
  checkpointEvery: 10,
  // the last checkpoint and the best one: enough to generate and to extend the run, small on disk
  keepCheckpoints: 1,
} as const satisfies Partial<RunConfig>;

export const DEMO_RUNS: readonly DemoRun[] = [
  {
    id: 'demo-gru',
    config: { ...common, name: 'GRU 128 · SGD', cell: 'gru', init: 'pytorch', optimizer: 'sgd', lr: 1, epochs: 50, seed: 7 },
  },
  {
    id: 'demo-lstm',
    config: { ...common, name: 'LSTM 128 · Adam', cell: 'lstm', init: 'pytorch', optimizer: 'adam', lr: 0.005, epochs: 30, seed: 11 },
  },
];
