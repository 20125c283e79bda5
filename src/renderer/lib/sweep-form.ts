/**
 * The "New sweep" form as data. Every run-config field is a row: fixed (its value goes into the
 * base config, as in the run setup form) or swept (a list of values, a range, or a log range where
 * the field is declared `log`). Parsing goes through the shared sweep schema, so each row shows
 * the schema's own sentence.
 */
import { runConfigFields, type FieldSpec, type RunConfig, type RunConfigKey } from '../../shared/run-config';
import { gridSize, sweepConfigSchema, UNSWEEPABLE_FIELDS, type ParamSpec, type Pruner, type SweepConfigInput, type SweepMethod } from '../../shared/sweep';
import { isRelevant, parseDraft, type Draft } from './config-form';

export type SpaceMode = 'fixed' | 'list' | 'range' | 'log';

export interface SpaceRow {
  mode: SpaceMode;
  /** Numbers of a list, separated by commas or spaces. */
  values: string;
  /** The options ticked in a list of a choice field. */
  choices: string[];
  low: string;
  high: string;
}

export interface SweepDraft {
  name: string;
  method: SweepMethod;
  prune: Pruner;
  trials: string | number;
  parallel: string | number;
  seed: string | number;
  base: Draft;
  space: Record<string, SpaceRow>;
}

/** The fields a sweep may vary, in the form's order. */
export const SWEEPABLE_KEYS = (Object.keys(runConfigFields) as RunConfigKey[]).filter((k) => !UNSWEEPABLE_FIELDS.includes(k));

export function emptyRow(): SpaceRow {
  return { mode: 'fixed', values: '', choices: [], low: '', high: '' };
}

/** Modes a field offers: lists for every field, ranges for numbers, log ranges where the field is declared `log`. */
export function modesOf(key: RunConfigKey): SpaceMode[] {
  const spec = runConfigFields[key] as FieldSpec;
  if (spec.kind === 'choice') return ['fixed', 'list'];
  return spec.kind === 'float' && spec.log ? ['fixed', 'list', 'range', 'log'] : ['fixed', 'list', 'range'];
}

export const MODE_LABELS: Record<SpaceMode, string> = { fixed: 'fixed', list: 'list of values', range: 'range', log: 'log range' };

/** A row as a space entry, or a sentence saying what in it is not a number. */
export function rowSpec(key: RunConfigKey, row: SpaceRow): { spec: ParamSpec | null; error: string | null } {
  const spec = runConfigFields[key] as FieldSpec;
  if (row.mode === 'fixed') return { spec: null, error: null };
  if (row.mode === 'list') {
    if (spec.kind === 'choice') return row.choices.length > 0 ? { spec: { values: [...row.choices] }, error: null } : { spec: null, error: `${spec.label}: tick at least one option.` };
    const parts = row.values.split(/[\s,;]+/).filter((s) => s !== '');
    if (parts.length === 0) return { spec: null, error: `${spec.label}: give at least one value, separated by commas.` };
    const bad = parts.find((s) => !Number.isFinite(Number(s)));
    if (bad !== undefined) return { spec: null, error: `${spec.label}: “${bad}” is not a number.` };
    return { spec: { values: parts.map(Number) }, error: null };
  }
  const low = row.low.trim();
  const high = row.high.trim();
  if (low === '' || high === '') return { spec: null, error: `${spec.label}: give both ends of the range.` };
  for (const s of [low, high]) if (!Number.isFinite(Number(s))) return { spec: null, error: `${spec.label}: “${s}” is not a number.` };
  return { spec: row.mode === 'log' ? { low: Number(low), high: Number(high), log: true } : { low: Number(low), high: Number(high) }, error: null };
}

export type SweepErrors = Partial<Record<'name' | 'trials' | 'parallel' | 'seed' | 'method' | 'space' | `space.${string}` | `base.${string}`, string>>;

