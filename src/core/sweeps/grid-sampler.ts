/**
 * The cartesian product of the lists, in order: trial n takes grid point n (the last field varies
 * fastest). The space was validated to hold lists only; a sweep runs at most the grid's size.
 */
import type { SpaceParam } from '../../shared/sweep';
import type { Params, Sampler } from './sampler';

export function gridPoint(params: readonly SpaceParam[], index: number): Params {
  const out: Params = {};
  let rest = index;
  for (let i = params.length - 1; i >= 0; i--) {
    const p = params[i]!;
    if (p.kind !== 'categorical') throw new RangeError(`grid sampling needs a list for ${p.field}`);
    out[p.field] = p.values[rest % p.values.length]!;
    rest = Math.floor(rest / p.values.length);
  }
  // keep the space's key order
  return Object.fromEntries(params.map((p) => [p.field, out[p.field]!]));
}

export function gridSampler(params: readonly SpaceParam[]): Sampler {
  return { sample: (number) => gridPoint(params, number) };
}
