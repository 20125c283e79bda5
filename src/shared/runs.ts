/** What the renderer sees of runs: states, metric records, samples, progress events, generation. */
import { z } from 'zod';
import { runConfigSchema } from './run-config';

export const RUN_STATES = ['queued', 'running', 'paused', 'done', 'failed', 'diverged', 'interrupted'] as const;
export const runStateSchema = z.enum(RUN_STATES);
export type RunState = z.infer<typeof runStateSchema>;

const finite = z.number().refine(Number.isFinite);
/** Perplexity and loss may legitimately be Infinity/NaN when a run diverges; JSON carries them as null. */
const metric = z.number().nullable();

/** One record of the metric log: a training window (kind 'train'), a validation pass, or an epoch summary. */
export const metricRecordSchema = z.object({
  kind: z.enum(['train', 'val', 'epoch']),
  step: z.number().int().nonnegative(),
  epoch: z.number().nonnegative(),
  /** Seconds since the run started (excluding paused time). */
  time: finite,
  loss: metric.optional(),
  perplexity: metric.optional(),
  gradNorm: metric.optional(),
  lr: metric.optional(),
  tokensPerSec: metric.optional(),
  /**
   * Forecast runs' validation records (kind 'val') also carry the error in the target's original
   * units, and the last-value baseline's on the same windows (`loss` is then the normalised loss).
   */
  mse: metric.optional(),
  mae: metric.optional(),
  rmse: metric.optional(),
  baselineMae: metric.optional(),
  baselineRmse: metric.optional(),
});
export type MetricRecord = z.infer<typeof metricRecordSchema>;

export const sampleRecordSchema = z.object({ step: z.number().int(), epoch: z.number(), prefix: z.string(), text: z.string() });
export type SampleRecord = z.infer<typeof sampleRecordSchema>;

export const nonFiniteReportSchema = z.object({
  where: z.string(),
  parameter: z.string().nullable(),
  timeStep: z.number().int().nullable(),
  message: z.string(),
});
export type NonFiniteReportDto = z.infer<typeof nonFiniteReportSchema>;

export const runProgressSchema = z.object({
  epoch: z.number().nonnegative(),
  totalEpochs: z.number().int().positive(),
  step: z.number().int().nonnegative(),
  elapsedSec: finite,
  etaSec: z.number().nullable(),
});
export type RunProgress = z.infer<typeof runProgressSchema>;

export const checkpointInfoSchema = z.object({
  name: z.string(),
  step: z.number().int(),
  epoch: z.number().nullable(),
  valPerplexity: z.number().nullable(),
  best: z.boolean(),
});
export type CheckpointInfo = z.infer<typeof checkpointInfoSchema>;

export const runSummaryDtoSchema = z.object({
  id: z.string(),
  name: z.string(),
  state: runStateSchema,
  created: z.string(),
  message: z.string().nullable(),
  progress: runProgressSchema.nullable(),
  bestValPerplexity: z.number().nullable(),
  /** What the run trains: a language model (text runs; also when absent) or a forecaster. */
  task: z.enum(['language', 'forecast']).optional(),
});
export type RunSummaryDto = z.infer<typeof runSummaryDtoSchema>;

export const runDetailSchema = z.object({
  run: runSummaryDtoSchema,
  config: runConfigSchema as unknown as z.ZodType<z.output<typeof runConfigSchema>>,
  metrics: z.array(metricRecordSchema),
  samples: z.array(sampleRecordSchema),
  checkpoints: z.array(checkpointInfoSchema),
  /** Present when the run diverged: what went non-finite first. */
  divergence: nonFiniteReportSchema.nullable(),
  /** Baselines for the charts: uniform (= vocabulary size) and unigram perplexity. */
  baselines: z.object({ uniform: z.number(), unigram: z.number() }).nullable(),
  /** Which kernels trained the run (reported by the engine). */
  kernels: z.string().nullable(),
  /** What the run trains with now: config.json plus every resume's new lr or epoch total. */
  effective: z.object({ lr: z.number(), epochs: z.number().int() }).optional(),
});
export type RunDetail = z.infer<typeof runDetailSchema>;

/** Pushed at most ~10 times a second per run. */
export const runEventSchema = z.object({
  projectDir: z.string(),
  runId: z.string(),
  state: runStateSchema,
  progress: runProgressSchema.nullable(),
  metrics: z.array(metricRecordSchema),
  samples: z.array(sampleRecordSchema),
  message: z.string().nullable(),
  divergence: nonFiniteReportSchema.nullable(),
  /** The run's checkpoints after one was saved (and older ones pruned); absent when none changed. */
  checkpoints: z.array(checkpointInfoSchema).optional(),
});
export type RunEvent = z.infer<typeof runEventSchema>;

export const decodingSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('greedy') }),
  z.object({
    mode: z.literal('sample'),
    temperature: z.number().gt(0).max(10),
    topK: z.number().int().min(0).max(100_000),
    topP: z.number().gt(0).max(1),
  }),
]);
export type Decoding = z.infer<typeof decodingSchema>;

export const generateRequestSchema = z
  .object({
    projectDir: z.string(),
    runId: z.string(),
    checkpoint: z.string().nullable(),
    prefix: z.string().max(10_000),
    length: z.number().int().min(1).max(10_000),
    decoding: decodingSchema,
    seed: z.number().int().min(0).max(2 ** 31 - 1),
    /** Never generate `<unk>` (its probability becomes zero and the rest is renormalised). */
    excludeUnk: z.boolean().optional(),
  })
  .strict();
export type GenerateRequest = z.infer<typeof generateRequestSchema>;

export const generateResultSchema = z.object({
  /** The prefix as the model saw it (after the run's cleaning). */
  prefix: z.string(),
  tokens: z.array(z.string()),
  probabilities: z.array(z.number()),
  separator: z.string(),
});
export type GenerateResult = z.infer<typeof generateResultSchema>;

export const scoreResultSchema = z.object({
  tokens: z.array(z.string()),
  logprobs: z.array(z.number()),
  perplexity: z.number(),
});
export type ScoreResult = z.infer<typeof scoreResultSchema>;

/** A run's training time measured on this machine before it starts (`runs:estimate`). */
export const runEstimateSchema = z.object({
  /** Wall time for the whole run: starting the trainer, training updates and validation passes. */
  seconds: z.number().nonnegative(),
  /** Starting: the thread, reading and encoding the corpus, building the model and kernels. */
  setupSeconds: z.number().nonnegative(),
  trainSeconds: z.number().nonnegative(),
  evalSeconds: z.number().nonnegative(),
  secondsPerUpdate: z.number().nonnegative(),
  /** Mean minibatches per epoch over the random offsets. */
  updatesPerEpoch: z.number().nonnegative(),
  epochs: z.number().int().positive(),
  /** Minibatches timed (after a warm-up). */
  measuredUpdates: z.number().int().positive(),
  tokensPerSec: z.number().nonnegative(),
  /** The kernels timed, as a trainer describes them ("wasm-relaxed-simd (2 threads)"). */
  kernels: z.string(),
});
export type RunEstimate = z.infer<typeof runEstimateSchema>;
