import type { Kernels } from '../kernels/kernels';
import type { FloatArray } from '../tensor';
import type { CellWeights } from './cell-weights';

/*
 * LSTM (d2l 10.1, PyTorch nn.LSTM), gate order i, f, g, o:
 *   [i f g o] = [σ σ tanh σ](x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ + b_hh)
 *   c_t = f ⊙ c_{t−1} + i ⊙ g,  h_t = o ⊙ tanh(c_t)
 */

// hPrev, cPrev: (B, H)  gates: (B, 4H) x_t·W_ihᵀ + b_ih on entry, activated i,f,g,o on exit
// c, tanhC, h: (B, H) c_t, tanh(c_t), h_t, overwritten
export function lstmStepForward(
  k: Kernels, w: CellWeights, hPrev: FloatArray, cPrev: FloatArray, gates: FloatArray,
  c: FloatArray, tanhC: FloatArray, h: FloatArray, B: number, H: number,
): void {
  k.lstmStepForward(gates, hPrev, w.wHh, w.bHh, cPrev, c, tanhC, h, B, H);
}

// gates: (B, 4H) activations  cPrev, tanhC, dh: (B, H)
// dc: (B, H) ∂L/∂c_t from later steps on entry, ∂L/∂c_{t−1} on exit
// dGates: (B, 4H) ∂L/∂(pre-activations), overwritten  dhPrev: (B, H) ∂L/∂h_{t−1}, overwritten
export function lstmStepBackward(
  k: Kernels, w: CellWeights, gates: FloatArray, cPrev: FloatArray, tanhC: FloatArray, dh: FloatArray,
  dc: FloatArray, dGates: FloatArray, dhPrev: FloatArray, B: number, H: number,
): void {
  k.lstmPointwiseBackward(gates, cPrev, tanhC, dh, dc, dGates, B, H);
  dhPrev.fill(0);
  k.gemmDyW(dhPrev, dGates, w.wHh, B, 4 * H, H);
}
