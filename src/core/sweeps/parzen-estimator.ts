/**
 * One parameter's Parzen estimator as Optuna 3.1's TPE builds it (independent sampling): a
 * mixture of truncated normals centred on the observations plus a prior component, in the
 * parameter's internal space (log for log ranges; ints widened by ½ on each side and read back
 * as the mass of their unit interval), or, for a list, a mixture of smoothed one-hot rows.
 */
import type { Rng } from '../../engine/rng';
import type { SpaceParam } from '../../shared/sweep';
import { logGaussMass, truncNormLogPdf, truncNormSample } from './truncnorm';

const PRIOR_WEIGHT = 1;

/** Optuna's default_weights: flat below 25 observations, older ones ramped down beyond. */
export function defaultWeights(n: number): number[] {
  if (n < 25) return new Array<number>(n).fill(1);
  const ramp = Array.from({ length: n - 25 }, (_, i) => (n - 25 === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (n - 26)));
  return [...ramp, ...new Array<number>(25).fill(1)];
}

/** The internal bounds (and int step) of a numeric parameter. */
export function parzenBounds(p: Extract<SpaceParam, { kind: 'int' | 'float' }>): { low: number; high: number; q: number | null } {
  if (p.kind === 'float') return p.log ? { low: Math.log(p.low), high: Math.log(p.high), q: null } : { low: p.low, high: p.high, q: null };
  return p.log ? { low: Math.log(p.low - 0.5), high: Math.log(p.high + 0.5), q: null } : { low: p.low - 0.5, high: p.high + 0.5, q: 1 };
}

function logSumExp(xs: readonly number[]): number {
  const max = Math.max(...xs);
  if (max === -Infinity) return -Infinity;
  let s = 0;
  for (const x of xs) s += Math.exp(x - max);
  return Math.log(s) + max;
}

function pick(rng: Rng, weights: readonly number[]): number {
  const u = rng.nextFloat();
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    acc += weights[i]!;
    if (u < acc) return i;
  }
  return weights.length - 1;
}

export interface ParzenEstimator<T> {
  sample(rng: Rng, size: number): T[];
  logPdf(x: T): number;
}

function mixtureWeights(n: number): number[] {
  const w = [...defaultWeights(n), PRIOR_WEIGHT];
  const sum = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / sum);
}

/** Numeric estimator over external values (an int field's whole numbers, a log field's raw values). */
export function numericParzen(p: Extract<SpaceParam, { kind: 'int' | 'float' }>, observations: readonly number[]): ParzenEstimator<number> {
  const { low, high, q } = parzenBounds(p);
  const toInternal = (x: number) => (p.log ? Math.log(x) : x);
  const n = observations.length;
  const mus = [...observations.map(toInternal), 0.5 * (low + high)];
  // sigma: the larger gap to a neighbour (endpoints excluded at the extremes), clipped ("magic clip")
  const order = mus.map((_, i) => i).sort((i, j) => mus[i]! - mus[j]!);
  const sorted = [low, ...order.map((i) => mus[i]!), high];
  const sortedSigmas = order.map((_, k) => Math.max(sorted[k + 1]! - sorted[k]!, sorted[k + 2]! - sorted[k + 1]!));
  if (sorted.length >= 4) {
    sortedSigmas[0] = sorted[2]! - sorted[1]!;
    sortedSigmas[sortedSigmas.length - 1] = sorted[sorted.length - 2]! - sorted[sorted.length - 3]!;
  }
  const sigmas = new Array<number>(mus.length);
  order.forEach((i, k) => (sigmas[i] = sortedSigmas[k]!));
  const maxSigma = high - low;
  const minSigma = (high - low) / Math.min(100, 1 + mus.length);
  for (let i = 0; i < sigmas.length; i++) sigmas[i] = Math.min(maxSigma, Math.max(minSigma, sigmas[i]!));
  sigmas[n] = high - low; // the prior
  const weights = mixtureWeights(n);

  const fromInternal = (x: number): number => {
    if (p.kind === 'float') return p.log ? Math.min(p.high, Math.max(p.low, Math.exp(x))) : x;
    const v = p.log ? Math.round(Math.exp(x)) : Math.round(x - p.low) + p.low;
    return Math.min(p.high, Math.max(p.low, v));
  };
  return {
    sample(rng, size) {
      return Array.from({ length: size }, () => {
        const k = pick(rng, weights);
        return fromInternal(truncNormSample(rng, low, high, mus[k]!, sigmas[k]!));
      });
    },
    logPdf(x) {
      const xi = toInternal(x);
      return logSumExp(
        mus.map((mu, k) => {
          const sigma = sigmas[k]!;
          let lp: number;
          if (q === null) lp = truncNormLogPdf(xi, low, high, mu, sigma);
          else {
            const upper = Math.min(xi + q / 2, high);
            const lower = Math.max(xi - q / 2, low);
            lp = logGaussMass((lower - mu) / sigma, (upper - mu) / sigma) - logGaussMass((low - mu) / sigma, (high - mu) / sigma);
          }
          return Math.log(weights[k]!) + lp;
        }),
      );
    },
  };
}

/** Categorical estimator over choice indices. */
export function categoricalParzen(choices: number, observations: readonly number[]): ParzenEstimator<number> {
  const n = observations.length;
  const rows = Array.from({ length: n + 1 }, (_, k) => {
    const row = new Array<number>(choices).fill(PRIOR_WEIGHT / (n + 1));
    if (k < n) row[observations[k]!]! += 1;
    const sum = row.reduce((a, b) => a + b, 0);
    return row.map((v) => v / sum);
  });
  const weights = mixtureWeights(n);
  const marginal = Array.from({ length: choices }, (_, c) => rows.reduce((s, row, k) => s + weights[k]! * row[c]!, 0));
  return {
    sample: (rng, size) => Array.from({ length: size }, () => pick(rng, rows[pick(rng, weights)]!)),
    logPdf: (c) => Math.log(marginal[c]!),
  };
}
