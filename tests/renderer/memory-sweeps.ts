/**
 * The in-memory `sweeps:*` handlers behind the renderer tests: sweeps kept in a Map, and
 * `pushTrial` to stream a trial change the way the runner does (one `sweeps:progress` event).
 */
import { AppError } from '../../src/shared/errors';
import type { Handlers } from '../../src/shared/ipc/handlers';
import type { SweepDetail, SweepSummary, TrialDto, TrialState } from '../../src/shared/sweep';
import { TRIAL_STATES } from '../../src/shared/sweep';
import type { RunDetail } from '../../src/shared/runs';
import { runDetail } from './fixtures';

type Emit = (channel: 'sweeps:progress', payload: { projectDir: string; sweepId: string; sweep: SweepSummary; trial: TrialDto | null }) => void;

export interface MemorySweeps {
  sweeps: Map<string, SweepDetail & { projectDir: string }>;
  /** Puts a trial in place (by number), updates counts and best, and pushes it as an event. */
  pushTrial(sweepId: string, trial: Partial<TrialDto> & { number: number }): TrialDto;
  /** Sets the sweep's state (and message) and pushes it without a trial. */
  setState(sweepId: string, state: SweepSummary['state'], message?: string | null): void;
  /** Seeds a finished sweep with its trials. */
  seed(projectDir: string, detail: SweepDetail): void;
}

export function memorySweeps(emit: Emit, addRun: (projectDir: string, run: RunDetail) => void): { sweeps: MemorySweeps; handlers: Pick<Handlers, 'sweeps:create' | 'sweeps:list' | 'sweeps:get' | 'sweeps:stop' | 'sweeps:resume'> } {
  const map = new Map<string, SweepDetail & { projectDir: string }>();

  function get(sweepId: string): SweepDetail & { projectDir: string } {
    const s = map.get(sweepId);
    if (!s) throw new AppError('NotFound', `There is no sweep “${sweepId}” in this project.`);
    return s;
  }

  function recount(d: SweepDetail): SweepSummary {
    const counts = Object.fromEntries(TRIAL_STATES.map((s) => [s, d.trials.filter((t) => t.state === s).length])) as Record<TrialState, number>;
    let best: SweepSummary['best'] = null;
    for (const t of d.trials) if (t.state === 'COMPLETE' && t.value !== null && (best === null || t.value < best.value)) best = { number: t.number, value: t.value, params: t.params, runId: t.runId };
    return { ...d.sweep, counts, best };
  }

  const sweeps: MemorySweeps = {
    sweeps: map,
    pushTrial(sweepId, partial) {
      const d = get(sweepId);
      const before = d.trials.find((t) => t.number === partial.number);
      const trial: TrialDto = { params: {}, state: 'RUNNING', value: null, intermediate: [], runId: null, started: null, finished: null, message: null, ...before, ...partial };
      d.trials = [...d.trials.filter((t) => t.number !== trial.number), trial].sort((a, b) => a.number - b.number);
      if (trial.runId && !before?.runId) addRun(d.projectDir, runDetail(trial.runId, { name: `${d.sweep.name}-trial-${trial.number}`, state: 'running', datasetId: d.config.datasetId }));
      d.sweep = recount(d);
      emit('sweeps:progress', { projectDir: d.projectDir, sweepId, sweep: d.sweep, trial });
      return trial;
    },
    setState(sweepId, state, message = null) {
      const d = get(sweepId);
      d.sweep = { ...d.sweep, state, message };
      emit('sweeps:progress', { projectDir: d.projectDir, sweepId, sweep: d.sweep, trial: null });
    },
    seed(projectDir, detail) {
      map.set(detail.sweep.id, { ...structuredClone(detail), projectDir });
    },
  };

  const handlers: Pick<Handlers, 'sweeps:create' | 'sweeps:list' | 'sweeps:get' | 'sweeps:stop' | 'sweeps:resume'> = {
    'sweeps:create': ({ projectDir, config }) => {
      let n = map.size + 1;
      while (map.has(`sweep-${n}`)) n++;
      const id = `sweep-${n}`;
      const sweep: SweepSummary = {
        id, name: config.name, state: 'running', created: '2026-12-02T10:00:00.000Z', finished: null, method: config.method, prune: config.prune, trials: config.trials, parallel: config.parallel,
        counts: { RUNNING: 0, COMPLETE: 0, PRUNED: 0, FAIL: 0, WAITING: 0 }, best: null, message: null,
      };
      map.set(id, { sweep, config, trials: [], journal: `${projectDir}/sweeps/${id}/optuna-journal.log`, projectDir });
      return sweep;
    },
    'sweeps:list': ({ projectDir }) => [...map.values()].filter((s) => s.projectDir === projectDir).map((s) => s.sweep),
    'sweeps:get': ({ sweepId }) => {
      const { projectDir: _p, ...detail } = get(sweepId);
      return structuredClone(detail);
    },
    'sweeps:stop': ({ sweepId }) => {
      const d = get(sweepId);
      d.sweep = { ...d.sweep, state: 'stopped' };
      return d.sweep;
    },
    'sweeps:resume': ({ sweepId }) => {
      const d = get(sweepId);
      d.sweep = { ...d.sweep, state: 'running' };
      return d.sweep;
    },
  };
  return { sweeps, handlers };
}
