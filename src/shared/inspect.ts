/**
 * The hidden-state inspector's contract (issue 13; LSTMVis, Karpathy et al. 2015): requests,
 * streamed chunks and results of `inspect:*`. Matrices travel as Float32Array (structured clone in
 * Electron, typed-array serialisation in the e2e harness), row-major with rows = time steps and
 * columns = units.
 *
 * Flow of an inspection: the renderer picks a `jobId`, subscribes to `inspect:chunk` and
 * `inspect:done`, then calls `inspect:start`; the answer is the header (tokens to come, layers,
 * gate names), chunks of ≤ `INSPECT_CHUNK_STEPS` steps follow in order, then one `done`.
 * `inspect:match` streams the same way (`inspect:matches` then `inspect:done`). `inspect:cancel`
 * ends either kind of job; its `done` then says `cancelled`.
 */
import { z } from 'zod';

/** Steps per `inspect:chunk` event. */
export const INSPECT_CHUNK_STEPS = 256;
/** Most tokens one inspection (or a saliency, or a select) covers. */
export const MAX_INSPECT_TOKENS = 20_000;
/** Most corpus tokens a saturation pass reads. */
export const MAX_SATURATION_TOKENS = 200_000;
/** Corpus tokens a saturation pass reads when not told (`rnn-lab saturation` default too). */
export const DEFAULT_SATURATION_TOKENS = 2_000;
/** Most corpus tokens a match scans; the scan keeps only the best `MATCH_TOP`. */
export const MAX_MATCH_TOKENS = 2_000_000;
export const DEFAULT_MATCH_TOKENS = 200_000;
export const MATCH_TOP = 50;
export const MAX_TOP_K = 20;
/**
 * Saliency backpropagates through at most this many tokens before the prediction: earlier tokens
 * only set the state the window starts from (as truncated BPTT does) and get no value.
 */
export const MAX_SALIENCY_STEPS = 1024;
/** A gate is saturated left below this value and right above `SATURATION_RIGHT` (Karpathy et al.). */
export const SATURATION_LEFT = 0.1;
export const SATURATION_RIGHT = 0.9;

export const CELL_GATES = { rnn: [], gru: ['r', 'z', 'n'], lstm: ['i', 'f', 'g', 'o'] } as const satisfies Record<string, readonly string[]>;
export type GateName = 'i' | 'f' | 'g' | 'o' | 'r' | 'z' | 'n';
export const gateNameSchema = z.enum(['i', 'f', 'g', 'o', 'r', 'z', 'n']);

const absolutePath = z.string().min(1).max(4096).refine((s) => !s.includes('\u0000'), 'A path cannot contain NUL characters.');
const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'Not a valid identifier.');
/** Chosen by the renderer (e.g. `crypto.randomUUID()`), so it can subscribe before it asks. */
export const jobIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'Not a valid job id.');
const count = (max: number) => z.number().int().min(1).max(max);

/** Which weights: a checkpoint's file name, or null for the run's last (latest step) checkpoint. */
const runAt = { projectDir: absolutePath, runId: id, checkpoint: z.string().max(200).nullable() };

/**
 * What to run the model over: a typed text (cleaned and tokenised as the run's corpus was), or
 * `count` tokens of the run's corpus from token `start` (the training tokens, then the validation
 * tokens, as the run was trained on them).
 */
export const inspectSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), text: z.string().min(1).max(200_000) }).strict(),
  z.object({ kind: z.literal('dataset'), start: z.number().int().min(0).max(1e9), count: count(MAX_INSPECT_TOKENS) }).strict(),
]);
export type InspectSource = z.infer<typeof inspectSourceSchema>;

export const inspectRequestSchema = z
  .object({ ...runAt, jobId: jobIdSchema, source: inspectSourceSchema, topK: count(MAX_TOP_K).default(5) })
  .strict();
export type InspectRequest = z.output<typeof inspectRequestSchema>;

/** A (rows × cols) row-major float32 matrix: rows = time steps, cols = units. */
export const matrixSchema = z.object({ rows: z.number().int().nonnegative(), cols: z.number().int().nonnegative(), data: z.instanceof(Float32Array) });
export type Matrix = z.infer<typeof matrixSchema>;

/** The answer to `inspect:start`, before any chunk. */
export const inspectHeaderSchema = z.object({
  jobId: jobIdSchema,
  checkpoint: z.string(),
  cell: z.enum(['rnn', 'gru', 'lstm']),
  numLayers: z.number().int().positive(),
  hiddenSize: z.number().int().positive(),
  /** Gate order in `layers[k].gates` (LSTM i f g o, GRU r z n, none for RNN). */
  gates: z.array(gateNameSchema),
  /** Steps the job will send in total. */
  steps: z.number().int().positive(),
  /** Joins tokens into text: '' for characters, ' ' for words. */
  separator: z.string(),
  /** For a dataset slice, where it starts in the corpus (clamped); 0 for typed text. */
  start: z.number().int().nonnegative(),
  /** Which kernels compute the job ("wasm-relaxed-simd (1 thread)", "typescript"). */
  kernels: z.string(),
});
export type InspectHeader = z.infer<typeof inspectHeaderSchema>;

export const layerChunkSchema = z.object({
  h: matrixSchema,
  /** LSTM only. */
  c: matrixSchema.nullable(),
  /** Activated gate values, keyed by gate name (empty for RNN). */
  gates: z.record(z.string(), matrixSchema),
});
export type LayerChunk = z.infer<typeof layerChunkSchema>;

