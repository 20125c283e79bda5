/** On-disk schemas (zod) for the JSON files of a project. Every file carries `formatVersion`. */
import { z } from 'zod';
import { RUN_STATES, type RunState } from '../../shared/runs';

export const PROJECT_FORMAT_VERSION = 1;

const isoTime = z.iso.datetime({ offset: true });

export const projectFileSchema = z.object({
  formatVersion: z.number().int().positive(),
  name: z.string().min(1).max(200),
  created: isoTime,
  settings: z.record(z.string(), z.json()),
});
export type ProjectFile = z.infer<typeof projectFileSchema>;

export { RUN_STATES, type RunState };

export const runFileSchema = z.object({
  formatVersion: z.literal(1),
  id: z.string(),
  name: z.string().max(200),
  state: z.enum(RUN_STATES),
  created: isoTime,
  updated: isoTime,
  started: isoTime.nullable(),
  finished: isoTime.nullable(),
  /** Why a run failed, diverged or was interrupted, in words. */
  message: z.string().max(2000).optional(),
  /** Which kernels trained it last ("wasm-relaxed-simd (2 threads)"), reported by the trainer. */
  kernels: z.string().max(200).optional(),
  /** Lowest validation perplexity logged so far, kept here so listing runs never parses metrics.log. */
  bestValPerplexity: z.number().positive().optional(),
});
export type RunRecord = z.infer<typeof runFileSchema>;

// Dataset records are shared with the renderer: declared once in src/shared/datasets.ts.
export {
  csvColumnSchema,
  csvStatsSchema,
  datasetFileSchema,
  textStatsSchema,
  tokenizerStatsSchema,
  type CsvColumnStats,
  type CsvStats,
  type DatasetRecord,
  type TextStats,
  type TokenizerStats,
} from '../../shared/datasets';

export const recentProjectsFileSchema = z.object({
  formatVersion: z.literal(1),
  projects: z.array(z.object({ dir: z.string(), name: z.string(), openedAt: z.string() })),
});
