import { setFlagsFromString } from 'node:v8';
import type { Kernels } from '../../engine/kernels';
import { detectWasmFeatures, resetWasmFeatureCache, selectKernels, type KernelChoice, type KernelsDescription, type WasmKernelsOptions } from '../../engine/kernels/wasm';
import { resolveThreadCount, startKernelThreads, type KernelThreadPool } from './kernel-threads';

export interface RunKernelsOptions extends WasmKernelsOptions {
  /** 'auto' (default): WebAssembly SIMD when the runtime has it, else TypeScript. */
  kernels?: KernelChoice;
  /** Threads per kernel call for WebAssembly kernels: a count or 'auto' (default: every core). */
  threads?: number | 'auto';
}

/** Kernels for one training run (or benchmark), with their helper threads; `close` when done. */
export interface RunKernels {
  kernels: Kernels;
  /** Which implementation, SIMD flavour, thread count and why: for run metadata. */
  description: KernelsDescription;
  /** The helper threads, when the kernels have any. */
  pool: KernelThreadPool | null;
  close(): Promise<void>;
}

let relaxedTried = false;

/**
 * Switch on V8's relaxed SIMD where it is still behind a flag (Node 20); a no-op where it is on by
 * default (Node 22+, Electron). Must run before the kernels' module is compiled.
 */
export function enableRelaxedSimd(): boolean {
  if (!relaxedTried && !detectWasmFeatures().relaxedSimd) {
    relaxedTried = true;
    try {
      setFlagsFromString('--experimental-wasm-relaxed-simd');
    } catch {
      // an unknown flag on some runtime: stay with plain SIMD
    }
    resetWasmFeatureCache();
  }
  return detectWasmFeatures().relaxedSimd;
}

export async function createRunKernels(options: RunKernelsOptions = {}): Promise<RunKernels> {
  const choice = options.kernels ?? 'auto';
  if (choice !== 'ts' && options.relaxed !== false) enableRelaxedSimd();
  const selected = selectKernels(choice, options);
  let pool: KernelThreadPool | null = null;
  if (selected.wasm && resolveThreadCount(options.threads ?? 'auto') > 1) {
    pool = await startKernelThreads(selected.wasm, options.threads ?? 'auto');
  }
  const wasm = selected.wasm;
  return {
    kernels: selected.kernels,
    description: wasm ? { ...wasm.describe(), reason: selected.description.reason } : selected.description,
    pool,
    close: async () => { await pool?.close(); },
  };
}
