/**
 * Hyperparameter sweeps: the search space over run-config fields, the sweep config, and what the
 * renderer sees of a sweep and its trials. Every trial is a normal run in the project's runs/;
 * the sweep's own state lives in `sweeps/<id>/` beside an Optuna JournalStorage file.
 *
 * A space maps run-config fields to one of
 *   `{ values: [...] }`            a list (Optuna CategoricalDistribution; grid sweeps need these),
 *   `{ low, high }`                a range (IntDistribution for int fields, FloatDistribution else),
 *   `{ low, high, log: true }`     a log range (sampled log-uniformly; low > 0).
 */
import { z } from 'zod';
import { runConfigFields, runConfigSchema, type FieldSpec, type RunConfig, type RunConfigKey } from './run-config';

export const paramValueSchema = z.union([z.string(), z.number()]);
export type ParamValue = z.infer<typeof paramValueSchema>;

export const listSpecSchema = z.object({ values: z.array(paramValueSchema).min(1, 'A list needs at least one value.') }).strict();
export const rangeSpecSchema = z.object({ low: z.number(), high: z.number(), log: z.boolean().optional() }).strict();
/** The shape is checked by `spaceIssues` (sentences naming the field), not by a union's generic message. */
export const paramSpecSchema = z.custom<z.infer<typeof listSpecSchema> | z.infer<typeof rangeSpecSchema>>(() => true);
export type ListSpec = z.infer<typeof listSpecSchema>;
export type RangeSpec = z.infer<typeof rangeSpecSchema>;
export type ParamSpec = z.infer<typeof paramSpecSchema>;

/** Fields a sweep may not vary: they decide what is measured and saved, not how the model learns. */
export const UNSWEEPABLE_FIELDS: readonly RunConfigKey[] = ['valEvery', 'sampleEvery', 'checkpointEvery', 'keepCheckpoints'];

/** One parameter of a validated space, as the sampler and the views need it. */
export type SpaceParam =
  | { field: RunConfigKey; kind: 'categorical'; values: ParamValue[] }
  | { field: RunConfigKey; kind: 'int' | 'float'; low: number; high: number; log: boolean };

export interface SpaceIssue {
  field: string;
  message: string;
}

const isList = (spec: ParamSpec): spec is ListSpec => 'values' in spec;

const RANGE_KEYS = ['low', 'high', 'log'];

/** Why `spec` is neither a list nor a range, as a sentence (null when it has one of the shapes). */
function shapeIssue(field: string, spec: unknown): string | null {
  const either = `a list {"values": [...]} or a range {"low": a, "high": b}`;
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) return `Give ${field} ${either}, not ${JSON.stringify(spec)}.`;
  const keys = Object.keys(spec);
  if (keys.includes('values')) {
    const extra = keys.filter((k) => k !== 'values');
    if (extra.length > 0) return `${field} is a list; drop ${extra.map((k) => `"${k}"`).join(', ')} (a list takes only "values").`;
    if (!Array.isArray((spec as { values: unknown }).values)) return `The "values" of ${field} must be an array.`;
    if ((spec as { values: unknown[] }).values.length === 0) return `The list for ${field} needs at least one value.`;
    if ((spec as { values: unknown[] }).values.some((v) => typeof v !== 'string' && typeof v !== 'number')) return `The values of ${field} must be numbers or strings.`;
    return null;
  }
  const unknown = keys.filter((k) => !RANGE_KEYS.includes(k));
  if (unknown.length > 0) return `${field} has ${unknown.length > 1 ? 'unknown keys' : 'an unknown key'} ${unknown.map((k) => `"${k}"`).join(', ')}; give it ${either}, with "log": true for a log range.`;
  const r = spec as Record<string, unknown>;
  if (typeof r['low'] !== 'number' || typeof r['high'] !== 'number') return `The range for ${field} needs numbers "low" and "high".`;
  if (r['log'] !== undefined && typeof r['log'] !== 'boolean') return `The "log" of ${field} must be true or false.`;
  return null;
}

