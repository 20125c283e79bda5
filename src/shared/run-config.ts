/**
 * The run configuration: one declaration gives the validator, the defaults, the ranges, and the
 * labels the run-setup form is generated from. Defaults are d2l's character-model settings
 * (hidden 256, 35 steps, batch 32, SGD lr 1, clipping θ = 1).
 */
import { z } from 'zod';

interface NumberField {
  kind: 'int' | 'float';
  label: string;
  help: string;
  default: number;
  min: number;
  max: number;
  group: FieldGroup;
  /** Shown as a log-scale slider / accepts scientific notation. */
  log?: boolean;
}
interface ChoiceField<T extends string = string> {
  kind: 'choice';
  label: string;
  help: string;
  default: T;
  options: readonly T[];
  group: FieldGroup;
}
export type FieldGroup = 'data' | 'model' | 'training' | 'monitoring';
export type FieldSpec = NumberField | ChoiceField;

const choice = <T extends string>(label: string, help: string, options: readonly T[], def: T, group: FieldGroup): ChoiceField<T> => ({ kind: 'choice', label, help, options, default: def, group });
const int = (label: string, help: string, def: number, min: number, max: number, group: FieldGroup): NumberField => ({ kind: 'int', label, help, default: def, min, max, group });
const float = (label: string, help: string, def: number, min: number, max: number, group: FieldGroup, log = false): NumberField => ({ kind: 'float', label, help, default: def, min, max, group, log });

export const runConfigFields = {
  tokenizer: choice('Tokens', 'Characters (Unicode code points) or whitespace-separated words.', ['char', 'word'] as const, 'char', 'data'),
  clean: choice('Cleaning', 'd2l "letters": lowercase, every run of non-letters becomes one space.', ['letters', 'none'] as const, 'letters', 'data'),
  minFreq: int('Min frequency', 'Tokens seen fewer times become <unk>.', 1, 1, 1_000_000, 'data'),
  maxTokens: int('Max tokens', 'Train on the first N tokens only (d2l uses 10,000); 0 = all.', 0, 0, 1_000_000_000, 'data'),
  valFraction: float('Validation fraction', 'The tail of the corpus held out to measure validation perplexity.', 0.1, 0, 0.5, 'data'),

  cell: choice('Cell', 'Vanilla RNN, gated recurrent unit, or long short-term memory.', ['rnn', 'gru', 'lstm'] as const, 'rnn', 'model'),
  numLayers: int('Layers', 'Stacked recurrent layers (a deep RNN when > 1).', 1, 1, 8, 'model'),
  hiddenSize: int('Hidden size', 'Units in each hidden state H.', 256, 1, 4096, 'model'),
  embeddingDim: int('Embedding', 'Learned input embedding size; 0 feeds one-hot vectors as in d2l.', 0, 0, 4096, 'model'),
  dropout: float('Dropout', 'Dropout between stacked layers (only with 2+ layers).', 0, 0, 0.9, 'model'),
  nonlinearity: choice('Nonlinearity', 'Activation of a vanilla RNN cell.', ['tanh', 'relu'] as const, 'tanh', 'model'),
  init: choice('Initialisation', 'PyTorch default (uniform ±1/√H) or d2l scratch (normal, σ = 0.01).', ['pytorch', 'normal'] as const, 'pytorch', 'model'),

  numSteps: int('Steps (T)', 'Time steps per minibatch: how far backpropagation through time reaches.', 35, 1, 10_000, 'training'),
  batchSize: int('Batch size', 'Sequences per minibatch.', 32, 1, 4096, 'training'),
  sampler: choice('Minibatches', 'Sequential partitioning carries the hidden state across minibatches; random sampling resets it.', ['sequential', 'random'] as const, 'sequential', 'training'),
  epochs: int('Epochs', 'Passes over the training tokens.', 500, 1, 1_000_000, 'training'),
  optimizer: choice('Optimizer', 'Update rule.', ['sgd', 'adam', 'adamw', 'rmsprop'] as const, 'sgd', 'training'),
  lr: float('Learning rate', 'Step size of the optimizer.', 1, 1e-7, 100, 'training', true),
  momentum: float('Momentum', 'SGD / RMSprop momentum.', 0, 0, 0.999, 'training'),
  weightDecay: float('Weight decay', 'L2 penalty (decoupled for AdamW).', 0, 0, 1, 'training'),
  clip: float('Clip θ', 'Gradient clipping by global norm; 0 disables it.', 1, 0, 1e6, 'training'),
  schedule: choice('LR schedule', 'How the learning rate changes over the run.', ['constant', 'step', 'exp', 'cosine'] as const, 'constant', 'training'),
  scheduleGamma: float('Decay γ', 'Multiplier for step/exponential schedules.', 0.5, 0.01, 1, 'training'),
  scheduleStep: int('Decay every (epochs)', 'Epochs between decays of the step schedule.', 100, 1, 1_000_000, 'training'),
  warmupSteps: int('Warm-up steps', 'Linear learning-rate warm-up from 0 over this many updates.', 0, 0, 1_000_000, 'training'),
  seed: int('Seed', 'Same seed and config give bit-identical runs.', 42, 0, 2 ** 31 - 1, 'training'),

  valEvery: int('Validate every (epochs)', 'How often validation perplexity is measured.', 10, 1, 1_000_000, 'monitoring'),
  sampleEvery: int('Sample every (epochs)', 'How often a text sample is generated from the fixed prefix.', 50, 1, 1_000_000, 'monitoring'),
  checkpointEvery: int('Checkpoint every (epochs)', 'How often the full training state is saved.', 50, 1, 1_000_000, 'monitoring'),
  keepCheckpoints: int('Keep last', 'Checkpoints kept besides the best one.', 3, 1, 100, 'monitoring'),
} as const satisfies Record<string, FieldSpec>;

