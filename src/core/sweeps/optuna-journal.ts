/**
 * Optuna's JournalStorage file (Optuna 3.1, `optuna/storages/_journal/storage.py`): one JSON
 * operation per line, replayed in order by `JournalStorage(JournalFileStorage(path))`. A sweep is
 * one study (direction minimize); trial ids are creation order, which is our trial numbers.
 * Params are written in Optuna's internal representation (a float for numbers, the choice index
 * for lists) with the distribution they were drawn from, so `load_study` gives back our values.
 */
import type { ParamValue, SpaceParam, TrialState } from '../../shared/sweep';

/** `JournalOperation` op codes. */
export const Op = { CREATE_STUDY: 0, CREATE_TRIAL: 4, SET_TRIAL_PARAM: 5, SET_TRIAL_STATE_VALUES: 6, SET_TRIAL_INTERMEDIATE_VALUE: 7, SET_TRIAL_SYSTEM_ATTR: 9 } as const;
/** `optuna.trial.TrialState` values. */
export const TRIAL_STATE_CODE: Record<TrialState, number> = { RUNNING: 0, COMPLETE: 1, PRUNED: 2, FAIL: 3, WAITING: 4 };
const MINIMIZE = 1;

export type JournalOp = Record<string, unknown> & { op_code: number; worker_id: string };

/** Python's `datetime.isoformat(timespec="microseconds")` of a naive UTC time. */
export function pythonIsoTime(iso: string): string {
  const d = new Date(iso);
  return `${d.toISOString().slice(0, 23)}000`;
}

/** `distribution_to_json`: the distribution as Optuna serialises it (a JSON string inside the op). */
export function distributionJson(p: SpaceParam): string {
  if (p.kind === 'categorical') return JSON.stringify({ name: 'CategoricalDistribution', attributes: { choices: p.values } });
  if (p.kind === 'int') return JSON.stringify({ name: 'IntDistribution', attributes: { log: p.log, step: 1, low: p.low, high: p.high } });
  return JSON.stringify({ name: 'FloatDistribution', attributes: { step: null, low: p.low, high: p.high, log: p.log } });
}

/** `distribution.to_internal_repr`: numbers as floats, list values as their index. */
export function internalRepr(p: SpaceParam, value: ParamValue): number {
  if (p.kind === 'categorical') {
    const i = p.values.indexOf(value);
    if (i < 0) throw new RangeError(`${JSON.stringify(value)} is not a choice of ${p.field}`);
    return i;
  }
  return value as number;
}

/** What the journal needs of a trial. */
export interface JournalTrial {
  number: number;
  params: Record<string, ParamValue>;
  state: TrialState;
  value: number | null;
  intermediate: readonly { step: number; value: number }[];
  rungs: Readonly<Record<string, number>>;
  started: string | null;
  finished: string | null;
}

export class JournalOps {
  constructor(private readonly workerId: string) {}

  private op(op_code: number, fields: Record<string, unknown>): JournalOp {
    return { op_code, worker_id: this.workerId, ...fields };
  }

  createStudy(name: string): JournalOp {
    return this.op(Op.CREATE_STUDY, { study_name: name, directions: [MINIMIZE] });
  }

  createTrial(started: string): JournalOp {
    return this.op(Op.CREATE_TRIAL, { study_id: 0, datetime_start: pythonIsoTime(started) });
  }

  param(trial: number, p: SpaceParam, value: ParamValue): JournalOp {
    return this.op(Op.SET_TRIAL_PARAM, { trial_id: trial, param_name: p.field, param_value_internal: internalRepr(p, value), distribution: distributionJson(p) });
  }

  intermediate(trial: number, step: number, value: number): JournalOp {
    return this.op(Op.SET_TRIAL_INTERMEDIATE_VALUE, { trial_id: trial, step, intermediate_value: value });
  }

  systemAttr(trial: number, key: string, value: unknown): JournalOp {
    return this.op(Op.SET_TRIAL_SYSTEM_ATTR, { trial_id: trial, system_attr: { [key]: value } });
  }

  /** A finished state with its values (COMPLETE: the objective; PRUNED: the last intermediate value, as Optuna's tell does). */
  finish(trial: number, state: TrialState, value: number | null, finished: string): JournalOp {
    return this.op(Op.SET_TRIAL_STATE_VALUES, { trial_id: trial, state: TRIAL_STATE_CODE[state], values: value === null ? null : [value], datetime_complete: pythonIsoTime(finished) });
  }

  /** Every op of one trial as it stands: what a rewritten journal holds for it. */
  trial(t: JournalTrial, params: readonly SpaceParam[], at: string): JournalOp[] {
    const ops = [this.createTrial(t.started ?? at)];
    for (const p of params) if (Object.hasOwn(t.params, p.field)) ops.push(this.param(t.number, p, t.params[p.field]!));
    for (const v of t.intermediate) ops.push(this.intermediate(t.number, v.step, v.value));
    for (const [key, value] of Object.entries(t.rungs)) ops.push(this.systemAttr(t.number, key, value));
    if (t.state !== 'RUNNING' && t.state !== 'WAITING') ops.push(this.finish(t.number, t.state, t.value, t.finished ?? at));
    return ops;
  }
}

export const journalLines = (ops: readonly JournalOp[]): string => ops.map((o) => JSON.stringify(o) + '\n').join('');
