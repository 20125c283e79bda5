/**
 * Optuna's MedianPruner (PercentilePruner at 50 %): once `nStartupTrials` trials are COMPLETE and
 * the trial is past `nWarmupSteps`, prune it when its best value so far is worse than the median
 * of the completed trials' values at the same step (numpy's linear-interpolated percentile).
 */
import type { Pruner, PrunerTrial } from './pruner';

export interface MedianOptions {
  nStartupTrials?: number;
  nWarmupSteps?: number;
  intervalSteps?: number;
  nMinTrials?: number;
}

/** numpy.nanpercentile with linear interpolation. */
export function percentile(values: readonly number[], q: number): number {
  const xs = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (xs.length === 0) return NaN;
  const rank = (q / 100) * (xs.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return xs[lo]! + (xs[hi]! - xs[lo]!) * (rank - lo);
}

function isFirstInIntervalStep(step: number, steps: readonly number[], warmup: number, interval: number): boolean {
  const nearestLower = Math.floor((step - warmup) / interval) * interval + warmup;
  let secondLast = -1;
  for (const s of steps) if (s > secondLast && s !== step) secondLast = s;
  return secondLast < nearestLower;
}

export function medianPruner(options: MedianOptions = {}): Pruner {
  const nStartup = options.nStartupTrials ?? 5;
  const warmup = options.nWarmupSteps ?? 0;
  const interval = options.intervalSteps ?? 1;
  const nMin = options.nMinTrials ?? 1;
  return {
    check(trial: PrunerTrial, trials: readonly PrunerTrial[]) {
      const keep = { prune: false, rungs: {} };
      const completed = trials.filter((t) => t.state === 'COMPLETE');
      if (completed.length === 0 || completed.length < nStartup) return keep;
      const last = trial.intermediate.at(-1);
      if (!last || last.step < warmup) return keep;
      if (!isFirstInIntervalStep(last.step, trial.intermediate.map((v) => v.step), warmup, interval)) return keep;
      const finite = trial.intermediate.map((v) => v.value).filter((v) => !Number.isNaN(v));
      if (finite.length === 0) return { prune: true, rungs: {} };
      const bestSoFar = Math.min(...finite);
      const atStep = completed.flatMap((t) => t.intermediate.filter((v) => v.step === last.step).map((v) => v.value));
      if (atStep.length < nMin) return keep;
      const median = percentile(atStep, 50);
      if (Number.isNaN(median)) return keep;
      return { prune: bestSoFar > median, rungs: {} };
    },
  };
}
