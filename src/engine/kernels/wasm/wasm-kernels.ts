import type { FloatArray } from '../../tensor';
import type { Kernels } from '../kernels';
import { tsKernels } from '../ts-kernels';
import { WASM_RELAXED_SIMD, WASM_SIMD } from './artefact';
import { detectWasmFeatures } from './features';
import { ARGS, CONTROL_WORDS, DONE, KERNEL_OPS, OP, OP_STOP, SEQ, STATUS, type HelperInit, type KernelOp } from './protocol';
import { KernelHelperError } from './kernel-helper-error';
import { WasmArena } from './wasm-arena';
import { decodeBase64, wasmApi, type WasmMemory, type WasmModule } from './wasm-api';

/** What a kernel set is, for run metadata and benchmark tables. */
export interface KernelsDescription {
  name: string;
  backend: 'ts' | 'wasm';
  /** WebAssembly only: fused multiply-add (relaxed SIMD) or separate multiply and add. */
  simd?: 'relaxed-simd' | 'simd128';
  /** Threads that share one kernel call: the caller plus its helpers. */
  threads: number;
  /** Arrays the fast path takes; others go to the TypeScript kernels. */
  precision: 'float32' | 'any';
  /** Linear memory handed out so far (parameters, gradients, workspaces, scratch). */
  memoryBytes?: number;
  /** Why this implementation was chosen (set by selectKernels). */
  reason?: string;
  /** Share of large calls the adaptive rule ran on the caller alone because helpers were late. */
  aloneShare?: number;
}

export interface WasmKernelsOptions {
  /** Use fused multiply-add: true, false, or 'auto' (default) — when the runtime validates relaxed SIMD. */
  relaxed?: boolean | 'auto';
  /** A kernel call is split across threads only when it does at least this many flops (default 4e5). */
  splitFlops?: number;
  /** Atomics.load polls before Atomics.wait, for the caller and its helpers (default 20 000). */
  spin?: number;
  /**
   * Stop splitting for a while when helpers keep finishing well after the caller (the other cores
   * are busy with other work). Default true. Safe for reproducibility: results do not depend on the
   * thread count.
   */
  adaptive?: boolean;
}

const clock = (globalThis as { performance?: { now(): number } }).performance;

type Fn = (...args: number[]) => void;
type Exports = Record<KernelOp | 'gather_rows' | 'gather_rows_add' | 'scatter_rows_add' | 'add_into' | 'mul' | 'add_bias'
  | 'transpose_add' | 'fill_zero' | 'pack_rows4', Fn>;

/** Float32 bits of x as an i32, how float arguments travel to the kernels (and to helper threads). */
const f32Bits = (() => {
  const f = new Float32Array(1), i = new Int32Array(f.buffer);
  return (x: number) => { f[0] = x; return i[0]!; };
})();
/** Elements per partial sum of `sumSquares`: fixed, so the total does not depend on the thread count. */
const SQUARES_BLOCK = 4096;

const ALONE_MIN = 250, ALONE_MAX = 16000;

/** Upper bound on helper threads one kernel set can drive (control blocks are reserved up front). */
export const MAX_HELPERS = 7;
// scratch slots
const S_IDS = 0, S_T = 1, S_PACK = 2, S_XP = 3, S_STRIP = 4, S_PARTIAL = 5, S_TARGETS = 6;
/** One thread's copy of a strip of b in gemm_nn: 256 rows × 8 floats. */
const STRIP_BYTES = 256 * 8 * 4;
/** Most bytes a product packs its operand into at once (larger operands are packed in chunks). */
const PACK_BYTES = 4 << 20;

const opIndex = (op: KernelOp) => KERNEL_OPS.indexOf(op);
const I_XWT = opIndex('gemm_xwt'), I_NN = opIndex('gemm_nn'), I_SUM_ROWS = opIndex('sum_rows');
const I_LSTM_F = opIndex('lstm_forward'), I_LSTM_B = opIndex('lstm_backward'), I_GRU_F = opIndex('gru_forward'), I_GRU_B = opIndex('gru_backward');
const I_TN = opIndex('gemm_tn'), I_STRIPS = opIndex('pack_strips');
const I_LSE = opIndex('lse_rows'), I_XENT_B = opIndex('xent_backward'), I_SQUARES = opIndex('sum_squares');
const I_SCALE = opIndex('scale_in_place'), I_AXPY = opIndex('axpy');
const I_RNN_STEP = opIndex('rnn_step'), I_LSTM_STEP = opIndex('lstm_step'), I_GRU_STEP = opIndex('gru_step');
const I_TANH = opIndex('tanh_in_place'), I_RELU = opIndex('relu_in_place'), I_TANH_B = opIndex('tanh_backward'), I_RELU_B = opIndex('relu_backward');

