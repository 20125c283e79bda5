/**
 * The IPC contract: every channel is declared here once, with its namespaced name, its request
 * and response validators (the types follow from them), and every event the main process pushes.
 * The router registers exactly these channels; the preload exposes exactly these verbs.
 */
import { z } from 'zod';
import {
  absolutePathSchema,
  appInfoSchema,
  openedProjectSchema,
  projectNameSchema,
  projectSummarySchema,
  recentProjectSchema,
} from '../dto';
import { runConfigSchema } from '../run-config';
import { datasetFileSchema, importProgressSchema, vocabularyViewSchema } from '../datasets';
import {
  generateRequestSchema,
  generateResultSchema,
  runDetailSchema,
  runEstimateSchema,
  runEventSchema,
  runSummaryDtoSchema,
  scoreResultSchema,
} from '../runs';
import { forecastConfigSchema } from '../forecast-config';
import { forecastDetailSchema, forecastFutureSchema, forecastViewSchema } from '../forecast';
import * as inspect from '../inspect';
import { sweepConfigSchema, sweepDetailSchema, sweepEventSchema, sweepSummarySchema } from '../sweep';

const none = z.undefined();
const idSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'Not a valid identifier.');
const inProject = { projectDir: absolutePathSchema };
const runRef = z.object({ ...inProject, runId: idSchema }).strict();

