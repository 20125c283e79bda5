export type { Kernels } from './kernels';
export { tsKernels } from './ts-kernels';
