/**
 * Learning rate as a pure function of the step, so a resumed run needs only the step count.
 * `step` counts the updates already applied: `lrAt(cfg, 0)` is used for the first update.
 *
 * constant:    lr = base
 * step:        lr = base · γ^⌊s / stepSize⌋
 * exponential: lr = base · γ^s
 * cosine:      lr = min + (base − min) · (1 + cos(π · min(s, S) / S)) / 2, then min after S steps
 *
 * Warm-up (any schedule): for s < W, lr = base · (s + 1) / W; afterwards the schedule runs from
 * its own step 0 at s = W (s above means s − W). For cosine, `totalSteps` counts the whole run
 * including warm-up, so the decay lasts S = totalSteps − W steps and reaches `minLr` at totalSteps.
 */
import { OptimError } from './errors';

export type LrSchedule =
  | { kind: 'constant' }
  | { kind: 'step'; stepSize: number; gamma: number }
  | { kind: 'exponential'; gamma: number }
  | { kind: 'cosine'; totalSteps: number; minLr: number };

export interface LrScheduleConfig {
  baseLr: number;
  schedule: LrSchedule;
  /** Linear warm-up length in steps; 0 or undefined for none. */
  warmupSteps?: number;
}

export function validateLrSchedule(cfg: LrScheduleConfig): void {
  const bad = (name: string, value: unknown): never => {
    throw new OptimError('InvalidOption', `Invalid learning-rate schedule setting ${name}.`, { name, value });
  };
  if (!(cfg.baseLr >= 0) || !Number.isFinite(cfg.baseLr)) bad('baseLr', cfg.baseLr);
  const w = cfg.warmupSteps ?? 0;
  if (!Number.isInteger(w) || w < 0) bad('warmupSteps', w);
  const s = cfg.schedule;
  switch (s.kind) {
    case 'constant':
      break;
    case 'step':
      if (!Number.isInteger(s.stepSize) || s.stepSize < 1) bad('stepSize', s.stepSize);
      if (!(s.gamma > 0) || !Number.isFinite(s.gamma)) bad('gamma', s.gamma);
      break;
    case 'exponential':
      if (!(s.gamma > 0) || !Number.isFinite(s.gamma)) bad('gamma', s.gamma);
      break;
    case 'cosine':
      if (!Number.isInteger(s.totalSteps) || s.totalSteps < 1) bad('totalSteps', s.totalSteps);
      if (!(s.minLr >= 0 && s.minLr <= cfg.baseLr)) bad('minLr', s.minLr);
      break;
    default:
      bad('kind', (s as { kind: unknown }).kind);
  }
}

export function lrAt(cfg: LrScheduleConfig, step: number): number {
  const base = cfg.baseLr;
  const w = cfg.warmupSteps ?? 0;
  if (step < w) return (base * (step + 1)) / w;
  const s = step - w;
  const sched = cfg.schedule;
  switch (sched.kind) {
    case 'constant':
      return base;
    case 'step':
      return base * Math.pow(sched.gamma, Math.floor(s / sched.stepSize));
    case 'exponential':
      return base * Math.pow(sched.gamma, s);
    case 'cosine': {
      const span = sched.totalSteps - w;
      if (span <= 0 || s >= span) return sched.minLr;
      return sched.minLr + ((base - sched.minLr) * (1 + Math.cos((Math.PI * s) / span))) / 2;
    }
  }
}