/** The compiled module of a variant; throws where the runtime cannot compile it synchronously. */
export function compileKernelModule(relaxed: boolean): WasmModule {
  const api = wasmApi();
  if (!api) throw new Error('WebAssembly is not available');
  return new api.Module(decodeBase64(relaxed ? WASM_RELAXED_SIMD : WASM_SIMD));
}

/** Asynchronous compile, for a browser main thread (which refuses to compile large modules synchronously). */
export async function compileKernelModuleAsync(relaxed: boolean): Promise<WasmModule> {
  const api = wasmApi();
  if (!api) throw new Error('WebAssembly is not available');
  return api.compile(decodeBase64(relaxed ? WASM_RELAXED_SIMD : WASM_SIMD));
}

function resolveRelaxed(option: boolean | 'auto' | undefined): boolean {
  const f = detectWasmFeatures();
  if (!f.simd || !f.sharedMemory) throw new Error(`WebAssembly SIMD kernels need SIMD and shared memory (simd ${f.simd}, shared memory ${f.sharedMemory})`);
  const want = option ?? 'auto';
  if (want === 'auto') return f.relaxedSimd;
  if (want && !f.relaxedSimd) throw new Error('relaxed SIMD is not available in this runtime');
  return want;
}

/** WebAssembly SIMD kernels for the whole model, synchronously (Node, workers). */
export function createWasmKernels(options: WasmKernelsOptions = {}): WasmKernels {
  const relaxed = resolveRelaxed(options.relaxed);
  return new WasmKernels(compileKernelModule(relaxed), relaxed, options);
}

export async function createWasmKernelsAsync(options: WasmKernelsOptions = {}): Promise<WasmKernels> {
  const relaxed = resolveRelaxed(options.relaxed);
  return new WasmKernels(await compileKernelModuleAsync(relaxed), relaxed, options);
}

/**
 * `Kernels` in WebAssembly SIMD over one shared linear memory. Float32 arrays that live in that
 * memory (everything a model built with `allocate` holds) take the WebAssembly path; any other
 * array — float64, or a float32 array from elsewhere — goes to the TypeScript kernels, so
 * results never depend on where a caller's buffer came from.
 *
 * With helper threads attached (src/core/kernels starts them), large calls are split by output
 * rows or columns at fixed boundaries: for a given thread count the result is bit-identical from
 * run to run, and each output element is summed in the same order whatever the thread count.
 */
export class WasmKernels implements Kernels {
  readonly name: string;
  readonly module: WasmModule;
  readonly memory: WasmMemory;
  readonly arena: WasmArena;
  readonly relaxed: boolean;
  /** The model's `allocate` hook: a zeroed float32 buffer in this memory. */
  readonly allocate: (length: number) => Float32Array;
  readonly allocateFloat32: (length: number) => Float32Array;

  private readonly fn: Exports;
  private readonly ctl: Int32Array;
  private readonly controlBase: number;
  /** One Int32 per helper: 0 alive, exit code + 1 once gone (protocol.ts). */
  private readonly health: Int32Array;
  private readonly healthBase: number;
  private readonly splitFlops: number;
  private readonly spin: number;
  private helpers = 0;
  private seq = 0;
  private readonly adaptive: boolean;
  /** Moving share of split calls whose helpers finished late; calls left to run alone. */
  private lateShare = 0;
  private alone = 0;
  /**
   * Length of the next alone period: doubles each time splitting is stopped again soon after it
   * resumed (the other cores stay busy), back to the shortest after a long good stretch (a
   * passing hiccup, such as another process waking briefly, costs a few steps, not hundreds).
   */
  private aloneLength = ALONE_MIN;
  private goodSplits = 0;
  /** Split calls run, and how many of them the adaptive rule ran alone (for describe()). */
  private splitCalls = 0;
  private aloneCalls = 0;

