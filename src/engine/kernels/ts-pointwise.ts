import type { FloatArray } from '../tensor';
import { logSumExp } from '../loss';

/* Elementwise kernels: biases, gathers for one-hot and embedding inputs, gate nonlinearities. */

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

// b: (m)  y: (n, m)                      y[r, :] += b
export function addBias(y: FloatArray, b: FloatArray, n: number, m: number): void {
  for (let r = 0, o = 0; r < n; r++, o += m) {
    for (let j = 0; j < m; j++) y[o + j]! += b[j]!;
  }
}

// dy: (n, m)  db: (m)                    db += Σ_r dy[r, :]
export function sumRows(db: FloatArray, dy: FloatArray, n: number, m: number): void {
  for (let r = 0, o = 0; r < n; r++, o += m) {
    for (let j = 0; j < m; j++) db[j]! += dy[o + j]!;
  }
}

// ids: (n)  w: (m, v)  y: (n, m)         y[r, :] += w[:, ids[r]]
export function gatherColsAdd(y: FloatArray, w: FloatArray, ids: Int32Array, n: number, m: number, v: number): void {
  for (let r = 0, o = 0; r < n; r++, o += m) {
    const id = ids[r]!;
    for (let j = 0, wj = id; j < m; j++, wj += v) y[o + j]! += w[wj]!;
  }
}

// ids: (n)  dy: (n, m)  dw: (m, v)       dw[:, ids[r]] += dy[r, :]
export function scatterColsAdd(dw: FloatArray, dy: FloatArray, ids: Int32Array, n: number, m: number, v: number): void {
  for (let r = 0, o = 0; r < n; r++, o += m) {
    const id = ids[r]!;
    for (let j = 0, wj = id; j < m; j++, wj += v) dw[wj]! += dy[o + j]!;
  }
}

// ids: (n)  table: (v, e)  out: (n, e)   out[r, :] = table[ids[r], :]
export function gatherRows(out: FloatArray, table: FloatArray, ids: Int32Array, n: number, e: number): void {
  for (let r = 0; r < n; r++) {
    const src = ids[r]! * e;
    out.set(table.subarray(src, src + e), r * e);
  }
}

// ids: (n)  dout: (n, e)  dtable: (v, e) dtable[ids[r], :] += dout[r, :]
export function scatterRowsAdd(dtable: FloatArray, dout: FloatArray, ids: Int32Array, n: number, e: number): void {
  for (let r = 0, o = 0; r < n; r++, o += e) {
    const dst = ids[r]! * e;
    for (let j = 0; j < e; j++) dtable[dst + j]! += dout[o + j]!;
  }
}

// x, y: (len)                           y += x
export function addInto(y: FloatArray, x: FloatArray, len: number): void {
  for (let i = 0; i < len; i++) y[i]! += x[i]!;
}

// logits: (n, v)  lse: (n)               lse[r] = ln Σ_j exp(logits[r, j])
export function logSumExpRows(lse: FloatArray, logits: FloatArray, n: number, v: number): void {
  for (let r = 0; r < n; r++) lse[r] = logSumExp(logits, r * v, v);
}

// logits, d: (n, v)  lse, targets: (n)   d = scale · (softmax(logits) − onehot(targets))   (d may be logits)
export function softmaxCrossEntropyBackward(d: FloatArray, logits: FloatArray, lse: FloatArray, targets: Int32Array, n: number, v: number, scale: number): void {
  for (let r = 0, o = 0; r < n; r++, o += v) {
    const l = lse[r]!;
    for (let j = 0; j < v; j++) d[o + j] = scale * Math.exp(logits[o + j]! - l);
    d[o + targets[r]!]! -= scale;
  }
}

// x: (len)                               Σ x² in float64
export function sumSquares(x: FloatArray, len: number): number {
  let s = 0;
  for (let i = 0; i < len; i++) s += x[i]! * x[i]!;
  return s;
}

// x: (len)                               x = a · x
export function scale(x: FloatArray, len: number, a: number): void {
  for (let i = 0; i < len; i++) x[i] = x[i]! * a;
}

// y, x: (len)                            y = y + a · x
export function axpy(y: FloatArray, x: FloatArray, len: number, a: number): void {
  for (let i = 0; i < len; i++) y[i] = y[i]! + a * x[i]!;
}

// a, b, out: (len)                       out = a ⊙ b
export function mul(out: FloatArray, a: FloatArray, b: FloatArray, len: number): void {
  for (let i = 0; i < len; i++) out[i] = a[i]! * b[i]!;
}

export function tanhInPlace(a: FloatArray, len: number): void {
  for (let i = 0; i < len; i++) a[i] = Math.tanh(a[i]!);
}

export function reluInPlace(a: FloatArray, len: number): void {
  for (let i = 0; i < len; i++) if (a[i]! < 0) a[i] = 0; // NaN stays NaN, so divergence stays visible
}

