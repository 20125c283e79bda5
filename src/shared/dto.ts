/** Data transfer objects: what the renderer sees of the app's state, declared with their validators. */
import { z } from 'zod';

export const projectNameSchema = z
  .string()
  .trim()
  .min(1, 'Give the project a name.')
  .max(80, 'Keep the name under 80 characters.')
  .refine((s) => !/[\\/:*?"<>|\u0000-\u001f]/.test(s), 'A project name cannot contain / \\ : * ? " < > | or control characters.');

export const absolutePathSchema = z
  .string()
  .min(1)
  .max(4096)
  .refine((s) => !s.includes('\u0000'), 'A path cannot contain NUL characters.');

export const projectSummarySchema = z.object({
  dir: z.string(),
  name: z.string(),
  created: z.string(),
  formatVersion: z.number().int(),
});
export type ProjectSummary = z.infer<typeof projectSummarySchema>;

export const problemSchema = z.object({
  kind: z.enum(['dataset', 'run', 'project']),
  id: z.string(),
  code: z.string(),
  message: z.string(),
});
export type Problem = z.infer<typeof problemSchema>;

export const datasetSummarySchema = z.object({ id: z.string(), name: z.string(), kind: z.string() });
export type DatasetSummary = z.infer<typeof datasetSummarySchema>;

export const runSummarySchema = z.object({ id: z.string(), name: z.string(), state: z.string() });
export type RunSummary = z.infer<typeof runSummarySchema>;

/** The other process writing to a project (null fields: it has not recorded itself yet). */
export const projectHolderSchema = z.object({ pid: z.number().int().nullable(), host: z.string().nullable(), since: z.string().nullable() });
export type ProjectHolder = z.infer<typeof projectHolderSchema>;

export const openedProjectSchema = z.object({
  project: projectSummarySchema,
  datasets: z.array(datasetSummarySchema),
  runs: z.array(runSummarySchema),
  problems: z.array(problemSchema),
  /** Set when another RNN Lab process holds the project's writer lock: it opened read-only. */
  readOnly: projectHolderSchema.nullable().optional(),
});
export type OpenedProject = z.infer<typeof openedProjectSchema>;

export const recentProjectSchema = z.object({ dir: z.string(), name: z.string(), openedAt: z.string() });
export type RecentProject = z.infer<typeof recentProjectSchema>;

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.string(),
  defaultProjectsDir: z.string(),
  pathSeparator: z.enum(['/', '\\']),
});
export type AppInfo = z.infer<typeof appInfoSchema>;
