export { detectWasmFeatures, resetWasmFeatureCache, type WasmFeatures } from './features';
export { ARGS, CONTROL_WORDS, DONE, KERNEL_OPS, MAX_ARGS, OP, OP_STOP, SEQ, STATUS, type HelperInit, type KernelOp } from './protocol';
export { describeKernels, selectKernels, type KernelChoice, type SelectedKernels } from './select-kernels';
export {
  compileKernelModule, compileKernelModuleAsync, createWasmKernels, createWasmKernelsAsync, MAX_HELPERS, WasmKernels,
  type KernelsDescription, type WasmKernelsOptions,
} from './wasm-kernels';
export { KernelHelperError } from './kernel-helper-error';
