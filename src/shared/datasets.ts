/**
 * Dataset records: the shape of `datasets/<id>/dataset.json` on disk and of what the renderer
 * receives. One declaration serves the store, the IPC contract and the views.
 */
import { z } from 'zod';

const isoTime = z.iso.datetime({ offset: true });
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
  /** Share of the non-space characters `letters` cleaning keeps (A–Z, a–z); absent for older datasets. */
  lettersKept: z.number().min(0).max(1).optional(),
  /** The text's first characters under each cleaning: the default sample prefix comes from them. */
  opening: z.object({ none: z.string(), letters: z.string() }).optional(),
});
export type TextStats = z.infer<typeof textStatsSchema>;

export const csvColumnSchema = z.object({
  name: z.string(),
  /**
   * `label` columns (text) are kept in the source but not used as series; `time` columns hold ISO
   * dates or datetimes in every present cell and can order the rows (see `CsvStats.time`).
   */
  kind: z.enum(['numeric', 'label', 'time']),
  /** The unnamed leading column pandas' `to_csv` writes for its index (read as `index`): not offered as a feature by default. */
  index: z.boolean().optional(),
  count: z.number().int().nonnegative(),
  missing: z.number().int().nonnegative(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  mean: z.number().nullable(),
  std: z.number().nullable(),
});
export type CsvColumnStats = z.infer<typeof csvColumnSchema>;

export const CSV_TIME_STEPS = ['hourly', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'irregular'] as const;
export type CsvTimeStep = (typeof CSV_TIME_STEPS)[number];

/** The detected time column (the first `time` column): its span, typical step and whether it increases strictly. */
export const csvTimeSchema = z.object({
  column: z.string(),
  first: z.string(),
  last: z.string(),
  /** From the median gap between consecutive times. */
  step: z.enum(CSV_TIME_STEPS),
  /** Seasonal period the step suggests (hourly 24, daily 7, weekly 52, monthly 12, quarterly 4, yearly 1); null when irregular. */
  seasonalPeriod: z.number().int().positive().nullable(),
  increasing: z.boolean(),
  /** The first data row (1-based) whose time is not after the one before, when there is one. */
  disorder: z.object({ row: z.number().int().positive(), line: z.number().int().positive(), previous: z.string(), value: z.string() }).optional(),
});
export type CsvTime = z.infer<typeof csvTimeSchema>;

export const csvStatsSchema = z.object({
  kind: z.literal('csv'),
  delimiter: z.enum([',', ';', '\t', 'none']),
  hasHeader: z.boolean(),
  rows: z.number().int().nonnegative(),
  columns: z.array(csvColumnSchema),
  /** Rows with at least one missing numeric cell: what the `drop` policy removes when every numeric column is used. */
  rowsWithMissing: z.number().int().nonnegative().optional(),
  /** The time column, when one was detected (absent for datasets imported before detection existed). */
  time: csvTimeSchema.nullable().optional(),
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

/** The live vocabulary view of the dataset screen: what a tokenizer, cleaning and min_freq give. */
export const vocabularyViewSchema = z.object({
  tokenizer: z.enum(['char', 'word']),
  cleaning: z.enum(['none', 'letters']),
  minFreq: z.number().int().positive(),
  tokens: z.number().int().nonnegative(),
  distinct: z.number().int().nonnegative(),
  vocabSize: z.number().int().positive(),
  unkRate: z.number().min(0).max(1),
  unigramPerplexity: z.number().nonnegative(),
  /** Count of the token at each frequency rank (1-based rank = index + 1), for the Zipf chart; capped. */
  rankCounts: z.array(z.number().int().nonnegative()),
  top: z.array(topToken),
});
export type VocabularyView = z.infer<typeof vocabularyViewSchema>;

export const importProgressSchema = z.object({
  projectDir: z.string(),
  /** The file being imported, as the renderer named it. */
  filePath: z.string(),
  bytesRead: z.number().nonnegative(),
  totalBytes: z.number().nonnegative(),
});
export type ImportProgress = z.infer<typeof importProgressSchema>;
