import type { Kernels } from '../kernels';
import { tsKernels } from '../ts-kernels';
import { detectWasmFeatures } from './features';
import { createWasmKernels, type KernelsDescription, type WasmKernels, type WasmKernelsOptions } from './wasm-kernels';

export type KernelChoice = 'auto' | 'ts' | 'wasm';

export interface SelectedKernels {
  kernels: Kernels;
  /** Present when the WebAssembly kernels were chosen: pass as the model's `allocate`. */
  wasm: WasmKernels | null;
  description: KernelsDescription;
}

/**
 * The fastest kernels this runtime can run: WebAssembly SIMD (with fused multiply-add where the
 * runtime has relaxed SIMD) when it has SIMD and shared memory, else the TypeScript reference.
 * 'wasm' insists (throws when unavailable); 'ts' always takes the reference. The description says
 * which was used and why, for run metadata.
 */
export function selectKernels(choice: KernelChoice = 'auto', options: WasmKernelsOptions = {}): SelectedKernels {
  if (choice === 'ts') return { kernels: tsKernels, wasm: null, description: { ...describeKernels(tsKernels), reason: 'requested' } };
  const f = detectWasmFeatures();
  if (f.simd && f.sharedMemory) {
    try {
      const wasm = createWasmKernels(options);
      const why = wasm.relaxed ? 'SIMD with relaxed-SIMD FMA available' : 'SIMD available, no relaxed SIMD: separate multiply and add';
      return { kernels: wasm, wasm, description: { ...wasm.describe(), reason: choice === 'wasm' ? `requested; ${why}` : why } };
    } catch (e) {
      if (choice === 'wasm') throw e;
      return { kernels: tsKernels, wasm: null, description: { ...describeKernels(tsKernels), reason: `WebAssembly kernels failed to load: ${(e as Error).message}` } };
    }
  }
  const missing = `WebAssembly ${f.simd ? '' : 'SIMD '}${f.sharedMemory ? '' : 'shared memory '}unavailable`;
  if (choice === 'wasm') throw new Error(missing);
  return { kernels: tsKernels, wasm: null, description: { ...describeKernels(tsKernels), reason: missing } };
}

/** A description of any kernel set: its own `describe()` when it has one. */
export function describeKernels(k: Kernels): KernelsDescription {
  const own = (k as { describe?: () => KernelsDescription }).describe;
  if (own) return own.call(k);
  return { name: k.name, backend: k.name === 'ts' ? 'ts' : 'wasm', threads: 1, precision: 'any' };
}
