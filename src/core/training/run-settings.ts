/**
 * What a run trains with: config.json (immutable once the run starts) plus the changes a resume
 * asked for, kept beside it in `training.json` — a new epoch total, or a lower learning rate after
 * a divergence. The executor reads the two together; the history stays for the record. Text and
 * forecast runs share the file; each reads it against its own config schema.
 */
import { z } from 'zod';
import type { FileSystem } from '../fs/file-system';
import { readJsonFile, writeJsonAtomic } from '../store/json-file';
import { runFile } from '../store/layout';
import { readRunConfig } from '../store/runs';
import { StoreError } from '../store/store-error';
import { TrainingError } from './training-error';
import { forecastConfigSchema, isForecastConfig, type ForecastRunConfig } from '../../shared/forecast-config';
import { runConfigFields, runConfigSchema, type RunConfig } from '../../shared/run-config';

export const TRAINING_FILE = 'training.json';

export interface TrainingOverrides {
  epochs?: number;
  lr?: number;
}

const lr = z.number().min(runConfigFields.lr.min).max(runConfigFields.lr.max);
const epochs = z.number().int().min(runConfigFields.epochs.min).max(runConfigFields.epochs.max);

const trainingFileSchema = z.object({
  formatVersion: z.literal(1),
  epochs: epochs.optional(),
  lr: lr.optional(),
  history: z.array(z.object({ time: z.string(), epochs: epochs.optional(), lr: lr.optional() })),
});
type TrainingFile = z.infer<typeof trainingFileSchema>;

async function readTrainingFile(fs: FileSystem, dir: string, runId: string): Promise<TrainingFile> {
  const read = await readJsonFile(fs, runFile(dir, runId, TRAINING_FILE), trainingFileSchema);
  if (read.ok) return read.value;
  if (read.reason === 'Missing') return { formatVersion: 1, history: [] };
  throw new StoreError('CorruptRun', { id: runId, file: TRAINING_FILE, reason: read.reason, detail: read.detail });
}

/** config.json validated against the run-config schema, with the resume overrides applied. */
export async function readEffectiveConfig(fs: FileSystem, dir: string, runId: string): Promise<RunConfig> {
  const raw = await readRunConfig(fs, dir, runId);
  const parsed = runConfigSchema.safeParse(raw);
  if (!parsed.success) throw new StoreError('CorruptRun', { id: runId, file: 'config.json', detail: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
  const file = await readTrainingFile(fs, dir, runId);
  const config = { ...parsed.data };
  if (file.epochs !== undefined) config.epochs = file.epochs;
  if (file.lr !== undefined) config.lr = file.lr;
  return config;
}

/** A forecast run's config.json validated against the forecast schema, with the resume overrides applied (and checked against its ranges). */
export async function readEffectiveForecastConfig(fs: FileSystem, dir: string, runId: string): Promise<ForecastRunConfig> {
  const raw = await readRunConfig(fs, dir, runId);
  const file = await readTrainingFile(fs, dir, runId);
  const merged: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  if (file.epochs !== undefined) merged.epochs = file.epochs;
  if (file.lr !== undefined) merged.lr = file.lr;
  const parsed = forecastConfigSchema.safeParse(merged);
  if (!parsed.success) throw new StoreError('CorruptRun', { id: runId, file: 'config.json', detail: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
  return parsed.data;
}

/** The run's effective config, whichever task it trains. */
export async function readTrainingConfig(fs: FileSystem, dir: string, runId: string): Promise<{ task: 'language'; config: RunConfig } | { task: 'forecast'; config: ForecastRunConfig }> {
  return isForecastConfig(await readRunConfig(fs, dir, runId))
    ? { task: 'forecast', config: await readEffectiveForecastConfig(fs, dir, runId) }
    : { task: 'language', config: await readEffectiveConfig(fs, dir, runId) };
}

/**
 * Refuses (`InvalidSetting`, naming the field) a new epoch total or learning rate outside the
 * run's own config ranges: a forecast run's are narrower than a text run's (learning rate ≤ 10),
 * and a value written to training.json that its schema refuses would leave the run unable to load.
 */
export async function checkOverrides(fs: FileSystem, dir: string, runId: string, overrides: TrainingOverrides): Promise<void> {
  if (overrides.epochs === undefined && overrides.lr === undefined) return;
  const forecast = isForecastConfig(await readRunConfig(fs, dir, runId));
  for (const field of ['epochs', 'lr'] as const) {
    const value = overrides[field];
    if (value === undefined) continue;
    const schema = forecast ? forecastConfigSchema.shape[field] : field === 'lr' ? lr : epochs;
    const issue = schema.safeParse(value).error?.issues[0];
    if (issue) {
      const label = field === 'lr' ? 'learning rate' : 'epoch total';
      throw new TrainingError('InvalidSetting', `The ${label} ${value} is out of range for this ${forecast ? 'forecast ' : ''}run (${issue.message}).`, { runId, field, value });
    }
  }
}

/** Records a resume's new settings (nothing is written when there are none; out-of-range values are refused first). */
export async function writeOverrides(fs: FileSystem, dir: string, runId: string, overrides: TrainingOverrides, now = new Date()): Promise<void> {
  if (overrides.epochs === undefined && overrides.lr === undefined) return;
  await checkOverrides(fs, dir, runId, overrides);
  const file = await readTrainingFile(fs, dir, runId);
  const next: TrainingFile = { ...file, history: [...file.history, { time: now.toISOString(), ...overrides }] };
  if (overrides.epochs !== undefined) next.epochs = epochs.parse(overrides.epochs);
  if (overrides.lr !== undefined) next.lr = lr.parse(overrides.lr);
  await writeJsonAtomic(fs, runFile(dir, runId, TRAINING_FILE), next);
}