  constructor(module: WasmModule, relaxed: boolean, options: WasmKernelsOptions = {}) {
    const api = wasmApi();
    if (!api) throw new Error('WebAssembly is not available');
    this.module = module;
    this.relaxed = relaxed;
    this.name = relaxed ? 'wasm-relaxed-simd' : 'wasm-simd128';
    this.memory = new api.Memory({ initial: 16, maximum: 65536, shared: true });
    const instance = new api.Instance(module, { env: { memory: this.memory } });
    this.fn = instance.exports as unknown as Exports;
    this.arena = new WasmArena(this.memory, 64);
    this.controlBase = this.arena.reserve(MAX_HELPERS * CONTROL_WORDS * 4);
    this.ctl = new Int32Array(this.memory.buffer, this.controlBase, MAX_HELPERS * CONTROL_WORDS);
    this.healthBase = this.arena.reserve(MAX_HELPERS * 4);
    this.health = new Int32Array(this.memory.buffer, this.healthBase, MAX_HELPERS);
    this.splitFlops = options.splitFlops ?? 4e5;
    this.spin = options.spin ?? 20000;
    this.adaptive = (options.adaptive ?? true) && clock !== undefined;
    this.allocate = (length: number) => this.arena.f32(length);
    this.allocateFloat32 = this.allocate;
  }

  describe(): KernelsDescription {
    return {
      name: this.name, backend: 'wasm', simd: this.relaxed ? 'relaxed-simd' : 'simd128',
      threads: 1 + this.helpers, precision: 'float32', memoryBytes: this.arena.usedBytes,
      ...(this.splitCalls > 0 ? { aloneShare: this.aloneCalls / this.splitCalls } : {}),
    };
  }

  get threads(): number {
    return 1 + this.helpers;
  }

  /** What helper `index` (0-based) must be started with. */
  helperInit(index: number): HelperInit {
    if (!(index >= 0 && index < MAX_HELPERS)) throw new RangeError(`helper index ${index} outside 0..${MAX_HELPERS - 1}`);
    return {
      module: this.module, memory: this.memory, control: this.controlBase + index * CONTROL_WORDS * 4, health: this.healthBase + index * 4, ops: KERNEL_OPS, spin: this.spin,
    };
  }

  /**
   * Use helpers 0…count−1 from now on; each must already be running its loop on `helperInit(i)`.
   * 0 detaches them (they keep waiting until `stopHelpers`).
   */
  setHelpers(count: number): void {
    if (!(Number.isInteger(count) && count >= 0 && count <= MAX_HELPERS)) throw new RangeError(`helper count ${count} outside 0..${MAX_HELPERS}`);
    this.helpers = count;
  }

  /** Ask helpers 0…count−1 to leave their loops. */
  stopHelpers(count: number): void {
    this.helpers = 0;
    this.seq = (this.seq + 1) | 0;
    for (let h = 0; h < count; h++) this.post(h, OP_STOP, []);
  }

  private own(a: ArrayBufferView): boolean {
    return a instanceof Float32Array && this.arena.owns(a);
  }

  private ptr(a: ArrayBufferView): number {
    return a.byteOffset;
  }

  private idsPtr(ids: Int32Array, n: number, slot = S_IDS): number {
    if (this.arena.owns(ids)) return ids.byteOffset;
    const p = this.arena.scratch(slot, n * 4);
    new Int32Array(this.memory.buffer, p, n).set(ids.subarray(0, n));
    return p;
  }

  /** How many threads should share a call of `flops` work over `units` indivisible pieces. */
  private parts(flops: number, units: number): number {
    if (this.helpers === 0 || flops < this.splitFlops) return 1;
    this.splitCalls++;
    if (this.alone > 0) {
      this.alone--;
      this.aloneCalls++;
      return 1;
    }
    return Math.min(1 + this.helpers, units);
  }

  private post(h: number, op: number, args: readonly number[]): void {
    const ctl = this.ctl, base = h * CONTROL_WORDS;
    ctl[base + OP] = op;
    ctl[base + STATUS] = 0;
    for (let i = 0; i < args.length; i++) ctl[base + ARGS + i] = args[i]!;
    Atomics.store(ctl, base + SEQ, this.seq);
    Atomics.notify(ctl, base + SEQ);
  }

  private join(count: number): void {
    const ctl = this.ctl, s = this.seq;
    let failed = false;
    for (let h = 0; h < count; h++) {
      const at = h * CONTROL_WORDS + DONE;
      let spins = this.spin;
      for (;;) {
        const v = Atomics.load(ctl, at);
        if (v === s) break;
        if (spins-- > 0) continue;
        // past the spin: a helper that is gone will never answer (its starter wrote why)
        const gone = Atomics.load(this.health, h);
        if (gone !== 0) throw new KernelHelperError(h, gone - 1);
        Atomics.wait(ctl, at, v, 50);
      }
      if (ctl[h * CONTROL_WORDS + STATUS] !== 0) failed = true;
    }
    if (failed) throw new Error('a kernel helper thread failed');
  }

