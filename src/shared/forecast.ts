/**
 * What the renderer sees of forecast runs (`forecast:*` channels): a run's detail for the live
 * training view, the forecast view's figures (computed in core from the last checkpoint), and a
 * recursive forecast past the end of the series. Values are in the target's original units.
 */
import { z } from 'zod';
import { forecastConfigSchema, splitPoints } from './forecast-config';
import { checkpointInfoSchema, metricRecordSchema, runSummaryDtoSchema } from './runs';

/** k of the error-vs-k curve (d2l 9.1). */
export const FORECAST_KS = [1, 4, 16, 64] as const;
/** d2l's demo series adds N(0, 0.2²) noise: no predictor beats MSE 0.04 on it. */
export const D2L_NOISE_VARIANCE = 0.04;

/** Rows in the training, validation and test parts, as the main process splits them (`splitPoints`; the setup form shows these counts). */
export function splitRows(rows: number, trainFraction: number, valFraction: number): { train: number; val: number; test: number } {
  const { trainEnd, valEnd } = splitPoints(rows, { trainFraction, valFraction });
  return { train: trainEnd, val: Math.max(0, valEnd - trainEnd), test: Math.max(0, rows - valEnd) };
}

export const forecastDetailSchema = z.object({
  run: runSummaryDtoSchema,
  config: forecastConfigSchema as unknown as z.ZodType<z.output<typeof forecastConfigSchema>>,
  metrics: z.array(metricRecordSchema),
  checkpoints: z.array(checkpointInfoSchema),
  /** The dataset's file name as imported (the view offers d2l's noise floor for d2l's series). */
  datasetName: z.string().nullable(),
});
export type ForecastDetail = z.infer<typeof forecastDetailSchema>;

const errorRow = z.object({ mae: z.number(), rmse: z.number(), count: z.number().int().nonnegative() });
export type ErrorFigures = z.infer<typeof errorRow>;

export const forecastViewSchema = z.object({
  checkpoint: z.string(),
  target: z.string(),
  /** Column the x axis shows (a numeric time column), or null for row numbers. */
  xName: z.string().nullable(),
  /** x of each row: the time column's values (milliseconds since the epoch, UTC, when `xTime`) or the row index (0-based). */
  x: z.array(z.number()),
  /** The x axis is a date/time axis. */
  xTime: z.boolean(),
  actual: z.array(z.number()),
  /** One-step prediction of each row from the `window` rows before it; null where there is no full window. */
  predicted: z.array(z.number().nullable()),
  window: z.number().int().positive(),
  trainEnd: z.number().int().nonnegative(),
  valEnd: z.number().int().nonnegative(),
  /** One-step errors of the model per part of the split (null: the part has no predicted row). */
  parts: z.object({ train: errorRow.nullable(), val: errorRow.nullable(), test: errorRow.nullable() }),
  /** Baselines on the test part (the validation part when there is no test part). */
  baselines: z.object({
    part: z.enum(['val', 'test']),
    rows: z.array(z.object({ name: z.string(), description: z.string(), mae: z.number(), rmse: z.number() })),
  }),
  /** k-step-ahead MSE over origins in the validation and test parts; null with the reason when it cannot be computed. */
  kStep: z.object({ k: z.array(z.number().int()), mse: z.array(z.number()), lastValueMse: z.array(z.number()) }).nullable(),
  kStepNote: z.string().nullable(),
});
export type ForecastView = z.infer<typeof forecastViewSchema>;

export const forecastFutureSchema = z.object({
  /** Row index of each forecast value (the series ends at `index[0] − 1`). */
  index: z.array(z.number().int()),
  forecast: z.array(z.number()),
});
export type ForecastFuture = z.infer<typeof forecastFutureSchema>;