/** The draft as a sweep config, or one sentence per field (rows under `space.<field>`, fixed values under `base.<field>`). */
export function parseSweepDraft(d: SweepDraft): { config: SweepConfigInput | null; errors: SweepErrors } {
  const errors: SweepErrors = {};
  const space: Record<string, ParamSpec> = {};
  for (const key of SWEEPABLE_KEYS) {
    const row = d.space[key];
    if (!row || row.mode === 'fixed') continue;
    const { spec, error } = rowSpec(key, row);
    if (error) errors[`space.${key}`] = error;
    else if (spec) space[key] = spec;
  }
  const base = parseDraft(d.base);
  for (const [k, msg] of Object.entries(base.errors)) if (!isSwept(d, k)) errors[`base.${k}`] = msg;
  const input = {
    name: d.name,
    datasetId: d.base.datasetId,
    method: d.method,
    prune: d.prune,
    trials: toNumber(d.trials),
    parallel: toNumber(d.parallel),
    seed: toNumber(d.seed),
    space,
    base: baseOf(d),
  };
  const parsed = sweepConfigSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [head, field] = issue.path.map(String);
      const key = (head === 'space' || head === 'base') && field ? `${head}.${field}` : head === 'space' ? 'space' : head === 'datasetId' ? 'base.datasetId' : (head ?? 'space');
      const k = key as keyof SweepErrors;
      if (head === 'base' && field && isSwept(d, field)) continue; // a swept field's base value is never used
      if (!errors[k]) errors[k] = issue.code === 'invalid_type' ? `${labelOf(head ?? '')} needs a number.` : issue.message;
    }
  }
  if (Object.keys(errors).length > 0) return { config: null, errors };
  return { config: input as SweepConfigInput, errors };
}

function isSwept(d: SweepDraft, key: string): boolean {
  const row = d.space[key];
  return !!row && row.mode !== 'fixed';
}

/** The base run config: the fixed fields as typed, swept fields at their defaults (each trial overrides them). */
function baseOf(d: SweepDraft): Partial<RunConfig> {
  const out: Record<string, unknown> = {};
  const numeric = (k: string) => k === 'sampleLength' || (k in runConfigFields && runConfigFields[k as RunConfigKey].kind !== 'choice');
  for (const [k, v] of Object.entries(d.base)) {
    if (k === 'datasetId' || isSwept(d, k)) continue;
    out[k] = numeric(k) ? toNumber(v) : v;
  }
  return out as Partial<RunConfig>;
}

function labelOf(key: string): string {
  return { trials: 'Trials', parallel: 'Parallel', seed: 'Seed', name: 'Name' }[key] ?? key;
}

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  const s = String(v).trim();
  return s === '' ? NaN : Number(s);
}

/** Grid size of the rows as typed so far (null while a range makes it not a grid or a row does not parse). */
export function draftGridSize(d: SweepDraft): number | null {
  const space: Record<string, ParamSpec> = {};
  for (const key of SWEEPABLE_KEYS) {
    const row = d.space[key];
    if (!row || row.mode === 'fixed') continue;
    const { spec } = rowSpec(key, row);
    if (!spec) return null;
    space[key] = spec;
  }
  return Object.keys(space).length > 0 ? gridSize(space) : null;
}

/** Fields that decide whether another one matters (config-form's `isRelevant`). */
const CONTROLLERS = ['cell', 'numLayers', 'optimizer', 'schedule'] as const;

/**
 * Whether a field can matter in some trial: with its controlling field swept, each of the
 * controller's listed values (or a range's high end) counts.
 */
export function isRelevantInSweep(key: RunConfigKey, d: SweepDraft): boolean {
  if (isSwept(d, key)) return true;
  const base = { cell: d.base.cell, numLayers: d.base.numLayers, optimizer: d.base.optimizer, schedule: d.base.schedule };
  if (isRelevant(key, base)) return true;
  for (const c of CONTROLLERS) {
    const row = d.space[c];
    if (!row || row.mode === 'fixed') continue;
    const candidates: Array<string | number> = row.mode === 'list' ? (runConfigFields[c].kind === 'choice' ? row.choices : row.values.split(/[\s,;]+/).filter(Boolean)) : [row.high];
    if (candidates.some((v) => isRelevant(key, { ...base, [c]: v }))) return true;
  }
  return false;
}
