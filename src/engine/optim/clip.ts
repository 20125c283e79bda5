/**
 * Gradient clipping by the global L2 norm over every gradient (d2l's `grad_clipping`).
 *
 * `d2l`:     if ‖g‖ > θ then g ← g · θ/‖g‖
 * `pytorch`: c = θ / (‖g‖ + 1e-6); if c < 1 then g ← g · c   (torch.nn.utils.clip_grad_norm_)
 *
 * Squares are summed in double precision whatever the array type. A non-finite norm (NaN or
 * Infinity, i.e. a diverged step) is returned without touching the gradients, so the caller can
 * report divergence instead of training on zeros or NaNs.
 *
 * The sums and the scaling run on `kernels` (the model's, so a WebAssembly model's gradients are
 * clipped in WebAssembly, across its threads); the TypeScript kernels by default.
 */
import type { Kernels } from '../kernels/kernels';
import { tsKernels } from '../kernels/ts-kernels';
import type { FloatArray, NamedTensors } from '../tensor';
import { OptimError } from './errors';

export type ClipMode = 'd2l' | 'pytorch';

export function globalGradNorm(grads: NamedTensors<FloatArray>, kernels: Kernels = tsKernels): number {
  let sumSq = 0;
  for (const { data } of grads.values()) sumSq += kernels.sumSquares(data, data.length);
  return Math.sqrt(sumSq);
}

export function scaleGrads(grads: NamedTensors<FloatArray>, factor: number, kernels: Kernels = tsKernels): void {
  for (const { data } of grads.values()) kernels.scale(data, data.length, factor);
}

/** Clips in place and returns the norm before clipping. */
export function clipGradNorm(grads: NamedTensors<FloatArray>, maxNorm: number, mode: ClipMode = 'd2l', kernels: Kernels = tsKernels): number {
  if (!(maxNorm > 0) || !Number.isFinite(maxNorm)) throw new OptimError('InvalidOption', 'The clipping threshold must be a positive number.', { maxNorm });
  const norm = globalGradNorm(grads, kernels);
  if (!Number.isFinite(norm)) return norm;
  if (mode === 'd2l') {
    if (norm > maxNorm) scaleGrads(grads, maxNorm / norm, kernels);
  } else {
    const coef = maxNorm / (norm + 1e-6);
    if (coef < 1) scaleGrads(grads, coef, kernels);
  }
  return norm;
}
