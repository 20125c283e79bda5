export { HELPER_SOURCE } from './helper-source';
export { resolveThreadCount, startKernelThreads, type KernelThreadPool } from './kernel-threads';
export { createRunKernels, enableRelaxedSimd, type RunKernels, type RunKernelsOptions } from './run-kernels';