export const requests = {
  'app:info': { request: none, response: appInfoSchema },
  'projects:create': {
    request: z.object({ parentDir: absolutePathSchema, name: projectNameSchema }).strict(),
    response: projectSummarySchema,
  },
  'projects:open': { request: z.object({ dir: absolutePathSchema }).strict(), response: openedProjectSchema },
  'projects:recent': { request: none, response: z.array(recentProjectSchema) },
  'projects:forget': { request: z.object({ dir: absolutePathSchema }).strict(), response: z.array(recentProjectSchema) },
  /** Opens the bundled demo project: copied into the app-data folder on first use, reopened from there after. */
  'demo:open': { request: none, response: openedProjectSchema },
  'dialog:pickFolder': {
    request: z.object({ purpose: z.enum(['open-project', 'project-location', 'pytorch-run']) }).strict(),
    response: z.object({ path: z.string().nullable() }),
  },
  'datasets:import': {
    request: z.object({ ...inProject, filePath: absolutePathSchema, name: z.string().trim().min(1).max(200).optional(), kind: z.enum(['text', 'csv']).optional() }).strict(),
    response: datasetFileSchema,
  },
  'datasets:get': { request: z.object({ ...inProject, datasetId: idSchema }).strict(), response: datasetFileSchema },
  'datasets:vocabulary': {
    request: z
      .object({ ...inProject, datasetId: idSchema, tokenizer: z.enum(['char', 'word']), cleaning: z.enum(['none', 'letters']), minFreq: z.number().int().min(1).max(1_000_000) })
      .strict(),
    response: vocabularyViewSchema,
  },
  'datasets:preview': {
    request: z.object({ ...inProject, datasetId: idSchema, cleaning: z.enum(['none', 'letters']), maxChars: z.number().int().min(1).max(100_000) }).strict(),
    /** `lettersKept`: share of the previewed text's non-space characters that `letters` cleaning keeps. */
    response: z.object({ text: z.string(), truncated: z.boolean(), lettersKept: z.number().min(0).max(1).optional() }),
  },
  'datasets:rename': { request: z.object({ ...inProject, datasetId: idSchema, name: z.string().trim().min(1).max(200) }).strict(), response: datasetFileSchema },
  'datasets:delete': { request: z.object({ ...inProject, datasetId: idSchema }).strict(), response: z.object({ deleted: z.boolean() }) },
  'dialog:pickFile': {
    request: z.object({ purpose: z.enum(['dataset', 'weights', 'config', 'vocab']) }).strict(),
    response: z.object({ path: z.string().nullable() }),
  },
  'dialog:saveFile': {
    request: z.object({ purpose: z.enum(['export-safetensors', 'export-onnx', 'export-json', 'export-html', 'chart-png', 'metrics-csv', 'export-pytorch-run']), suggestedName: z.string().max(255) }).strict(),
    response: z.object({ path: z.string().nullable() }),
  },
  /**
   * Shows the save dialog and writes what the renderer produced (a chart image, a metrics table)
   * to the path the user chose. The renderer never names a path, so it cannot write elsewhere.
   */
  'files:save': {
    request: z
      .object({ purpose: z.enum(['chart-png', 'metrics-csv']), suggestedName: z.string().max(255), data: z.string().max(64 * 1024 * 1024), encoding: z.enum(['base64', 'utf8']) })
      .strict(),
    response: z.object({ path: z.string().nullable() }),
  },
  'runs:list': { request: z.object(inProject).strict(), response: z.array(runSummaryDtoSchema) },
  'runs:get': { request: runRef, response: runDetailSchema },
  'runs:create': {
    request: z.object({ ...inProject, config: runConfigSchema as unknown as z.ZodType<z.output<typeof runConfigSchema>> }).strict(),
    response: runSummaryDtoSchema,
  },
  /**
   * Times a few training minibatches of `config` on the project's data, off the main thread, and
   * answers with the whole run's expected wall time. Reads only; writes nothing.
   */
  'runs:estimate': {
    request: z.object({ ...inProject, config: runConfigSchema as unknown as z.ZodType<z.output<typeof runConfigSchema>> }).strict(),
    response: runEstimateSchema,
  },
  'runs:start': { request: runRef, response: runSummaryDtoSchema },
  'runs:pause': { request: runRef, response: runSummaryDtoSchema },
  /** Continues a paused, interrupted or diverged run, optionally with a new learning rate or epoch total. */
  'runs:resume': {
    request: z.object({ ...inProject, runId: idSchema, lr: z.number().positive().max(100).optional(), epochs: z.number().int().positive().optional() }).strict(),
    response: runSummaryDtoSchema,
  },
  'runs:stop': { request: runRef, response: runSummaryDtoSchema },
  'runs:step': { request: runRef, response: runSummaryDtoSchema },
  'runs:rename': { request: z.object({ ...inProject, runId: idSchema, name: z.string().trim().min(1).max(80) }).strict(), response: runSummaryDtoSchema },
  'runs:delete': { request: runRef, response: z.object({ deleted: z.boolean() }) },
  /** Creates a forecast run (queued) on a CSV dataset; the series is checked against the settings first, so a refusal creates nothing. */
  'forecast:create': {
    request: z.object({ ...inProject, config: forecastConfigSchema as unknown as z.ZodType<z.output<typeof forecastConfigSchema>, z.input<typeof forecastConfigSchema>> }).strict(),
    response: runSummaryDtoSchema,
  },
  /** A forecast run's config, metric records and checkpoints (runs:get answers text runs only). */
  'forecast:get': { request: runRef, response: forecastDetailSchema },
  /** The forecast view's figures from the run's last checkpoint: one-step predictions, errors per split part, baselines, k-step errors. */
  'forecast:view': { request: runRef, response: forecastViewSchema },
  /** Recursive forecast of `steps` values past the end of the series. */
  'forecast:future': { request: z.object({ ...inProject, runId: idSchema, steps: z.number().int().min(1).max(10_000), origin: z.number().int().min(0).max(100_000_000).optional() }).strict(), response: forecastFutureSchema },
  'generate:text': { request: generateRequestSchema, response: generateResultSchema },
  'generate:score': {
    request: z.object({ ...inProject, runId: idSchema, checkpoint: z.string().nullable(), text: z.string().min(1).max(100_000) }).strict(),
    response: scoreResultSchema,
  },
  /**
   * Exports a run's checkpoint: main shows the save dialog (the renderer never names the path) and
   * writes the files. `path` is null when the user cancelled; safetensors also writes NAME.config.json
   * and NAME.vocab.json beside the chosen NAME.safetensors.
   */
  'export:run': {
    request: z
      .object({ ...inProject, runId: idSchema, checkpoint: z.string().max(200).nullable(), format: z.enum(['safetensors', 'onnx', 'json', 'html']), prefix: z.string().max(10_000).optional() })
      .strict(),
    response: z.object({ path: z.string().nullable(), checkpoint: z.string().nullable(), files: z.array(z.object({ path: z.string(), bytes: z.number().int().nonnegative() })) }),
  },
  /** Imports weights trained elsewhere (PyTorch safetensors + config.json + vocab.json, or a JSON export) as a finished run. */
  'import:weights': {
    request: z.union([
      z.object({ ...inProject, weightsPath: absolutePathSchema, configPath: absolutePathSchema, vocabPath: absolutePathSchema, name: z.string().trim().min(1).max(80).optional() }).strict(),
      z.object({ ...inProject, jsonPath: absolutePathSchema, name: z.string().trim().min(1).max(80).optional() }).strict(),
    ]),
    response: runSummaryDtoSchema,
  },
  /**
   * "Train elsewhere": writes the run as a folder PyTorch trains (train.py, config.json, data,
   * initial weights, README, Slurm template) at the folder path the save dialog in main returns;
   * `path` is null when the user cancelled.
   */
  'export:pytorchRun': {
    request: runRef,
    response: z.object({ path: z.string().nullable(), files: z.array(z.object({ path: z.string(), bytes: z.number().int().nonnegative() })) }),
  },
  /** Imports train.py's output folder, chosen in a folder dialog in main, as a finished run with its curves; `run` is null when cancelled. */
  'import:pytorchRun': {
    request: z.object({ ...inProject, name: z.string().trim().min(1).max(80).optional() }).strict(),
    response: z.object({ run: runSummaryDtoSchema.nullable() }),
  },
  'shell:openExternal': { request: z.object({ url: z.string().max(2048) }).strict(), response: z.object({ opened: z.boolean() }) },
  /** Starts inspecting a text with a run (see shared/inspect.ts): answers the header, then streams `inspect:chunk` and `inspect:done`. */
  'inspect:start': { request: inspect.inspectRequestSchema, response: inspect.inspectHeaderSchema },
  /** Stops an inspection or a match; false when the job had already ended. */
  'inspect:cancel': { request: inspect.cancelRequestSchema, response: z.object({ cancelled: z.boolean() }) },
  'inspect:saliency': { request: inspect.saliencyRequestSchema, response: inspect.saliencyResultSchema },
  'inspect:saturation': { request: inspect.saturationRequestSchema, response: inspect.saturationResultSchema },
  'inspect:select': { request: inspect.selectRequestSchema, response: inspect.selectResultSchema },
  /** Starts a corpus match: streams `inspect:matches` (best so far), then `inspect:done`. */
  'inspect:match': { request: inspect.matchRequestSchema, response: inspect.matchStartSchema },
  /** Creates a sweep in `sweeps/<id>/` and starts it: K trials at a time, each a normal run in runs/, until N ended. */
  'sweeps:create': {
    request: z.object({ ...inProject, config: sweepConfigSchema as unknown as z.ZodType<z.output<typeof sweepConfigSchema>, z.input<typeof sweepConfigSchema>> }).strict(),
    response: sweepSummarySchema,
  },
  'sweeps:list': { request: z.object(inProject).strict(), response: z.array(sweepSummarySchema) },
  'sweeps:get': { request: z.object({ ...inProject, sweepId: idSchema }).strict(), response: sweepDetailSchema },
  /** Stops sampling new trials and stops the running ones (their runs are checkpointed); the sweep can resume. */
  'sweeps:stop': { request: z.object({ ...inProject, sweepId: idSchema }).strict(), response: sweepSummarySchema },
  /** Continues a stopped or interrupted sweep: interrupted trials are marked FAIL and new ones run until N ended. */
  'sweeps:resume': { request: z.object({ ...inProject, sweepId: idSchema }).strict(), response: sweepSummarySchema },
} as const;

