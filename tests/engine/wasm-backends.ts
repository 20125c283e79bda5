import { setFlagsFromString } from 'node:v8';
import type { Kernels } from '../../src/engine/kernels';
import { tsKernels } from '../../src/engine/kernels';
import { createWasmKernels, detectWasmFeatures, resetWasmFeatureCache, type WasmKernels } from '../../src/engine/kernels/wasm';

/*
 * The kernel backends the engine tests run over: the TypeScript reference, and the WebAssembly
 * kernels in both flavours this runtime can compile (plain SIMD always; relaxed-SIMD FMA when V8
 * has it, switched on here for Node 20 where it is still behind a flag).
 */
export interface Backend {
  name: string;
  kernels: Kernels;
  /** A float32 buffer where this backend's fast path wants it. */
  f32(length: number): Float32Array;
  wasm: WasmKernels | null;
}

if (!detectWasmFeatures().relaxedSimd) {
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  resetWasmFeatureCache();
}

export function wasmBackend(relaxed: boolean): Backend {
  const k = createWasmKernels({ relaxed });
  return { name: k.name, kernels: k, f32: k.allocate, wasm: k };
}

export const tsBackend: Backend = { name: 'ts', kernels: tsKernels, f32: (n) => new Float32Array(n), wasm: null };

/** Both WebAssembly flavours available here (plain SIMD first). */
export function wasmBackends(): Backend[] {
  const out = [wasmBackend(false)];
  if (detectWasmFeatures().relaxedSimd) out.push(wasmBackend(true));
  return out;
}

/** A float32 copy of `src` placed where `backend` wants it. */
export function place(backend: Backend, src: ArrayLike<number>): Float32Array {
  const a = backend.f32(src.length);
  for (let i = 0; i < src.length; i++) a[i] = src[i]!;
  return a;
}
