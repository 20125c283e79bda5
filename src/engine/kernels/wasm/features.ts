import { wasmApi } from './wasm-api';

/** What this runtime's WebAssembly supports, probed once by validating tiny modules. */
export interface WasmFeatures {
  simd: boolean;
  /** f32x4.relaxed_madd: on by default from V8 12.4 (Node 22, Electron ≥ 31); Node 20 needs a flag. */
  relaxedSimd: boolean;
  /** A shared WebAssembly.Memory (SharedArrayBuffer): needed by the kernels, which import one. */
  sharedMemory: boolean;
}

// (module (func v128.const 0 … drop))  — one function body of `body` bytes, no params or results
function moduleWithBody(body: number[]): Uint8Array {
  const code = [0x00, ...body, 0x0b]; // no locals, body, end
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type section: () → ()
    0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
    0x0a, code.length + 2, 0x01, code.length, ...code, // code section
  ]);
}

const v128Zero = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
const SIMD_PROBE = moduleWithBody([...v128Zero, 0x1a]);
// three operands, f32x4.relaxed_madd (0xfd 0x105), drop
const RELAXED_PROBE = moduleWithBody([...v128Zero, ...v128Zero, ...v128Zero, 0xfd, 0x85, 0x02, 0x1a]);

let cached: WasmFeatures | null = null;

export function detectWasmFeatures(): WasmFeatures {
  if (cached) return cached;
  const api = wasmApi();
  if (!api) return (cached = { simd: false, relaxedSimd: false, sharedMemory: false });
  let sharedMemory = false;
  try {
    new api.Memory({ initial: 1, maximum: 1, shared: true });
    sharedMemory = typeof SharedArrayBuffer === 'function';
  } catch {
    sharedMemory = false;
  }
  cached = { simd: api.validate(SIMD_PROBE), relaxedSimd: api.validate(RELAXED_PROBE), sharedMemory };
  return cached;
}

/** Forget the probe (tests, or after a runtime flag was switched on). */
export function resetWasmFeatureCache(): void {
  cached = null;
}
