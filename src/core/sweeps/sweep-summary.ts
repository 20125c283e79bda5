/** What listings and events show of a sweep: counts per trial state and the best trial. */
import type { SweepSummary, TrialState } from '../../shared/sweep';
import type { SweepRecord } from './sweep-store';

export function sweepSummary(record: SweepRecord, state = record.state): SweepSummary {
  const counts: Record<TrialState, number> = { RUNNING: 0, COMPLETE: 0, PRUNED: 0, FAIL: 0, WAITING: 0 };
  let best: SweepSummary['best'] = null;
  for (const t of record.trials) {
    counts[t.state]++;
    if (t.state === 'COMPLETE' && t.value !== null && (best === null || t.value < best.value)) best = { number: t.number, value: t.value, params: { ...t.params }, runId: t.runId };
  }
  const c = record.config;
  return {
    id: record.id, name: c.name, state, created: record.created, finished: record.finished, method: c.method, prune: c.prune,
    trials: c.trials, parallel: c.parallel, counts, best, message: record.message,
  };
}
