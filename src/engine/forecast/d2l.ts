import type { Rng } from '../rng';

/** The d2l "Sequence Models" setup: T = 1000 points, window τ = 4, the first 600 for training, noise σ = 0.2 (MSE floor 0.04). */
export const D2L_SERIES = { length: 1000, window: 4, trainSize: 600, noiseStd: 0.2 } as const;

/** x_t = sin(0.01 t) + N(0, σ²) for t = 1…T (d2l's `time = arange(1, T + 1)`), drawn from `rng`. */
export function d2lSineSeries(rng: Rng, length: number = D2L_SERIES.length, noiseStd: number = D2L_SERIES.noiseStd): Float32Array {
  if (!Number.isInteger(length) || length < 1) throw new RangeError(`the series length must be a positive integer, got ${length}`);
  const x = new Float32Array(length);
  for (let i = 0; i < length; i++) x[i] = Math.sin(0.01 * (i + 1)) + rng.normal(0, noiseStd);
  return x;
}