/** Checks one field's spec against the run-config declaration; each issue is a sentence naming the field. */
function fieldIssues(field: string, spec: ParamSpec): string[] {
  const shape = shapeIssue(field, spec);
  if (shape !== null) return [shape];
  if (!Object.hasOwn(runConfigFields, field)) return [`"${field}" is not a run-config field.`];
  const key = field as RunConfigKey;
  const decl: FieldSpec = runConfigFields[key];
  const name = `${decl.label} (${field})`;
  if (UNSWEEPABLE_FIELDS.includes(key)) return [`${name} is a monitoring setting; a sweep cannot vary it.`];
  if (isList(spec)) {
    const out: string[] = [];
    const seen = new Set<string>();
    for (const v of spec.values) {
      if (seen.has(JSON.stringify(v))) out.push(`${name} lists ${JSON.stringify(v)} twice.`);
      seen.add(JSON.stringify(v));
      if (decl.kind === 'choice') {
        if (!decl.options.includes(v as string)) out.push(`${name} cannot be ${JSON.stringify(v)}; choose from ${decl.options.join(', ')}.`);
      } else if (typeof v !== 'number' || !Number.isFinite(v)) out.push(`${name} takes numbers, not ${JSON.stringify(v)}.`);
      else if (decl.kind === 'int' && !Number.isInteger(v)) out.push(`${name} takes whole numbers, not ${v}.`);
      else if (v < decl.min || v > decl.max) out.push(`${name} must be between ${decl.min} and ${decl.max}, not ${v}.`);
    }
    return out;
  }
  if (decl.kind === 'choice') return [`${name} is a choice; give it a list of values, not a range.`];
  const { low, high, log } = spec;
  if (!Number.isFinite(low) || !Number.isFinite(high)) return [`${name} needs finite low and high.`];
  if (decl.kind === 'int' && (!Number.isInteger(low) || !Number.isInteger(high))) return [`${name} takes whole numbers; its range needs whole low and high.`];
  if (!(low < high)) return [`${name} needs low below high (got ${low} … ${high}).`];
  if (low < decl.min || high > decl.max) return [`${name} must stay between ${decl.min} and ${decl.max} (got ${low} … ${high}).`];
  if (log && low <= 0) return [`${name} on a log scale needs low above 0 (got ${low}).`];
  return [];
}

/** All issues of a space (empty when it is valid). */
export function spaceIssues(space: Record<string, ParamSpec>): SpaceIssue[] {
  const fields = Object.keys(space);
  if (fields.length === 0) return [{ field: '', message: 'The search space is empty; give at least one field to vary.' }];
  return fields.flatMap((field) => fieldIssues(field, space[field]!).map((message) => ({ field, message })));
}

export const searchSpaceSchema = z.record(z.string(), paramSpecSchema, 'The search space must be an object mapping run-config fields to lists or ranges.').superRefine((space, ctx) => {
  for (const issue of spaceIssues(space)) ctx.addIssue({ code: 'custom', path: issue.field ? [issue.field] : [], message: issue.message });
});
export type SearchSpace = z.infer<typeof searchSpaceSchema>;

/** The parameters of a valid space, in the space's key order. */
export function spaceParams(space: SearchSpace): SpaceParam[] {
  return Object.entries(space).map(([field, spec]) => {
    const key = field as RunConfigKey;
    if (isList(spec)) return { field: key, kind: 'categorical', values: [...spec.values] };
    const kind = runConfigFields[key].kind === 'int' ? 'int' : 'float';
    return { field: key, kind, low: spec.low, high: spec.high, log: spec.log === true };
  });
}

/** Grid size (cartesian product of the lists), or null when a range makes the space not a grid. */
export function gridSize(space: SearchSpace): number | null {
  let n = 1;
  for (const spec of Object.values(space)) {
    if (!isList(spec)) return null;
    n *= spec.values.length;
  }
  return n;
}

export const SWEEP_METHODS = ['grid', 'random', 'tpe'] as const;
export const PRUNERS = ['none', 'median', 'asha'] as const;
export type SweepMethod = (typeof SWEEP_METHODS)[number];
export type Pruner = (typeof PRUNERS)[number];

const baseInputSchema = z.custom<Partial<Omit<RunConfig, 'datasetId'>>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'The base run config must be an object.');

/**
 * A sweep's config. `base` is the run config every trial starts from (defaults fill the rest);
 * each trial overrides the space's fields and validates every epoch (the intermediate values the
 * pruners read). The objective is the best validation perplexity, minimised. A grid sweep runs at
 * most the grid's size of trials.
 */
const sweepFields = {
    name: z.string().trim().min(1, 'Give the sweep a name.').max(80).default('sweep'),
    datasetId: z.string().min(1, 'Choose a dataset.'),
    space: searchSpaceSchema,
    method: z.enum(SWEEP_METHODS).default('random'),
    trials: z.number().int('Trials must be a whole number.').min(1, 'A sweep needs at least 1 trial.').max(10_000, 'A sweep runs at most 10,000 trials.').default(20),
    parallel: z.number().int('Parallel must be a whole number.').min(1, 'Run at least 1 trial at a time.').max(64, 'Run at most 64 trials at a time.').default(1),
    prune: z.enum(PRUNERS).default('none'),
    objective: z.literal('val-perplexity').default('val-perplexity'),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
};

