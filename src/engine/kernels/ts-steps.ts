import type { FloatArray } from '../tensor';
import { gemmXWt } from './ts-gemm';
import { addBias, gruPointwiseForward, lstmPointwiseForward, reluInPlace, tanhInPlace } from './ts-pointwise';

/* Whole recurrent steps, composed of the bias, product and pointwise kernels (see Kernels). */

export function rnnStepForward(h: FloatArray, hPrev: FloatArray, wHh: FloatArray, bHh: FloatArray, B: number, H: number, relu: boolean): void {
  addBias(h, bHh, B, H);
  gemmXWt(h, hPrev, wHh, B, H, H);
  if (relu) reluInPlace(h, B * H);
  else tanhInPlace(h, B * H);
}

export function lstmStepForward(
  gates: FloatArray, hPrev: FloatArray, wHh: FloatArray, bHh: FloatArray, cPrev: FloatArray, c: FloatArray, tanhC: FloatArray, h: FloatArray, B: number, H: number,
): void {
  addBias(gates, bHh, B, 4 * H);
  gemmXWt(gates, hPrev, wHh, B, H, 4 * H);
  lstmPointwiseForward(gates, cPrev, c, tanhC, h, B, H);
}

export function gruStepForward(gx: FloatArray, gh: FloatArray, hPrev: FloatArray, wHh: FloatArray, bHh: FloatArray, h: FloatArray, B: number, H: number): void {
  gh.fill(0, 0, B * 3 * H);
  addBias(gh, bHh, B, 3 * H);
  gemmXWt(gh, hPrev, wHh, B, H, 3 * H);
  gruPointwiseForward(gx, gh, hPrev, h, B, H);
}
