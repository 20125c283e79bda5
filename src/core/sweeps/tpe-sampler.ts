/**
 * Tree-structured Parzen Estimator (Bergstra et al. 2011) with Optuna 3.1's defaults, sampling each
 * parameter independently: random draws for the first 10 observed trials; then the finished
 * trials (COMPLETE, and PRUNED ranked by how far they got) split into the best γ(n) = min(⌈0.1 n⌉,
 * 25) and the rest, a Parzen estimator l(x) over the good ones and g(x) over the others, 24
 * candidates drawn from l, and the one with the largest l(x)/g(x) (expected improvement) kept.
 */
import type { ParamValue, SpaceParam } from '../../shared/sweep';
import { categoricalParzen, numericParzen } from './parzen-estimator';
import { sampleUniform } from './random-sampler';
import { trialRng, type ObservedTrial, type Params, type Sampler } from './sampler';

export interface TpeOptions {
  nStartupTrials?: number;
  nEiCandidates?: number;
}

export const defaultGamma = (n: number): number => Math.min(Math.ceil(0.1 * n), 25);

/** Optuna's ranking key (−step, value): completed trials first by value, then pruned ones by how far they got. */
function score(t: ObservedTrial): [number, number] {
  if (t.state === 'COMPLETE') return [-Infinity, t.value ?? Infinity];
  const last = t.intermediate.at(-1);
  return last ? [-last.step, Number.isNaN(last.value) ? Infinity : last.value] : [Infinity, 0];
}

/** Splits observations into the best `nBelow` and the rest, each kept in trial order. */
export function splitObservations<T extends ObservedTrial>(trials: readonly T[], nBelow: number): { below: T[]; above: T[] } {
  const keyed = trials.map((t, i) => ({ t, i, s: score(t) }));
  keyed.sort((x, y) => x.s[0] - y.s[0] || x.s[1] - y.s[1] || x.i - y.i);
  const belowIdx = new Set(keyed.slice(0, nBelow).map((k) => k.i));
  return { below: trials.filter((_, i) => belowIdx.has(i)), above: trials.filter((_, i) => !belowIdx.has(i)) };
}

export function tpeSampler(params: readonly SpaceParam[], seed: number, options: TpeOptions = {}): Sampler {
  const nStartup = options.nStartupTrials ?? 10;
  const nCandidates = options.nEiCandidates ?? 24;
  return {
    sample(number, trials) {
      const rng = trialRng(seed, number);
      const out: Params = {};
      for (const p of params) {
        const observed = trials.filter((t) => (t.state === 'COMPLETE' || t.state === 'PRUNED') && t.number !== number && Object.hasOwn(t.params, p.field));
        if (observed.length < nStartup) {
          out[p.field] = sampleUniform(p, rng);
          continue;
        }
        const { below, above } = splitObservations(observed, defaultGamma(observed.length));
        out[p.field] = p.kind === 'categorical' ? sampleCategorical(p, below, above, rng, nCandidates) : sampleNumeric(p, below, above, rng, nCandidates);
      }
      return out;
    },
  };
}

type Rng = ReturnType<typeof trialRng>;

function best<T extends number>(candidates: readonly T[], l: (x: T) => number, g: (x: T) => number): T {
  let bestX = candidates[0]!;
  let bestScore = -Infinity;
  for (const x of candidates) {
    const s = l(x) - g(x);
    if (s > bestScore) {
      bestScore = s;
      bestX = x;
    }
  }
  return bestX;
}

function sampleNumeric(p: Extract<SpaceParam, { kind: 'int' | 'float' }>, below: ObservedTrial[], above: ObservedTrial[], rng: Rng, n: number): number {
  const values = (ts: ObservedTrial[]) => ts.map((t) => t.params[p.field] as number);
  const l = numericParzen(p, values(below));
  const g = numericParzen(p, values(above));
  return best(l.sample(rng, n), l.logPdf, g.logPdf);
}

function sampleCategorical(p: Extract<SpaceParam, { kind: 'categorical' }>, below: ObservedTrial[], above: ObservedTrial[], rng: Rng, n: number): ParamValue {
  const index = (ts: ObservedTrial[]) => ts.map((t) => p.values.indexOf(t.params[p.field]!)).filter((i) => i >= 0);
  const l = categoricalParzen(p.values.length, index(below));
  const g = categoricalParzen(p.values.length, index(above));
  return p.values[best(l.sample(rng, n), l.logPdf, g.logPdf)]!;
}
