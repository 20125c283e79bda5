/**
 * The config.json of a forecast run (`task: 'forecast'`): a numeric series from a CSV dataset,
 * windows of `window` steps (one every `stride` steps) predicting the next `horizon` values of
 * `target` from the target and the `covariates`, a contiguous train/val/test split, how missing
 * values are filled, and the model and training settings. Kept apart from the text run config: a
 * stored config is a forecast run exactly when `task` is 'forecast'.
 */
import { z } from 'zod';

export const FORECAST_CELLS = ['rnn', 'gru', 'lstm'] as const;
/** Training loss on normalised values; Huber uses δ = 1 (PyTorch's HuberLoss default). */
export const FORECAST_LOSSES = ['mse', 'mae', 'huber'] as const;
/**
 * What happens to empty or non-numeric cells of the used columns: `drop` removes the row,
 * `ffill` repeats the previous value (a leading gap takes the first value), `interpolate` fills
 * linearly between neighbours (ends take the nearest value), `refuse` stops with the first one.
 */
export const MISSING_POLICIES = ['drop', 'ffill', 'interpolate', 'refuse'] as const;
export type MissingPolicy = (typeof MISSING_POLICIES)[number];

export const forecastConfigSchema = z.object({
  task: z.literal('forecast'),
  name: z.string().max(200).optional(),
  datasetId: z.string().min(1),
  target: z.string().min(1),
  covariates: z.array(z.string().min(1)).default([]),
  window: z.number().int().min(1).max(4096).default(4),
  /** Steps ahead predicted from one window (the model's head outputs all of them at once). */
  horizon: z.number().int().min(1).max(1024).default(1),
  /** Steps between consecutive window starts. */
  stride: z.number().int().min(1).max(4096).default(1),
  /** Period of the seasonal-naive baseline in steps; null: inferred from the time column, else the window. */
  seasonalPeriod: z.number().int().min(1).max(100000).nullable().default(null),
  missing: z.enum(MISSING_POLICIES).default('interpolate'),
  /** The datetime column the rows are ordered by (shown on the x axis), or null for row numbers. */
  timeColumn: z.string().min(1).nullable().default(null),
  trainFraction: z.number().gt(0).lt(1).default(0.7),
  valFraction: z.number().gt(0).lt(1).default(0.2),
  cell: z.enum(FORECAST_CELLS).default('gru'),
  hiddenSize: z.number().int().min(1).max(4096).default(16),
  numLayers: z.number().int().min(1).max(8).default(1),
  epochs: z.number().int().min(1).max(100000).default(5),
  lr: z.number().gt(0).max(10).default(0.01),
  batchSize: z.number().int().min(1).max(65536).default(16),
  seed: z.number().int().min(0).max(0xffffffff).default(0),
  loss: z.enum(FORECAST_LOSSES).default('mse'),
  /** Global gradient-norm clipping threshold; null: none. */
  clip: z.number().gt(0).max(1e6).nullable().default(null),
}).refine((c) => c.trainFraction + c.valFraction <= 1, { message: 'the train and validation fractions must add up to at most 1', path: ['valFraction'] });

export type ForecastRunConfig = z.infer<typeof forecastConfigSchema>;

/**
 * Where the contiguous split falls in a series of `length` rows: the training part is rows
 * [0, trainEnd), validation [trainEnd, valEnd), test the rest. The one rule the main process
 * trains by and the setup form counts rows with.
 */
export function splitPoints(length: number, c: Pick<ForecastRunConfig, 'trainFraction' | 'valFraction'>): { trainEnd: number; valEnd: number } {
  const trainEnd = Math.round(length * c.trainFraction);
  const valEnd = Math.min(length, Math.round(length * (c.trainFraction + c.valFraction)));
  return { trainEnd, valEnd };
}

/** True when a stored config.json belongs to a forecast run. */
export function isForecastConfig(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && (raw as { task?: unknown }).task === 'forecast';
}