/** Steps `[start, start + tokens.length)` of job `jobId`. */
export const inspectChunkSchema = z.object({
  jobId: jobIdSchema,
  start: z.number().int().nonnegative(),
  /** The token read at each step, as text. */
  tokens: z.array(z.string()),
  layers: z.array(layerChunkSchema),
  /**
   * Next-token predictions after each step, most probable first: row-major (steps × k) token
   * texts and probabilities.
   */
  top: z.object({ k: z.number().int().positive(), tokens: z.array(z.string()), probs: z.instanceof(Float32Array) }),
});
export type InspectChunk = z.infer<typeof inspectChunkSchema>;

export const inspectDoneSchema = z.object({
  jobId: jobIdSchema,
  status: z.enum(['done', 'cancelled', 'failed']),
  /** Steps (inspect) or corpus tokens (match) processed. */
  processed: z.number().int().nonnegative(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type InspectDone = z.infer<typeof inspectDoneSchema>;

/**
 * Gradient × input of each token from…step for log p(target | tokens 0…step): for one-hot input the
 * gradient of the active component, for an embedding Σ grad · embedding row. `target` null means
 * the token that follows `step` in the source (or, at its end, the most probable one).
 */
export const saliencyRequestSchema = z
  .object({ ...runAt, source: inspectSourceSchema, step: z.number().int().min(0).max(MAX_INSPECT_TOKENS - 1), target: z.string().max(1000).nullable() })
  .strict();
export type SaliencyRequest = z.output<typeof saliencyRequestSchema>;
export const saliencyResultSchema = z.object({
  checkpoint: z.string(),
  step: z.number().int().nonnegative(),
  target: z.string(),
  /** p(target | tokens 0…step). */
  probability: z.number(),
  /** Index of the first token that has a value: max(0, step + 1 − MAX_SALIENCY_STEPS). */
  from: z.number().int().nonnegative(),
  /** Tokens from…step. */
  tokens: z.array(z.string()),
  /** One value per token from…step. */
  saliency: z.array(z.number()),
});
export type SaliencyResult = z.infer<typeof saliencyResultSchema>;

/** Fraction of steps each unit's gate spends below 0.1 (`left`) and above 0.9 (`right`), over validation text. */
export const saturationRequestSchema = z.object({ ...runAt, tokens: count(MAX_SATURATION_TOKENS).default(DEFAULT_SATURATION_TOKENS) }).strict();
export type SaturationRequest = z.output<typeof saturationRequestSchema>;
export const gateSaturationSchema = z.object({ left: z.array(z.number()), right: z.array(z.number()) });
export const saturationResultSchema = z.object({
  checkpoint: z.string(),
  cell: z.enum(['rnn', 'gru', 'lstm']),
  /** Tokens read (the validation text, continued from the training text's start when shorter). */
  tokens: z.number().int().nonnegative(),
  /** Per layer, per gate name. RNN layers have no gates: `{}`. */
  layers: z.array(z.record(z.string(), gateSaturationSchema)),
});
export type SaturationResult = z.infer<typeof saturationResultSchema>;

/** LSTMVis select: the units of `layer` whose h exceeds `threshold` at every step of [from, to). */
export const selectRequestSchema = z
  .object({
    ...runAt,
    source: inspectSourceSchema,
    layer: z.number().int().min(0).max(63),
    from: z.number().int().min(0).max(MAX_INSPECT_TOKENS - 1),
    to: z.number().int().min(1).max(MAX_INSPECT_TOKENS),
    threshold: z.number().min(-1).max(1),
  })
  .strict()
  .refine((r) => r.from < r.to, { message: 'The range must hold at least one token (from < to).', path: ['to'] });
export type SelectRequest = z.output<typeof selectRequestSchema>;
export const selectResultSchema = z.object({ units: z.array(z.number().int().nonnegative()), tokens: z.array(z.string()) });
export type SelectResult = z.infer<typeof selectResultSchema>;

/**
 * LSTMVis match: places in the run's corpus (first `corpusTokens` tokens) where a window of
 * `length` tokens has the selected `units` of `layer` on (h > threshold at every step). Score =
 * (selected units on − other units on) / selected units, in [−H/|units|, 1]; overlapping windows
 * count once (the best). Streamed: the current best `MATCH_TOP` arrive as `inspect:matches`.
 */
export const matchRequestSchema = z
  .object({
    projectDir: absolutePath,
    runId: id,
    checkpoint: z.string().max(200).nullable(),
    jobId: jobIdSchema,
    layer: z.number().int().min(0).max(63),
    units: z.array(z.number().int().min(0).max(65_535)).min(1).max(65_536),
    threshold: z.number().min(-1).max(1),
    length: count(1000),
    corpusTokens: count(MAX_MATCH_TOKENS).default(DEFAULT_MATCH_TOKENS),
    /** Tokens of context on each side of a match. */
    context: z.number().int().min(0).max(200).default(20),
  })
  .strict();
export type MatchRequest = z.output<typeof matchRequestSchema>;
export const matchStartSchema = z.object({ jobId: jobIdSchema, checkpoint: z.string(), corpusTokens: z.number().int().nonnegative(), separator: z.string() });
export type MatchStart = z.infer<typeof matchStartSchema>;
export const corpusMatchSchema = z.object({
  /** Window [start, end) in corpus tokens. */
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  score: z.number(),
  before: z.string(),
  text: z.string(),
  after: z.string(),
});
export type CorpusMatch = z.infer<typeof corpusMatchSchema>;
export const inspectMatchesSchema = z.object({
  jobId: jobIdSchema,
  scanned: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  /** Best first; at most MATCH_TOP. */
  matches: z.array(corpusMatchSchema),
});
export type InspectMatches = z.infer<typeof inspectMatchesSchema>;

export const cancelRequestSchema = z.object({ jobId: jobIdSchema }).strict();
