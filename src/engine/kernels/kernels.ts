import type { FloatArray } from '../tensor';

/**
 * Every numeric inner loop of the model, behind one interface so a WebAssembly SIMD
 * implementation can replace `tsKernels` without touching the cells or the model.
 *
 * Conventions:
 * - Arrays are flat, row-major, and start at index 0. Callers pass `subarray` views created
 *   once per workspace (a view's `byteOffset` is what a WebAssembly kernel uses as a pointer).
 * - Weights use PyTorch's layout `W (out, in)`.
 * - Products and backward kernels ADD into their output (`+=`); the caller zeroes.
 * - Fused pointwise kernels overwrite their outputs (documented per kernel).
 * - `n` counts rows: batch B for one step, or steps × batch for a whole sequence.
 */
export interface Kernels {
  readonly name: string;
  /**
   * Optional: where float32 buffers must live for this implementation's fast path (a WebAssembly
   * kernel set returns views of its linear memory). A float32 model uses it unless given its own
   * `allocate`; arrays from elsewhere still work, through a slower path.
   */
  readonly allocateFloat32?: (length: number) => Float32Array;

  // x: (n, k)  w: (m, k)  y: (n, m)        y += x · wᵀ
  gemmXWt(y: FloatArray, x: FloatArray, w: FloatArray, n: number, k: number, m: number): void;
  // dy: (n, m)  w: (m, k)  dx: (n, k)      dx += dy · w
  gemmDyW(dx: FloatArray, dy: FloatArray, w: FloatArray, n: number, m: number, k: number): void;
  // dy: (n, m)  x: (n, k)  dw: (m, k)      dw += dyᵀ · x   (n = steps × batch for weight gradients)
  gemmDyTX(dw: FloatArray, dy: FloatArray, x: FloatArray, n: number, m: number, k: number): void;

  // b: (m)  y: (n, m)                      y[r, :] += b
  addBias(y: FloatArray, b: FloatArray, n: number, m: number): void;
  // dy: (n, m)  db: (m)                    db += Σ_r dy[r, :]
  sumRows(db: FloatArray, dy: FloatArray, n: number, m: number): void;

  // ids: (n)  w: (m, v)  y: (n, m)         y += onehot(ids) · wᵀ, i.e. y[r, :] += w[:, ids[r]]
  gatherColsAdd(y: FloatArray, w: FloatArray, ids: Int32Array, n: number, m: number, v: number): void;
  // ids: (n)  dy: (n, m)  dw: (m, v)       dw[:, ids[r]] += dy[r, :]
  scatterColsAdd(dw: FloatArray, dy: FloatArray, ids: Int32Array, n: number, m: number, v: number): void;
  // ids: (n)  table: (v, e)  out: (n, e)   out[r, :] = table[ids[r], :]   (overwrites)
  gatherRows(out: FloatArray, table: FloatArray, ids: Int32Array, n: number, e: number): void;
  // ids: (n)  dout: (n, e)  dtable: (v, e) dtable[ids[r], :] += dout[r, :]
  scatterRowsAdd(dtable: FloatArray, dout: FloatArray, ids: Int32Array, n: number, e: number): void;

  // x, y: (len)                           y += x
  addInto(y: FloatArray, x: FloatArray, len: number): void;
  // a, b, out: (len)                       out = a ⊙ b   (overwrites; out may alias a)
  mul(out: FloatArray, a: FloatArray, b: FloatArray, len: number): void;

  // a: (len)                               a = tanh(a) or relu(a), in place
  tanhInPlace(a: FloatArray, len: number): void;
  reluInPlace(a: FloatArray, len: number): void;
  // y = φ(pre), dy, dpre: (len)            dpre = dy ⊙ φ'(pre), written from y (overwrites)
  tanhBackward(dpre: FloatArray, dy: FloatArray, y: FloatArray, len: number): void;
  reluBackward(dpre: FloatArray, dy: FloatArray, y: FloatArray, len: number): void;

