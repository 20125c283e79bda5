import type { Kernels } from './kernels';
import { gemmDyTX, gemmDyW, gemmXWt } from './ts-gemm';
import {
  addBias, addInto, gatherColsAdd, gatherRows, gruPointwiseBackward, gruPointwiseForward, lstmPointwiseBackward,
  lstmPointwiseForward, mul, reluBackward, reluInPlace, scatterColsAdd, scatterRowsAdd, sumRows, tanhBackward, tanhInPlace,
} from './ts-pointwise';

/** The portable implementation of `Kernels`: plain TypeScript, 4×4 register-blocked products. */
export const tsKernels: Kernels = {
  name: 'ts',
  gemmXWt, gemmDyW, gemmDyTX,
  addBias, sumRows,
  gatherColsAdd, scatterColsAdd, gatherRows, scatterRowsAdd,
  addInto, mul, tanhInPlace, reluInPlace, tanhBackward, reluBackward,
  lstmPointwiseForward, lstmPointwiseBackward,
  gruPointwiseForward, gruPointwiseBackward,
};
