/**
 * What a sampler sees and answers. Each trial's draws come from an Rng seeded by (sweep seed,
 * trial number), so a trial's parameters do not depend on how many trials ran before it in this
 * process: a resumed sweep samples exactly what an uninterrupted one would, and two sweeps with
 * the same seed (random or grid) try the same parameters whatever their pruner.
 */
import { Rng } from '../../engine/rng';
import type { ParamValue, SpaceParam, SweepMethod, TrialState } from '../../shared/sweep';
import { gridSampler } from './grid-sampler';
import { randomSampler } from './random-sampler';
import { tpeSampler } from './tpe-sampler';

/** A trial as the samplers read it (Optuna's FrozenTrial, reduced). */
export interface ObservedTrial {
  number: number;
  state: TrialState;
  params: Record<string, ParamValue>;
  value: number | null;
  intermediate: readonly { step: number; value: number }[];
}

export type Params = Record<string, ParamValue>;

export interface Sampler {
  /** Parameters for trial `number`, given every trial the sweep has (finished or not). */
  sample(number: number, trials: readonly ObservedTrial[]): Params;
}

/** An Rng for one trial's draws: a different stream per (seed, trial number). */
export function trialRng(seed: number, number: number): Rng {
  return new Rng((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(number + 1, 0x85ebca6b)) >>> 0);
}

export function createSampler(method: SweepMethod, params: readonly SpaceParam[], seed: number): Sampler {
  switch (method) {
    case 'grid':
      return gridSampler(params);
    case 'random':
      return randomSampler(params, seed);
    case 'tpe':
      return tpeSampler(params, seed);
  }
}