// dpre = dy ⊙ (1 − y²)
export function tanhBackward(dpre: FloatArray, dy: FloatArray, y: FloatArray, len: number): void {
  for (let i = 0; i < len; i++) {
    const v = y[i]!;
    dpre[i] = dy[i]! * (1 - v * v);
  }
}

// dpre = dy where y > 0, else 0 (PyTorch's subgradient at 0)
export function reluBackward(dpre: FloatArray, dy: FloatArray, y: FloatArray, len: number): void {
  for (let i = 0; i < len; i++) dpre[i] = y[i]! > 0 ? dy[i]! : 0;
}

// gates: (B, 4H) i,f,g,o  cPrev, c, tanhC, h: (B, H)
export function lstmPointwiseForward(gates: FloatArray, cPrev: FloatArray, c: FloatArray, tanhC: FloatArray, h: FloatArray, B: number, H: number): void {
  for (let b = 0; b < B; b++) {
    const gi = b * 4 * H, gf = gi + H, gg = gf + H, go = gg + H, s = b * H;
    for (let j = 0; j < H; j++) {
      const i = sigmoid(gates[gi + j]!);
      const f = sigmoid(gates[gf + j]!);
      const g = Math.tanh(gates[gg + j]!);
      const o = sigmoid(gates[go + j]!);
      gates[gi + j] = i; gates[gf + j] = f; gates[gg + j] = g; gates[go + j] = o;
      const cj = f * cPrev[s + j]! + i * g;
      const tc = Math.tanh(cj);
      c[s + j] = cj;
      tanhC[s + j] = tc;
      h[s + j] = o * tc;
    }
  }
}

// gates: (B, 4H) activations  cPrev, tanhC, dh, dc: (B, H)  dGates: (B, 4H)
export function lstmPointwiseBackward(gates: FloatArray, cPrev: FloatArray, tanhC: FloatArray, dh: FloatArray, dc: FloatArray, dGates: FloatArray, B: number, H: number): void {
  for (let b = 0; b < B; b++) {
    const gi = b * 4 * H, gf = gi + H, gg = gf + H, go = gg + H, s = b * H;
    for (let j = 0; j < H; j++) {
      const i = gates[gi + j]!, f = gates[gf + j]!, g = gates[gg + j]!, o = gates[go + j]!;
      const tc = tanhC[s + j]!, dhj = dh[s + j]!;
      const dcTotal = dc[s + j]! + dhj * o * (1 - tc * tc); // ∂L/∂c_t through h_t and c_{t+1}
      dGates[gi + j] = dcTotal * g * i * (1 - i);
      dGates[gf + j] = dcTotal * cPrev[s + j]! * f * (1 - f);
      dGates[gg + j] = dcTotal * i * (1 - g * g);
      dGates[go + j] = dhj * tc * o * (1 - o);
      dc[s + j] = dcTotal * f;
    }
  }
}

// gx: (B, 3H) r,z,n  gh: (B, 3H)  hPrev, h: (B, H)
export function gruPointwiseForward(gx: FloatArray, gh: FloatArray, hPrev: FloatArray, h: FloatArray, B: number, H: number): void {
  for (let b = 0; b < B; b++) {
    const gr = b * 3 * H, gz = gr + H, gn = gz + H, s = b * H;
    for (let j = 0; j < H; j++) {
      const r = sigmoid(gx[gr + j]! + gh[gr + j]!);
      const z = sigmoid(gx[gz + j]! + gh[gz + j]!);
      const nn = Math.tanh(gx[gn + j]! + r * gh[gn + j]!); // reset-after
      gx[gr + j] = r; gx[gz + j] = z; gx[gn + j] = nn;
      h[s + j] = (1 - z) * nn + z * hPrev[s + j]!;
    }
  }
}

// gx: (B, 3H) activations  gh: (B, 3H)  hPrev, dh, dhPrev: (B, H)  dGx, dGh: (B, 3H)
export function gruPointwiseBackward(gx: FloatArray, gh: FloatArray, hPrev: FloatArray, dh: FloatArray, dGx: FloatArray, dGh: FloatArray, dhPrev: FloatArray, B: number, H: number): void {
  for (let b = 0; b < B; b++) {
    const gr = b * 3 * H, gz = gr + H, gn = gz + H, s = b * H;
    for (let j = 0; j < H; j++) {
      const r = gx[gr + j]!, z = gx[gz + j]!, nn = gx[gn + j]!, dhj = dh[s + j]!;
      const dnPre = dhj * (1 - z) * (1 - nn * nn);
      const dzPre = dhj * (hPrev[s + j]! - nn) * z * (1 - z);
      const drPre = dnPre * gh[gn + j]! * r * (1 - r);
      dGx[gr + j] = drPre; dGx[gz + j] = dzPre; dGx[gn + j] = dnPre;
      dGh[gr + j] = drPre; dGh[gz + j] = dzPre; dGh[gn + j] = dnPre * r;
      dhPrev[s + j] = dhj * z;
    }
  }
}
