/** On-disk schemas (zod) for the JSON files of a project. Every file carries `formatVersion`. */
import { z } from 'zod';

export const PROJECT_FORMAT_VERSION = 1;

const isoTime = z.iso.datetime({ offset: true });

export const projectFileSchema = z.object({
  formatVersion: z.number().int().positive(),
  name: z.string().min(1).max(200),
  created: isoTime,
  settings: z.record(z.string(), z.json()),
});
export type ProjectFile = z.infer<typeof projectFileSchema>;

export const RUN_STATES = ['queued', 'running', 'paused', 'done', 'failed', 'diverged', 'interrupted'] as const;
export type RunState = (typeof RUN_STATES)[number];

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
});
export type RunRecord = z.infer<typeof runFileSchema>;

const topToken = z.tuple([z.string(), z.number().int().nonnegative()]);

export const tokenizerStatsSchema = z.object({
  tokens: z.number().int().nonnegative(),
  /** Distinct tokens in the corpus. */
  distinct: z.number().int().nonnegative(),
  /** Vocabulary size with `<unk>` for the dataset's `minFreq`. */
  vocabSize: z.number().int().positive(),
  unkRate: z.number().min(0).max(1),
  unigramPerplexity: z.number().nonnegative(),
  top: z.array(topToken),
});
export type TokenizerStats = z.infer<typeof tokenizerStatsSchema>;

export const textStatsSchema = z.object({
  kind: z.literal('text'),
  characters: z.number().int().nonnegative(),
  lines: z.number().int().nonnegative(),
  newline: z.enum(['lf', 'crlf', 'cr', 'mixed', 'none']),
  cleaning: z.enum(['none', 'letters']),
  minFreq: z.number().int().positive(),
  char: tokenizerStatsSchema,
  word: tokenizerStatsSchema,
});
export type TextStats = z.infer<typeof textStatsSchema>;

export const csvColumnSchema = z.object({
  name: z.string(),
  /** `label` columns (text such as dates) are kept in the source but not used as series. */
  kind: z.enum(['numeric', 'label']),
  count: z.number().int().nonnegative(),
  missing: z.number().int().nonnegative(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  mean: z.number().nullable(),
  std: z.number().nullable(),
});
export type CsvColumnStats = z.infer<typeof csvColumnSchema>;

export const csvStatsSchema = z.object({
  kind: z.literal('csv'),
  delimiter: z.enum([',', ';', '\t', 'none']),
  hasHeader: z.boolean(),
  rows: z.number().int().nonnegative(),
  columns: z.array(csvColumnSchema),
});
export type CsvStats = z.infer<typeof csvStatsSchema>;

export const datasetFileSchema = z.object({
  formatVersion: z.literal(1),
  id: z.string(),
  name: z.string().min(1).max(200),
  kind: z.enum(['text', 'csv']),
  created: isoTime,
  source: z.object({
    /** `source.<ext>` inside the dataset folder. */
    file: z.string().regex(/^source\.[a-z0-9]{1,8}$/),
    originalName: z.string().max(1000),
    bytes: z.number().int().nonnegative(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    encoding: z.enum(['utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be']),
  }),
  stats: z.discriminatedUnion('kind', [textStatsSchema, csvStatsSchema]),
});
export type DatasetRecord = z.infer<typeof datasetFileSchema>;

export const recentProjectsFileSchema = z.object({
  formatVersion: z.literal(1),
  projects: z.array(z.object({ dir: z.string(), name: z.string(), openedAt: z.string() })),
});