  /**
   * Run `op` over `units` pieces in `parts` contiguous ranges; `args(from, to)` gives the call's
   * arguments for a range. Helpers take ranges 1…parts−1, the caller range 0.
   */
  private split(op: number, parts: number, units: number, args: (from: number, to: number, part: number) => number[]): void {
    const f = this.fn[KERNEL_OPS[op]!];
    if (parts <= 1) {
      f(...args(0, units, 0));
      return;
    }
    this.seq = (this.seq + 1) | 0;
    const cut = (p: number) => Math.round((units * p) / parts);
    for (let p = 1; p < parts; p++) this.post(p - 1, op, args(cut(p), cut(p + 1), p));
    if (!this.adaptive) {
      f(...args(0, cut(1), 0));
      this.join(parts - 1);
      return;
    }
    const t0 = clock!.now();
    f(...args(0, cut(1), 0));
    const t1 = clock!.now();
    this.join(parts - 1);
    const t2 = clock!.now();
    // late: we waited longer than our own share took, so splitting did not halve the time
    this.lateShare = 0.95 * this.lateShare + (t2 - t1 > t1 - t0 + 0.005 ? 0.05 : 0);
    if (this.lateShare > 0.5) {
      this.lateShare = 0;
      this.alone = this.aloneLength;
      this.aloneLength = Math.min(ALONE_MAX, this.aloneLength * 2);
      this.goodSplits = 0;
    } else if (++this.goodSplits === 4 * ALONE_MAX) {
      this.aloneLength = ALONE_MIN;
    }
  }

  // x: (n, k)  w: (m, k)  y: (n, m)        y += x · wᵀ
  gemmXWt(y: FloatArray, x: FloatArray, w: FloatArray, n: number, k: number, m: number): void {
    if (!(this.own(y) && this.own(x) && this.own(w))) return tsKernels.gemmXWt(y, x, w, n, k, m);
    this.xwt(this.ptr(y), this.ptr(x), this.ptr(w), n, k, m);
  }

  private xwt(Y: number, X: number, W: number, n: number, k: number, m: number): void {
    const flops = 2 * n * k * m;
    if (m >= 8 || n < 4) {
      // by columns of y (rows of w), in fours so every column is summed by the same block code
      const units = Math.ceil(m / 4);
      this.split(I_XWT, this.parts(flops, units), units, (a, b) => {
        const j0 = a * 4, j1 = Math.min(m, b * 4);
        return [Y + j0 * 4, m, X, W + j0 * k * 4, n, k, j1 - j0];
      });
    } else {
      const units = Math.ceil(n / 2);
      this.split(I_XWT, this.parts(flops, units), units, (a, b) => {
        const i0 = a * 2, i1 = Math.min(n, b * 2);
        return [Y + i0 * m * 4, m, X + i0 * k * 4, W, i1 - i0, k, m];
      });
    }
  }

  // dy: (n, m)  w: (m, k)  dx: (n, k)      dx += dy · w
  gemmDyW(dx: FloatArray, dy: FloatArray, w: FloatArray, n: number, m: number, k: number): void {
    if (!(this.own(dx) && this.own(dy) && this.own(w))) return tsKernels.gemmDyW(dx, dy, w, n, m, k);
    this.nn(this.ptr(dx), k, this.ptr(dy), m, this.ptr(w), k, n, m, k);
  }

  // c: (n, ldc) += a: (n, lda) [m columns] · b: (m, ldb) [k columns], split by columns of c in
  // eights (the kernel's block width) or, for narrow c, by rows in fours
  // The caller packs the rows of a once (pack_rows4) for every thread's share.
  private nn(C: number, ldc: number, A: number, lda: number, B: number, ldb: number, n: number, m: number, k: number): void {
    // a long inner dimension (a word vocabulary's ∂L/∂logits) is packed and multiplied in chunks of
    // whole 256-blocks, so the packed copy stays small; every element still adds the same block sums
    // in the same order, so the result does not depend on the chunking
    const chunk = Math.max(256, Math.floor(PACK_BYTES / Math.max(1, n * 4) / 256) * 256);
    for (let p0 = 0; p0 < m; p0 += chunk) {
      const mc = Math.min(chunk, m - p0);
      this.nnChunk(C, ldc, A + p0 * 4, lda, B + p0 * ldb * 4, ldb, n, mc, k);
    }
  }

