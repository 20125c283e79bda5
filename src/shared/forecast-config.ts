/**
 * The config.json of a forecast run (`task: 'forecast'`): a numeric series from a CSV dataset,
 * windows of `window` steps predicting the next value of `target` (horizon 1), a contiguous
 * train/val/test split, and the model and training settings. Kept apart from the text run
 * config: a stored config is a forecast run exactly when `task` is 'forecast'.
 */
import { z } from 'zod';

export const FORECAST_CELLS = ['rnn', 'gru', 'lstm'] as const;

export const forecastConfigSchema = z.object({
  task: z.literal('forecast'),
  name: z.string().max(200).optional(),
  datasetId: z.string().min(1),
  target: z.string().min(1),
  covariates: z.array(z.string().min(1)).default([]),
  window: z.number().int().min(1).max(4096).default(4),
  horizon: z.literal(1).default(1),
  trainFraction: z.number().gt(0).lt(1).default(0.7),
  valFraction: z.number().gt(0).lt(1).default(0.2),
  cell: z.enum(FORECAST_CELLS).default('gru'),
  hiddenSize: z.number().int().min(1).max(4096).default(16),
  numLayers: z.number().int().min(1).max(8).default(1),
  epochs: z.number().int().min(1).max(100000).default(5),
  lr: z.number().gt(0).max(10).default(0.01),
  batchSize: z.number().int().min(1).max(65536).default(16),
  seed: z.number().int().min(0).max(0xffffffff).default(0),
}).refine((c) => c.trainFraction + c.valFraction <= 1, { message: 'the train and validation fractions must add up to at most 1', path: ['valFraction'] });

export type ForecastRunConfig = z.infer<typeof forecastConfigSchema>;

/** True when a stored config.json belongs to a forecast run. */
export function isForecastConfig(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && (raw as { task?: unknown }).task === 'forecast';
}
