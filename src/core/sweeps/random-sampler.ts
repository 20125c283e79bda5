/** Independent uniform draws per parameter: log-uniform on log ranges, whole numbers for int fields. */
import type { Rng } from '../../engine/rng';
import type { ParamValue, SpaceParam } from '../../shared/sweep';
import { trialRng, type Params, type Sampler } from './sampler';

export function sampleUniform(p: SpaceParam, rng: Rng): ParamValue {
  if (p.kind === 'categorical') return p.values[rng.nextInt(p.values.length)]!;
  if (p.kind === 'int') {
    if (!p.log) return p.low + rng.nextInt(p.high - p.low + 1);
    // Optuna: uniform in [log(low − ½), log(high + ½)], rounded back to a whole number
    const x = Math.round(Math.exp(rng.uniform(Math.log(p.low - 0.5), Math.log(p.high + 0.5))));
    return Math.min(p.high, Math.max(p.low, x));
  }
  if (p.log) return Math.min(p.high, Math.exp(rng.uniform(Math.log(p.low), Math.log(p.high))));
  return rng.uniform(p.low, p.high);
}

export function randomSampler(params: readonly SpaceParam[], seed: number): Sampler {
  return {
    sample(number) {
      const rng = trialRng(seed, number);
      const out: Params = {};
      for (const p of params) out[p.field] = sampleUniform(p, rng);
      return out;
    },
  };
}