  // logits: (n, v)  lse: (n)              lse[r] = ln Σ_j exp(logits[r, j]), stable (overwrites)
  logSumExpRows(lse: FloatArray, logits: FloatArray, n: number, v: number): void;
  // logits, d: (n, v)  lse, targets: (n)  d = scale · (softmax(logits) − onehot(targets)), softmax from lse
  //                                        (overwrites; d may be logits itself, which saves a buffer)
  softmaxCrossEntropyBackward(d: FloatArray, logits: FloatArray, lse: FloatArray, targets: Int32Array, n: number, v: number, scale: number): void;
  // x: (len)                               Σ x², summed in float64
  sumSquares(x: FloatArray, len: number): number;
  // x: (len)                               x = a · x
  scale(x: FloatArray, len: number, a: number): void;
  // y, x: (len)                            y = y + a · x
  axpy(y: FloatArray, x: FloatArray, len: number, a: number): void;

  // One recurrent step over B rows (d2l's cells, PyTorch's gate order); the input half x_t·W_ihᵀ + b_ih
  // is already in h / gates / gx, wHh: (G·H, H) and bHh: (G·H) are the layer's recurrent weights.
  // Each gives the same numbers as its bias, product and pointwise kernels in turn, in one call
  // (one hand-off for threaded kernels, the gates still in cache when the nonlinearity reads them).
  // h: (B, H) in: x_t·W_ihᵀ + b_ih, out: φ(h + b_hh + hPrev·W_hhᵀ), φ = ReLU when `relu`, else tanh
  rnnStepForward(h: FloatArray, hPrev: FloatArray, wHh: FloatArray, bHh: FloatArray, B: number, H: number, relu: boolean): void;
  // gates: (B, 4H) in: x_t·W_ihᵀ + b_ih, out: activated i,f,g,o; c, tanhC, h: (B, H) out (lstmPointwiseForward)
  lstmStepForward(gates: FloatArray, hPrev: FloatArray, wHh: FloatArray, bHh: FloatArray, cPrev: FloatArray, c: FloatArray, tanhC: FloatArray, h: FloatArray, B: number, H: number): void;
  // gx: (B, 3H) in: x_t·W_ihᵀ + b_ih, out: r,z,n; gh: (B, 3H) out: hPrev·W_hhᵀ + b_hh; h: (B, H) out
  gruStepForward(gx: FloatArray, gh: FloatArray, hPrev: FloatArray, wHh: FloatArray, bHh: FloatArray, h: FloatArray, B: number, H: number): void;

  // gates: (B, 4H) pre-activations i,f,g,o in, activations out  cPrev, c, tanhC, h: (B, H)
  // c = f ⊙ cPrev + i ⊙ g ; h = o ⊙ tanh(c)   (overwrites gates, c, tanhC, h)
  lstmPointwiseForward(gates: FloatArray, cPrev: FloatArray, c: FloatArray, tanhC: FloatArray, h: FloatArray, B: number, H: number): void;
  // gates: (B, 4H) activations  cPrev, tanhC, dh: (B, H)  dc: (B, H) in: ∂L/∂c_t from step t+1, out: ∂L/∂c_{t-1}
  // dGates: (B, 4H) ∂L/∂(pre-activations)   (overwrites dGates and dc)
  lstmPointwiseBackward(gates: FloatArray, cPrev: FloatArray, tanhC: FloatArray, dh: FloatArray, dc: FloatArray, dGates: FloatArray, B: number, H: number): void;

  // gx: (B, 3H) x·W_ihᵀ + b_ih in, activations r,z,n out  gh: (B, 3H) h·W_hhᵀ + b_hh  hPrev, h: (B, H)
  // PyTorch GRU is reset-after: n = tanh(gx_n + r ⊙ gh_n), h = (1 − z) ⊙ n + z ⊙ hPrev
  gruPointwiseForward(gx: FloatArray, gh: FloatArray, hPrev: FloatArray, h: FloatArray, B: number, H: number): void;
  // gx: (B, 3H) activations  gh: (B, 3H)  hPrev, dh: (B, H)
  // dGx, dGh: (B, 3H) ∂L/∂gx, ∂L/∂gh   dhPrev: (B, H) = dh ⊙ z (the direct path; overwrites)
  gruPointwiseBackward(gx: FloatArray, gh: FloatArray, hPrev: FloatArray, dh: FloatArray, dGx: FloatArray, dGh: FloatArray, dhPrev: FloatArray, B: number, H: number): void;
}