  private nnChunk(C: number, ldc: number, A: number, lda: number, B: number, ldb: number, n: number, m: number, k: number): void {
    const flops = 2 * n * m * k;
    const AP = this.arena.scratch(S_PACK, Math.max(4, (n & ~3) * m * 4));
    const BS = this.arena.scratch(S_STRIP, STRIP_BYTES * (1 + MAX_HELPERS));
    this.fn.pack_rows4(AP, A, lda, n, m);
    if (k >= 16 && (k >= n || n < 8)) {
      const units = Math.ceil(k / 8);
      this.split(I_NN, this.parts(flops, units), units, (a, b, part) => {
        const j0 = a * 8, j1 = Math.min(k, b * 8);
        return [C + j0 * 4, ldc, A, lda, B + j0 * 4, ldb, n, m, j1 - j0, AP, BS + part * STRIP_BYTES];
      });
    } else {
      const units = Math.ceil(n / 4);
      this.split(I_NN, this.parts(flops, units), units, (a, b, part) => {
        const i0 = a * 4, i1 = Math.min(n, b * 4);
        return [C + i0 * ldc * 4, ldc, A + i0 * lda * 4, lda, B, ldb, i1 - i0, m, k, AP + i0 * m * 4, BS + part * STRIP_BYTES];
      });
    }
  }

  // dy: (n, m)  x: (n, k)  dw: (m, k)      dw += dyᵀ · x
  // dy packed in 4-column strips and x in 8-column strips first (shared by the threads, and each
  // strip packed by one of them), then split by columns of dw in eights (the kernel's block width)
  // or, for narrow dw, by rows in fours
  gemmDyTX(dw: FloatArray, dy: FloatArray, x: FloatArray, n: number, m: number, k: number): void {
    if (!(this.own(dw) && this.own(dy) && this.own(x))) return tsKernels.gemmDyTX(dw, dy, x, n, m, k);
    const DW = this.ptr(dw), DY = this.ptr(dy), X = this.ptr(x);
    const xp = this.arena.scratch(S_XP, Math.max(4, n * k * 4));
    const xs = k >> 3;
    this.split(I_STRIPS, this.parts(n * k * 8, xs), xs, (a, b) => [xp, X, k, n, 8, a, b]);
    if (k >= 16 && (k >= m || m < 8)) {
      const yp = this.arena.scratch(S_T, Math.max(4, n * m * 4)), ys = m >> 2;
      this.split(I_STRIPS, this.parts(n * m * 8, ys), ys, (a, b) => [yp, DY, m, n, 4, a, b]);
      const units = Math.ceil(k / 8);
      this.split(I_TN, this.parts(2 * n * m * k, units), units, (a, b) => {
        const j0 = a * 8, j1 = Math.min(k, b * 8);
        return [DW + j0 * 4, k, DY, m, X + j0 * 4, k, n, m, j1 - j0, yp, xp + j0 * n * 4];
      });
      return;
    }
    // many rows of dw (a word vocabulary's output layer): dy's strips are packed a chunk of rows at
    // a time, so the packed copy stays small; each row of dw is computed whole either way
    const chunk = Math.max(4, Math.floor(PACK_BYTES / Math.max(1, n * 4) / 4) * 4);
    const yp = this.arena.scratch(S_T, Math.max(4, n * Math.min(m, chunk) * 4));
    for (let r0 = 0; r0 < m; r0 += chunk) {
      const mc = Math.min(chunk, m - r0), ys = mc >> 2, DYc = DY + r0 * 4, DWc = DW + r0 * k * 4;
      this.split(I_STRIPS, this.parts(n * mc * 8, ys), ys, (a, b) => [yp, DYc, m, n, 4, a, b]);
      const units = Math.ceil(mc / 4);
      this.split(I_TN, this.parts(2 * n * mc * k, units), units, (a, b) => {
        const i0 = a * 4, i1 = Math.min(mc, b * 4);
        return [DWc + i0 * k * 4, k, DYc + i0 * 4, m, X, k, n, i1 - i0, k, yp + i0 * n * 4, xp];
      });
    }
  }

  // b: (m)  y: (n, m)                      y[r, :] += b
  addBias(y: FloatArray, b: FloatArray, n: number, m: number): void {
    if (!(this.own(y) && this.own(b))) return tsKernels.addBias(y, b, n, m);
    this.fn.add_bias(this.ptr(y), this.ptr(b), n, m);
  }

