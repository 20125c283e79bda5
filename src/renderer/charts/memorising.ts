import type { MetricColumns } from './metric-columns';
import { debiasedEma } from './ema';

export interface MemorisingWarning {
  bestStep: number;
  bestVal: number;
  lastStep: number;
  lastVal: number;
  trainAtBest: number;
  trainNow: number;
}

/**
 * Over-fitting as d2l describes it: validation perplexity has risen past its best for at least
 * `patience` consecutive validation passes while (smoothed) training perplexity kept falling.
 * Returns null while the two still move together.
 */
export function detectMemorising(train: MetricColumns, val: MetricColumns, patience = 2, tolerance = 0.02): MemorisingWarning | null {
  const vn = val.length;
  if (vn < patience + 1 || train.length < 2) return null;
  const vp = val.column('perplexity');
  const vs = val.column('step');
  let best = -1;
  for (let i = 0; i < vn; i++) if (Number.isFinite(vp[i]!) && (best < 0 || vp[i]! < vp[best]!)) best = i;
  if (best < 0 || vn - 1 - best < patience) return null;
  const lastVal = vp[vn - 1]!;
  if (!(lastVal > vp[best]! * (1 + tolerance))) return null;
  // Rising, not a single noisy blip: each pass after the best is above the best.
  for (let i = best + 1; i < vn; i++) if (!(vp[i]! > vp[best]!)) return null;

  const tp = debiasedEma(train.column('perplexity'), train.length, 0.9);
  const ts = train.column('step');
  const trainAtBest = valueAtStep(ts, tp, vs[best]!);
  const trainNow = valueAtStep(ts, tp, vs[vn - 1]!);
  if (trainAtBest === null || trainNow === null || !(trainNow < trainAtBest * (1 - tolerance))) return null;
  return { bestStep: vs[best]!, bestVal: vp[best]!, lastStep: vs[vn - 1]!, lastVal, trainAtBest, trainNow };
}

/** The last finite value at or before `step` (steps are ascending). */
function valueAtStep(steps: Float64Array, values: Float64Array, step: number): number | null {
  let lo = 0;
  let hi = steps.length - 1;
  let at = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (steps[mid]! <= step) {
      at = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  for (let i = at; i >= 0; i--) if (Number.isFinite(values[i]!)) return values[i]!;
  return null;
}