/**
 * Channels only the preload calls, never exposed on `window.rnnlab`: when the user drops a file on
 * the window, the preload reads its path through webUtils (a real File only) and registers it here,
 * so main accepts that path in the import that follows. A page script cannot name a path this way.
 */
export const preloadRequests = {
  'files:dropped': {
    request: z.object({ path: absolutePathSchema.regex(/^(?:\/|[A-Za-z]:[\\/]|\\\\)/, 'A dropped file has a full path.') }).strict(),
    response: z.object({ registered: z.boolean() }),
  },
} as const;

export const events = {
  'projects:changed': z.object({ dir: z.string() }),
  /** The app was launched (or launched again) naming a project folder: the window opens it. */
  'projects:openRequested': z.object({ dir: z.string() }),
  'runs:update': runEventSchema,
  'datasets:importProgress': importProgressSchema,
  'inspect:chunk': inspect.inspectChunkSchema,
  'inspect:matches': inspect.inspectMatchesSchema,
  'inspect:done': inspect.inspectDoneSchema,
  'sweeps:progress': sweepEventSchema,
} as const;

export type RequestChannel = keyof typeof requests;
export type EventChannel = keyof typeof events;
export type RequestOf<C extends RequestChannel> = z.input<(typeof requests)[C]['request']>;
export type ResponseOf<C extends RequestChannel> = z.output<(typeof requests)[C]['response']>;
export type EventPayloadOf<E extends EventChannel> = z.output<(typeof events)[E]>;

export type PreloadChannel = keyof typeof preloadRequests;
export const requestChannels = Object.keys(requests) as RequestChannel[];
export const preloadChannels = Object.keys(preloadRequests) as PreloadChannel[];
export const eventChannels = Object.keys(events) as EventChannel[];