  // dy: (n, m)  db: (m)                    db += Σ_r dy[r, :]
  sumRows(db: FloatArray, dy: FloatArray, n: number, m: number): void {
    if (!(this.own(db) && this.own(dy))) return tsKernels.sumRows(db, dy, n, m);
    const DB = this.ptr(db), DY = this.ptr(dy), units = Math.ceil(m / 16);
    this.split(I_SUM_ROWS, this.parts(n * m * 4, units), units, (a, b) => [DB, DY, n, m, a * 16, Math.min(m, b * 16)]);
  }

  // ids: (n)  w: (m, v)  y: (n, m)         y[r, :] += w[:, ids[r]]   via wᵀ (v, m), row gathers
  gatherColsAdd(y: FloatArray, w: FloatArray, ids: Int32Array, n: number, m: number, v: number): void {
    // a few rows (generation feeds one token) read their columns in place: transposing all of w
    // first costs m·v and pays off only over many rows (same additions either way, so same bits)
    if (!(this.own(y) && this.own(w)) || n * 4 <= v) return tsKernels.gatherColsAdd(y, w, ids, n, m, v);
    const wT = this.arena.scratch(S_T, m * v * 4);
    this.fn.transpose(wT, this.ptr(w), m, v, 0, m);
    this.fn.gather_rows_add(this.ptr(y), wT, this.idsPtr(ids, n), n, m);
  }

  // ids: (n)  dy: (n, m)  dw: (m, v)       dw[:, ids[r]] += dy[r, :]   via rows of a zeroed dwᵀ (v, m)
  scatterColsAdd(dw: FloatArray, dy: FloatArray, ids: Int32Array, n: number, m: number, v: number): void {
    if (!(this.own(dw) && this.own(dy))) return tsKernels.scatterColsAdd(dw, dy, ids, n, m, v);
    const dwT = this.arena.scratch(S_T, m * v * 4);
    this.fn.fill_zero(dwT, m * v);
    this.fn.scatter_rows_add(dwT, this.ptr(dy), this.idsPtr(ids, n), n, m);
    this.fn.transpose_add(this.ptr(dw), dwT, v, m);
  }

  // ids: (n)  table: (v, e)  out: (n, e)   out[r, :] = table[ids[r], :]
  gatherRows(out: FloatArray, table: FloatArray, ids: Int32Array, n: number, e: number): void {
    if (!(this.own(out) && this.own(table))) return tsKernels.gatherRows(out, table, ids, n, e);
    this.fn.gather_rows(this.ptr(out), this.ptr(table), this.idsPtr(ids, n), n, e);
  }

  // ids: (n)  dout: (n, e)  dtable: (v, e) dtable[ids[r], :] += dout[r, :]
  scatterRowsAdd(dtable: FloatArray, dout: FloatArray, ids: Int32Array, n: number, e: number): void {
    if (!(this.own(dtable) && this.own(dout))) return tsKernels.scatterRowsAdd(dtable, dout, ids, n, e);
    this.fn.scatter_rows_add(this.ptr(dtable), this.ptr(dout), this.idsPtr(ids, n), n, e);
  }

  addInto(y: FloatArray, x: FloatArray, len: number): void {
    if (!(this.own(y) && this.own(x))) return tsKernels.addInto(y, x, len);
    this.fn.add_into(this.ptr(y), this.ptr(x), len);
  }

  mul(out: FloatArray, a: FloatArray, b: FloatArray, len: number): void {
    if (!(this.own(out) && this.own(a) && this.own(b))) return tsKernels.mul(out, a, b, len);
    this.fn.mul(this.ptr(out), this.ptr(a), this.ptr(b), len);
  }

  // elementwise over len, split in multiples of 4 elements; `cost` is the work per element in
  // flop-equivalents as splitFlops counts them (a vector tanh takes about as long as 50 multiply-adds
  // per element; the backward ops and ReLU are memory-bound and never worth a hand-off at RNN sizes)
  private elementwise(op: number, len: number, cost: number, ptrs: number[]): void {
    const units = Math.ceil(len / 4);
    this.split(op, this.parts(len * cost, units), units, (a, b) => {
      const from = a * 4, to = Math.min(len, b * 4);
      return [...ptrs.map((p) => p + from * 4), to - from];
    });
  }

  tanhInPlace(a: FloatArray, len: number): void {
    if (!this.own(a)) return tsKernels.tanhInPlace(a, len);
    this.elementwise(I_TANH, len, 50, [this.ptr(a)]);
  }

  reluInPlace(a: FloatArray, len: number): void {
    if (!this.own(a)) return tsKernels.reluInPlace(a, len);
    this.elementwise(I_RELU, len, 2, [this.ptr(a)]);
  }

