import type { Kernels } from './kernels';
import { gemmDyTX, gemmDyW, gemmXWt } from './ts-gemm';
import {
  addBias, addInto, axpy, gatherColsAdd, gatherRows, gruPointwiseBackward, gruPointwiseForward, logSumExpRows, lstmPointwiseBackward,
  lstmPointwiseForward, mul, reluBackward, reluInPlace, scale, scatterColsAdd, scatterRowsAdd, softmaxCrossEntropyBackward, sumRows,
  sumSquares, tanhBackward, tanhInPlace,
} from './ts-pointwise';
import { gruStepForward, lstmStepForward, rnnStepForward } from './ts-steps';

/** The portable implementation of `Kernels`: plain TypeScript, 4×4 register-blocked products. */
export const tsKernels: Kernels = {
  name: 'ts',
  gemmXWt, gemmDyW, gemmDyTX,
  addBias, sumRows,
  gatherColsAdd, scatterColsAdd, gatherRows, scatterRowsAdd,
  addInto, mul, tanhInPlace, reluInPlace, tanhBackward, reluBackward,
  logSumExpRows, softmaxCrossEntropyBackward, sumSquares, scale, axpy,
  rnnStepForward, lstmStepForward, gruStepForward,
  lstmPointwiseForward, lstmPointwiseBackward,
  gruPointwiseForward, gruPointwiseBackward,
};