export const sweepConfigSchema = z
  .object({ ...sweepFields, base: baseInputSchema.default({}) })
  .strict()
  .superRefine((c, ctx) => {
    const base = runConfigSchema.safeParse({ ...c.base, datasetId: c.datasetId });
    if (!base.success) for (const issue of base.error.issues) ctx.addIssue({ code: 'custom', path: ['base', ...issue.path.map(String)], message: issue.message });
    else if (base.data.valFraction === 0 && !('valFraction' in c.space)) {
      ctx.addIssue({ code: 'custom', path: ['base', 'valFraction'], message: 'A sweep minimises validation perplexity; set the validation fraction above 0.' });
    }
    if (c.method === 'grid' && gridSize(c.space) === null) {
      const ranged = Object.entries(c.space).filter(([, s]) => !isList(s)).map(([f]) => f);
      ctx.addIssue({ code: 'custom', path: ['space', ranged[0] ?? ''], message: `A grid sweep needs lists; give ${ranged.join(', ')} a list of values instead of a range.` });
    }
  })
  .transform((c) => ({ ...c, base: runConfigSchema.parse({ ...c.base, datasetId: c.datasetId }) }));
/** A parsed sweep config as stored and answered (base complete). */
export const sweepConfigOutSchema = z.object({ ...sweepFields, base: runConfigSchema as unknown as z.ZodType<RunConfig> });
export type SweepConfigInput = z.input<typeof sweepConfigSchema>;
export type SweepConfig = z.output<typeof sweepConfigSchema>;

/** Optuna's trial states (WAITING: sampled, not yet started). */
export const TRIAL_STATES = ['RUNNING', 'COMPLETE', 'PRUNED', 'FAIL', 'WAITING'] as const;
export const trialStateSchema = z.enum(TRIAL_STATES);
export type TrialState = z.infer<typeof trialStateSchema>;

/** A validation perplexity reported at the end of an epoch (Optuna's intermediate value at step = epoch). */
export const intermediateValueSchema = z.object({ step: z.number().int().nonnegative(), value: z.number() });
export type IntermediateValue = z.infer<typeof intermediateValueSchema>;

export const trialDtoSchema = z.object({
  number: z.number().int().nonnegative(),
  params: z.record(z.string(), paramValueSchema),
  state: trialStateSchema,
  /** The objective: best validation perplexity (COMPLETE; PRUNED trials keep their last one in `intermediate`). */
  value: z.number().nullable(),
  intermediate: z.array(intermediateValueSchema),
  /** The run in runs/ that trains this trial (null before it is created). */
  runId: z.string().nullable(),
  started: z.string().nullable(),
  finished: z.string().nullable(),
  /** Why a FAIL trial failed (or a pruned one was stopped), as a sentence. */
  message: z.string().nullable(),
});
export type TrialDto = z.infer<typeof trialDtoSchema>;

export const SWEEP_STATES = ['running', 'stopped', 'done', 'interrupted', 'failed'] as const;
export const sweepStateSchema = z.enum(SWEEP_STATES);
export type SweepState = z.infer<typeof sweepStateSchema>;

export const sweepSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  state: sweepStateSchema,
  created: z.string(),
  finished: z.string().nullable(),
  method: z.enum(SWEEP_METHODS),
  prune: z.enum(PRUNERS),
  /** N, the total the sweep runs to, and K. */
  trials: z.number().int(),
  parallel: z.number().int(),
  counts: z.object({ RUNNING: z.number().int(), COMPLETE: z.number().int(), PRUNED: z.number().int(), FAIL: z.number().int(), WAITING: z.number().int() }),
  best: z.object({ number: z.number().int(), value: z.number(), params: z.record(z.string(), paramValueSchema), runId: z.string().nullable() }).nullable(),
  message: z.string().nullable(),
});
export type SweepSummary = z.infer<typeof sweepSummarySchema>;

export const sweepDetailSchema = z.object({
  sweep: sweepSummarySchema,
  config: sweepConfigOutSchema,
  trials: z.array(trialDtoSchema),
  /** Absolute path of `sweeps/<id>/optuna-journal.log` (open it with optuna-dashboard). */
  journal: z.string(),
});
export type SweepDetail = z.infer<typeof sweepDetailSchema>;

/** Pushed when a trial starts, reports an epoch, or ends, and when the sweep's state changes. */
export const sweepEventSchema = z.object({
  projectDir: z.string(),
  sweepId: z.string(),
  sweep: sweepSummarySchema,
  /** The trial that changed, if one did. */
  trial: trialDtoSchema.nullable(),
});
export type SweepEvent = z.infer<typeof sweepEventSchema>;