  tanhBackward(dpre: FloatArray, dy: FloatArray, y: FloatArray, len: number): void {
    if (!(this.own(dpre) && this.own(dy) && this.own(y))) return tsKernels.tanhBackward(dpre, dy, y, len);
    this.elementwise(I_TANH_B, len, 3, [this.ptr(dpre), this.ptr(dy), this.ptr(y)]);
  }

  reluBackward(dpre: FloatArray, dy: FloatArray, y: FloatArray, len: number): void {
    if (!(this.own(dpre) && this.own(dy) && this.own(y))) return tsKernels.reluBackward(dpre, dy, y, len);
    this.elementwise(I_RELU_B, len, 2, [this.ptr(dpre), this.ptr(dy), this.ptr(y)]);
  }

  // rows split between the threads; an exponential costs about as much as 30 multiply-adds
  logSumExpRows(lse: FloatArray, logits: FloatArray, n: number, v: number): void {
    if (!(this.own(lse) && this.own(logits))) return tsKernels.logSumExpRows(lse, logits, n, v);
    const L = this.ptr(lse), X = this.ptr(logits);
    this.split(I_LSE, this.parts(n * v * 30, n), n, (a, b) => [L, X, v, a, b]);
  }

  softmaxCrossEntropyBackward(d: FloatArray, logits: FloatArray, lse: FloatArray, targets: Int32Array, n: number, v: number, scale: number): void {
    if (!(this.own(d) && this.own(logits) && this.own(lse))) return tsKernels.softmaxCrossEntropyBackward(d, logits, lse, targets, n, v, scale);
    const D = this.ptr(d), X = this.ptr(logits), L = this.ptr(lse), T = this.idsPtr(targets, n, S_TARGETS), bits = f32Bits(scale);
    this.split(I_XENT_B, this.parts(n * v * 30, n), n, (a, b) => [D, X, L, T, v, bits, a, b]);
  }

  // partial sums over fixed blocks of 4096 in float64, added here in block order
  sumSquares(x: FloatArray, len: number): number {
    if (!this.own(x)) return tsKernels.sumSquares(x, len);
    const blocks = Math.ceil(len / SQUARES_BLOCK);
    if (blocks === 0) return 0;
    const P = this.arena.scratch(S_PARTIAL, blocks * 8), X = this.ptr(x);
    this.split(I_SQUARES, this.parts(len * 2, blocks), blocks, (a, b) => [P, X, len, SQUARES_BLOCK, a, b]);
    const partial = new Float64Array(this.memory.buffer, P, blocks);
    let s = 0;
    for (let b = 0; b < blocks; b++) s += partial[b]!;
    return s;
  }

  scale(x: FloatArray, len: number, a: number): void {
    if (!this.own(x)) return tsKernels.scale(x, len, a);
    const X = this.ptr(x), bits = f32Bits(a), units = Math.ceil(len / 4);
    this.split(I_SCALE, this.parts(len * 2, units), units, (p, q) => [X + p * 16, bits, Math.min(len, q * 4) - p * 4]);
  }

  axpy(y: FloatArray, x: FloatArray, len: number, a: number): void {
    if (!(this.own(y) && this.own(x))) return tsKernels.axpy(y, x, len, a);
    const Y = this.ptr(y), X = this.ptr(x), bits = f32Bits(a), units = Math.ceil(len / 4);
    this.split(I_AXPY, this.parts(len * 2, units), units, (p, q) => [Y + p * 16, X + p * 16, bits, Math.min(len, q * 4) - p * 4]);
  }

  // a whole step, split between the threads by hidden units in fours: each thread computes every
  // gate of its units and applies their nonlinearity (`pointwise`: its cost per unit and row)
  private step(op: number, B: number, H: number, gates: number, pointwise: number, args: number[]): void {
    const units = Math.ceil(H / 4);
    this.split(op, this.parts(2 * B * H * gates * H + B * H * pointwise, units), units, (a, b) => [...args, a * 4, Math.min(H, b * 4)]);
  }

  rnnStepForward(h: FloatArray, hPrev: FloatArray, wHh: FloatArray, bHh: FloatArray, B: number, H: number, relu: boolean): void {
    if (!(this.own(h) && this.own(hPrev) && this.own(wHh) && this.own(bHh))) return tsKernels.rnnStepForward(h, hPrev, wHh, bHh, B, H, relu);
    this.step(I_RNN_STEP, B, H, 1, relu ? 2 : 50, [this.ptr(h), this.ptr(hPrev), this.ptr(wHh), this.ptr(bHh), B, H, relu ? 1 : 0]);
  }

