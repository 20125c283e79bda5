import type { Kernels } from '../kernels/kernels';
import type { FloatArray } from '../tensor';
import type { CellWeights } from './cell-weights';

/*
 * GRU (d2l 10.2, PyTorch nn.GRU), gate order r, z, n. PyTorch is reset-after:
 *   r = σ(gx_r + gh_r), z = σ(gx_z + gh_z), n = tanh(gx_n + r ⊙ gh_n), h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
 * with gx = x_t W_ihᵀ + b_ih (computed for all steps by the caller) and gh = h_{t−1} W_hhᵀ + b_hh.
 */

// hPrev: (B, H)  gx: (B, 3H) x_t·W_ihᵀ + b_ih on entry, r,z,n on exit
// gh: (B, 3H) h_{t−1}·W_hhᵀ + b_hh, overwritten (kept for backward)  h: (B, H) h_t, overwritten
export function gruStepForward(k: Kernels, w: CellWeights, hPrev: FloatArray, gx: FloatArray, gh: FloatArray, h: FloatArray, B: number, H: number): void {
  k.gruStepForward(gx, gh, hPrev, w.wHh, w.bHh, h, B, H);
}

// gx: (B, 3H) r,z,n  gh: (B, 3H)  hPrev, dh: (B, H)
// dGx: (B, 3H) ∂L/∂gx  dGh: (B, 3H) ∂L/∂gh  dhPrev: (B, H) ∂L/∂h_{t−1} through this step; all overwritten
export function gruStepBackward(
  k: Kernels, w: CellWeights, gx: FloatArray, gh: FloatArray, hPrev: FloatArray, dh: FloatArray,
  dGx: FloatArray, dGh: FloatArray, dhPrev: FloatArray, B: number, H: number,
): void {
  k.gruPointwiseBackward(gx, gh, hPrev, dh, dGx, dGh, dhPrev, B, H);
  k.gemmDyW(dhPrev, dGh, w.wHh, B, 3 * H, H);
}
