/**
 * The run-config flags of `rnn-lab train`: each maps to one field of the shared run config, is
 * validated by the same schema the app uses, and errors name the flag (`--hidden: Hidden size
 * must be at most 4096.`). Unset flags keep the config defaults (d2l's: hidden 256, 35 steps,
 * batch 32, SGD lr 1, θ 1), except that the command line validates every epoch by default.
 */
import { runConfigFields, runConfigSchema, type RunConfig, type RunConfigKey } from '../shared/run-config';
import type { FlagTable, ParsedFlags } from './args';
import { UsageError } from './usage-error';

type ConfigFlag = { key: RunConfigKey | 'name' | 'samplePrefix' | 'sampleLength'; kind: 'number' | 'string' };

export const RUN_CONFIG_FLAGS: Record<string, ConfigFlag> = {
  name: { key: 'name', kind: 'string' },
  cell: { key: 'cell', kind: 'string' },
  layers: { key: 'numLayers', kind: 'number' },
  hidden: { key: 'hiddenSize', kind: 'number' },
  embedding: { key: 'embeddingDim', kind: 'number' },
  dropout: { key: 'dropout', kind: 'number' },
  nonlinearity: { key: 'nonlinearity', kind: 'string' },
  init: { key: 'init', kind: 'string' },
  steps: { key: 'numSteps', kind: 'number' },
  batch: { key: 'batchSize', kind: 'number' },
  sampler: { key: 'sampler', kind: 'string' },
  epochs: { key: 'epochs', kind: 'number' },
  optimizer: { key: 'optimizer', kind: 'string' },
  lr: { key: 'lr', kind: 'number' },
  momentum: { key: 'momentum', kind: 'number' },
  'weight-decay': { key: 'weightDecay', kind: 'number' },
  clip: { key: 'clip', kind: 'number' },
  schedule: { key: 'schedule', kind: 'string' },
  gamma: { key: 'scheduleGamma', kind: 'number' },
  'decay-every': { key: 'scheduleStep', kind: 'number' },
  warmup: { key: 'warmupSteps', kind: 'number' },
  seed: { key: 'seed', kind: 'number' },
  tokenizer: { key: 'tokenizer', kind: 'string' },
  clean: { key: 'clean', kind: 'string' },
  'min-freq': { key: 'minFreq', kind: 'number' },
  'max-tokens': { key: 'maxTokens', kind: 'number' },
  'val-fraction': { key: 'valFraction', kind: 'number' },
  'val-every': { key: 'valEvery', kind: 'number' },
  'sample-every': { key: 'sampleEvery', kind: 'number' },
  'checkpoint-every': { key: 'checkpointEvery', kind: 'number' },
  'keep-checkpoints': { key: 'keepCheckpoints', kind: 'number' },
  'sample-prefix': { key: 'samplePrefix', kind: 'string' },
  'sample-length': { key: 'sampleLength', kind: 'number' },
};

const flagOfKey = new Map(Object.entries(RUN_CONFIG_FLAGS).map(([flag, f]) => [f.key as string, flag]));

function help(key: ConfigFlag['key']): string {
  if (key === 'name') return 'Run name.';
  if (key === 'samplePrefix') return 'Prefix of the samples generated while training (default: the corpus\' first words).';
  if (key === 'sampleLength') return 'Tokens per training sample.';
  const spec = runConfigFields[key];
  const range = spec.kind === 'choice' ? spec.options.join('|') : `${spec.min}..${spec.max}`;
  const def = key === 'valEvery' ? 1 : spec.default;
  return `${spec.label} (${range}, default ${def}).`;
}

export const runConfigFlagTable: FlagTable = Object.fromEntries(
  Object.entries(RUN_CONFIG_FLAGS).map(([flag, f]) => [flag, { kind: f.kind, help: help(f.key) }]),
);

/** The run config from the flags, validated; `datasetId` is filled in later by the caller. */
export function runConfigFromFlags(flags: ParsedFlags, datasetId: string): RunConfig {
  const raw: Record<string, unknown> = { datasetId, valEvery: 1 };
  for (const [flag, f] of Object.entries(RUN_CONFIG_FLAGS)) if (flags.has(flag)) raw[f.key] = flags.get(flag);
  const parsed = runConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0] ?? '');
    const flag = flagOfKey.get(key);
    const spec = (runConfigFields as Record<string, { kind: string; options?: readonly string[] }>)[key];
    const message = issue.code === 'invalid_value' && spec?.options ? `must be one of ${spec.options.join(', ')}` : issue.message.replace(/\.$/, '');
    throw new UsageError(flag ? `--${flag}: ${message} (got ${JSON.stringify(raw[key])})` : `${key || 'config'}: ${message}`);
  }
  return parsed.data;
}