export type RunConfigKey = keyof typeof runConfigFields;

function fieldSchema(spec: FieldSpec): z.ZodType {
  if (spec.kind === 'choice') return z.enum(spec.options as [string, ...string[]]).default(spec.default);
  const base = spec.kind === 'int' ? z.number().int(`${spec.label} must be a whole number.`) : z.number();
  return base
    .min(spec.min, `${spec.label} must be at least ${spec.min}.`)
    .max(spec.max, `${spec.label} must be at most ${spec.max}.`)
    .refine(Number.isFinite, `${spec.label} must be a finite number.`)
    .default(spec.default);
}

type FieldValue<F> = F extends ChoiceField<infer T> ? T : number;
export type RunConfig = { [K in RunConfigKey]: FieldValue<(typeof runConfigFields)[K]> } & {
  name: string;
  datasetId: string;
  samplePrefix: string;
  sampleLength: number;
};

const shape = Object.fromEntries(Object.entries(runConfigFields).map(([k, spec]) => [k, fieldSchema(spec)]));

export const runConfigSchema = z
  .object({
    ...shape,
    name: z.string().trim().min(1, 'Give the run a name.').max(80).default('run'),
    datasetId: z.string().min(1, 'Choose a dataset.'),
    /** Empty: the corpus' opening words (filled in when the run is created; see text-defaults.ts). */
    samplePrefix: z.string().max(200).default(''),
    sampleLength: z.number().int().min(1).max(2000).default(50),
  })
  .strict() as unknown as z.ZodType<RunConfig, Partial<RunConfig> & { datasetId: string }>;

export function defaultRunConfig(datasetId: string): RunConfig {
  return runConfigSchema.parse({ datasetId });
}

export interface Preset {
  id: string;
  label: string;
  description: string;
  values: Partial<RunConfig>;
}

/** Presets from the d2l recurrent chapters. */
export const presets: readonly Preset[] = [
  {
    id: 'd2l-rnn-scratch',
    label: 'd2l 8.5 · RNN from scratch',
    description: 'One-hot input, hidden 512, 35 steps, batch 32, SGD lr 1, θ 1, first 10,000 tokens.',
    values: { cell: 'rnn', hiddenSize: 512, embeddingDim: 0, numLayers: 1, numSteps: 35, batchSize: 32, optimizer: 'sgd', lr: 1, clip: 1, maxTokens: 10_000, init: 'normal', epochs: 500 },
  },
  {
    id: 'd2l-rnn-concise',
    label: 'd2l 8.6 · concise RNN 256',
    description: 'nn.RNN with 256 hidden units, PyTorch initialisation.',
    values: { cell: 'rnn', hiddenSize: 256, embeddingDim: 0, numLayers: 1, optimizer: 'sgd', lr: 1, clip: 1, maxTokens: 10_000, init: 'pytorch', epochs: 500 },
  },
  {
    id: 'd2l-gru',
    label: 'd2l 9.1 · GRU 256',
    description: 'Gated recurrent unit, 256 hidden units.',
    values: { cell: 'gru', hiddenSize: 256, embeddingDim: 0, numLayers: 1, optimizer: 'sgd', lr: 1, clip: 1, maxTokens: 10_000, init: 'pytorch', epochs: 500 },
  },
  {
    id: 'd2l-lstm',
    label: 'd2l 9.2 · LSTM 256',
    description: 'Long short-term memory, 256 hidden units.',
    values: { cell: 'lstm', hiddenSize: 256, embeddingDim: 0, numLayers: 1, optimizer: 'sgd', lr: 1, clip: 1, maxTokens: 10_000, init: 'pytorch', epochs: 500 },
  },
  {
    id: 'd2l-deep-lstm',
    label: 'd2l 9.3 · deep LSTM 2×256',
    description: 'Two stacked LSTM layers of 256 units, lr 2.',
    values: { cell: 'lstm', hiddenSize: 256, embeddingDim: 0, numLayers: 2, optimizer: 'sgd', lr: 2, clip: 1, maxTokens: 10_000, init: 'pytorch', epochs: 500 },
  },
];