  lstmStepForward(gates: FloatArray, hPrev: FloatArray, wHh: FloatArray, bHh: FloatArray, cPrev: FloatArray, c: FloatArray, tanhC: FloatArray, h: FloatArray, B: number, H: number): void {
    if (!(this.own(gates) && this.own(hPrev) && this.own(wHh) && this.own(bHh) && this.own(cPrev) && this.own(c) && this.own(tanhC) && this.own(h))) {
      return tsKernels.lstmStepForward(gates, hPrev, wHh, bHh, cPrev, c, tanhC, h, B, H);
    }
    this.step(I_LSTM_STEP, B, H, 4, 100, [this.ptr(gates), this.ptr(hPrev), this.ptr(wHh), this.ptr(bHh), this.ptr(cPrev), this.ptr(c), this.ptr(tanhC), this.ptr(h), B, H]);
  }

  gruStepForward(gx: FloatArray, gh: FloatArray, hPrev: FloatArray, wHh: FloatArray, bHh: FloatArray, h: FloatArray, B: number, H: number): void {
    if (!(this.own(gx) && this.own(gh) && this.own(hPrev) && this.own(wHh) && this.own(bHh) && this.own(h))) {
      return tsKernels.gruStepForward(gx, gh, hPrev, wHh, bHh, h, B, H);
    }
    this.step(I_GRU_STEP, B, H, 3, 80, [this.ptr(gx), this.ptr(gh), this.ptr(hPrev), this.ptr(wHh), this.ptr(bHh), this.ptr(h), B, H]);
  }

  lstmPointwiseForward(gates: FloatArray, cPrev: FloatArray, c: FloatArray, tanhC: FloatArray, h: FloatArray, B: number, H: number): void {
    if (!(this.own(gates) && this.own(cPrev) && this.own(c) && this.own(tanhC) && this.own(h))) {
      return tsKernels.lstmPointwiseForward(gates, cPrev, c, tanhC, h, B, H);
    }
    const p = [this.ptr(gates), this.ptr(cPrev), this.ptr(c), this.ptr(tanhC), this.ptr(h), H];
    this.split(I_LSTM_F, this.parts(B * H * 100, B), B, (a, b) => [...p, a, b]);
  }

  lstmPointwiseBackward(gates: FloatArray, cPrev: FloatArray, tanhC: FloatArray, dh: FloatArray, dc: FloatArray, dGates: FloatArray, B: number, H: number): void {
    if (!(this.own(gates) && this.own(cPrev) && this.own(tanhC) && this.own(dh) && this.own(dc) && this.own(dGates))) {
      return tsKernels.lstmPointwiseBackward(gates, cPrev, tanhC, dh, dc, dGates, B, H);
    }
    const p = [this.ptr(gates), this.ptr(cPrev), this.ptr(tanhC), this.ptr(dh), this.ptr(dc), this.ptr(dGates), H];
    this.split(I_LSTM_B, this.parts(B * H * 30, B), B, (a, b) => [...p, a, b]);
  }

  gruPointwiseForward(gx: FloatArray, gh: FloatArray, hPrev: FloatArray, h: FloatArray, B: number, H: number): void {
    if (!(this.own(gx) && this.own(gh) && this.own(hPrev) && this.own(h))) return tsKernels.gruPointwiseForward(gx, gh, hPrev, h, B, H);
    const p = [this.ptr(gx), this.ptr(gh), this.ptr(hPrev), this.ptr(h), H];
    this.split(I_GRU_F, this.parts(B * H * 80, B), B, (a, b) => [...p, a, b]);
  }

  gruPointwiseBackward(gx: FloatArray, gh: FloatArray, hPrev: FloatArray, dh: FloatArray, dGx: FloatArray, dGh: FloatArray, dhPrev: FloatArray, B: number, H: number): void {
    if (!(this.own(gx) && this.own(gh) && this.own(hPrev) && this.own(dh) && this.own(dGx) && this.own(dGh) && this.own(dhPrev))) {
      return tsKernels.gruPointwiseBackward(gx, gh, hPrev, dh, dGx, dGh, dhPrev, B, H);
    }
    const p = [this.ptr(gx), this.ptr(gh), this.ptr(hPrev), this.ptr(dh), this.ptr(dGx), this.ptr(dGh), this.ptr(dhPrev), H];
    this.split(I_GRU_B, this.parts(B * H * 30, B), B, (a, b) => [...p, a, b]);
  }
}
