import type { Kernels } from '../kernels/kernels';
import type { FloatArray } from '../tensor';
import type { CellWeights, Nonlinearity } from './cell-weights';

/*
 * Elman RNN (d2l 9.4, PyTorch nn.RNN): h_t = φ(x_t W_ihᵀ + b_ih + h_{t-1} W_hhᵀ + b_hh).
 * The input half x_t W_ihᵀ + b_ih is computed for all steps at once by the caller; a step adds
 * the recurrent half. Weight gradients are likewise accumulated once per sequence by the caller
 * from the per-step pre-activation gradients (one product with inner dimension steps × batch).
 */

// hPrev: (B, H)  h: (B, H) holds x_t·W_ihᵀ + b_ih on entry and h_t on exit
export function rnnStepForward(k: Kernels, w: CellWeights, hPrev: FloatArray, h: FloatArray, B: number, H: number, nonlinearity: Nonlinearity): void {
  k.rnnStepForward(h, hPrev, w.wHh, w.bHh, B, H, nonlinearity === 'relu');
}

// h, dh: (B, H) h_t and ∂L/∂h_t  dPre: (B, H) ∂L/∂(pre-activation), overwritten
// dhPrev: (B, H) ∂L/∂h_{t-1} through this step, overwritten
export function rnnStepBackward(
  k: Kernels, w: CellWeights, h: FloatArray, dh: FloatArray, dPre: FloatArray, dhPrev: FloatArray,
  B: number, H: number, nonlinearity: Nonlinearity,
): void {
  if (nonlinearity === 'tanh') k.tanhBackward(dPre, dh, h, B * H);
  else k.reluBackward(dPre, dh, h, B * H);
  dhPrev.fill(0);
  k.gemmDyW(dhPrev, dPre, w.wHh, B, H, H);
}
