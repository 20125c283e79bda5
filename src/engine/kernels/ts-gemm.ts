import type { FloatArray } from '../tensor';

/*
 * Matrix products in plain TypeScript with 4×4 register blocking: sixteen accumulators live in
 * locals while the inner dimension streams past, which is what lifts scalar JS from ~1 to
 * ~4.5 GFLOP/s (shared/notes/kernels.md). Rows and columns that do not fill a block fall back to
 * simple dot products.
 */

// x: (n, k)  w: (m, k)  y: (n, m)        y += x · wᵀ   (dot-product form on the PyTorch layout)
export function gemmXWt(y: FloatArray, x: FloatArray, w: FloatArray, n: number, k: number, m: number): void {
  const n4 = n - (n % 4);
  const m4 = m - (m % 4);
  for (let i = 0; i < n4; i += 4) {
    const x0 = i * k, x1 = x0 + k, x2 = x1 + k, x3 = x2 + k;
    const y0 = i * m, y1 = y0 + m, y2 = y1 + m, y3 = y2 + m;
    for (let j = 0; j < m4; j += 4) {
      const w0 = j * k, w1 = w0 + k, w2 = w1 + k, w3 = w2 + k;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let p = 0; p < k; p++) {
        const a0 = x[x0 + p]!, a1 = x[x1 + p]!, a2 = x[x2 + p]!, a3 = x[x3 + p]!;
        const b0 = w[w0 + p]!, b1 = w[w1 + p]!, b2 = w[w2 + p]!, b3 = w[w3 + p]!;
        c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
        c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
        c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
        c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
      }
      y[y0 + j]! += c00; y[y0 + j + 1]! += c01; y[y0 + j + 2]! += c02; y[y0 + j + 3]! += c03;
      y[y1 + j]! += c10; y[y1 + j + 1]! += c11; y[y1 + j + 2]! += c12; y[y1 + j + 3]! += c13;
      y[y2 + j]! += c20; y[y2 + j + 1]! += c21; y[y2 + j + 2]! += c22; y[y2 + j + 3]! += c23;
      y[y3 + j]! += c30; y[y3 + j + 1]! += c31; y[y3 + j + 2]! += c32; y[y3 + j + 3]! += c33;
    }
    for (let j = m4; j < m; j++) {
      const wj = j * k;
      let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
      for (let p = 0; p < k; p++) {
        const b = w[wj + p]!;
        c0 += x[x0 + p]! * b; c1 += x[x1 + p]! * b; c2 += x[x2 + p]! * b; c3 += x[x3 + p]! * b;
      }
      y[y0 + j]! += c0; y[y1 + j]! += c1; y[y2 + j]! += c2; y[y3 + j]! += c3;
    }
  }
  for (let i = n4; i < n; i++) {
    const xi = i * k, yi = i * m;
    for (let j = 0; j < m; j++) {
      const wj = j * k;
      let c = 0;
      for (let p = 0; p < k; p++) c += x[xi + p]! * w[wj + p]!;
      y[yi + j]! += c;
    }
  }
}

// dy: (n, m)  w: (m, k)  dx: (n, k)      dx += dy · w
export function gemmDyW(dx: FloatArray, dy: FloatArray, w: FloatArray, n: number, m: number, k: number): void {
  const n4 = n - (n % 4);
  const k4 = k - (k % 4);
  for (let i = 0; i < n4; i += 4) {
    const a0 = i * m, a1 = a0 + m, a2 = a1 + m, a3 = a2 + m;
    const d0 = i * k, d1 = d0 + k, d2 = d1 + k, d3 = d2 + k;
    for (let j = 0; j < k4; j += 4) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let p = 0, wp = j; p < m; p++, wp += k) {
        const g0 = dy[a0 + p]!, g1 = dy[a1 + p]!, g2 = dy[a2 + p]!, g3 = dy[a3 + p]!;
        const b0 = w[wp]!, b1 = w[wp + 1]!, b2 = w[wp + 2]!, b3 = w[wp + 3]!;
        c00 += g0 * b0; c01 += g0 * b1; c02 += g0 * b2; c03 += g0 * b3;
        c10 += g1 * b0; c11 += g1 * b1; c12 += g1 * b2; c13 += g1 * b3;
        c20 += g2 * b0; c21 += g2 * b1; c22 += g2 * b2; c23 += g2 * b3;
        c30 += g3 * b0; c31 += g3 * b1; c32 += g3 * b2; c33 += g3 * b3;
      }
      dx[d0 + j]! += c00; dx[d0 + j + 1]! += c01; dx[d0 + j + 2]! += c02; dx[d0 + j + 3]! += c03;
      dx[d1 + j]! += c10; dx[d1 + j + 1]! += c11; dx[d1 + j + 2]! += c12; dx[d1 + j + 3]! += c13;
      dx[d2 + j]! += c20; dx[d2 + j + 1]! += c21; dx[d2 + j + 2]! += c22; dx[d2 + j + 3]! += c23;
      dx[d3 + j]! += c30; dx[d3 + j + 1]! += c31; dx[d3 + j + 2]! += c32; dx[d3 + j + 3]! += c33;
    }
    for (let j = k4; j < k; j++) {
      let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
      for (let p = 0, wp = j; p < m; p++, wp += k) {
        const b = w[wp]!;
        c0 += dy[a0 + p]! * b; c1 += dy[a1 + p]! * b; c2 += dy[a2 + p]! * b; c3 += dy[a3 + p]! * b;
      }
      dx[d0 + j]! += c0; dx[d1 + j]! += c1; dx[d2 + j]! += c2; dx[d3 + j]! += c3;
    }
  }
  for (let i = n4; i < n; i++) {
    const a = i * m, d = i * k;
    for (let j = 0; j < k; j++) {
      let c = 0;
      for (let p = 0, wp = j; p < m; p++, wp += k) c += dy[a + p]! * w[wp]!;
      dx[d + j]! += c;
    }
  }
}

// dy: (n, m)  x: (n, k)  dw: (m, k)      dw += dyᵀ · x
export function gemmDyTX(dw: FloatArray, dy: FloatArray, x: FloatArray, n: number, m: number, k: number): void {
  const m4 = m - (m % 4);
  const k4 = k - (k % 4);
  for (let o = 0; o < m4; o += 4) {
    const d0 = o * k, d1 = d0 + k, d2 = d1 + k, d3 = d2 + k;
    for (let j = 0; j < k4; j += 4) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let p = 0, gp = o, xp = j; p < n; p++, gp += m, xp += k) {
        const g0 = dy[gp]!, g1 = dy[gp + 1]!, g2 = dy[gp + 2]!, g3 = dy[gp + 3]!;
        const b0 = x[xp]!, b1 = x[xp + 1]!, b2 = x[xp + 2]!, b3 = x[xp + 3]!;
        c00 += g0 * b0; c01 += g0 * b1; c02 += g0 * b2; c03 += g0 * b3;
        c10 += g1 * b0; c11 += g1 * b1; c12 += g1 * b2; c13 += g1 * b3;
        c20 += g2 * b0; c21 += g2 * b1; c22 += g2 * b2; c23 += g2 * b3;
        c30 += g3 * b0; c31 += g3 * b1; c32 += g3 * b2; c33 += g3 * b3;
      }
      dw[d0 + j]! += c00; dw[d0 + j + 1]! += c01; dw[d0 + j + 2]! += c02; dw[d0 + j + 3]! += c03;
      dw[d1 + j]! += c10; dw[d1 + j + 1]! += c11; dw[d1 + j + 2]! += c12; dw[d1 + j + 3]! += c13;
      dw[d2 + j]! += c20; dw[d2 + j + 1]! += c21; dw[d2 + j + 2]! += c22; dw[d2 + j + 3]! += c23;
      dw[d3 + j]! += c30; dw[d3 + j + 1]! += c31; dw[d3 + j + 2]! += c32; dw[d3 + j + 3]! += c33;
    }
    for (let j = k4; j < k; j++) {
      let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
      for (let p = 0, gp = o, xp = j; p < n; p++, gp += m, xp += k) {
        const b = x[xp]!;
        c0 += dy[gp]! * b; c1 += dy[gp + 1]! * b; c2 += dy[gp + 2]! * b; c3 += dy[gp + 3]! * b;
      }
      dw[d0 + j]! += c0; dw[d1 + j]! += c1; dw[d2 + j]! += c2; dw[d3 + j]! += c3;
    }
  }
  for (let o = m4; o < m; o++) {
    const d = o * k;
    for (let j = 0; j < k; j++) {
      let c = 0;
      for (let p = 0, gp = o, xp = j; p < n; p++, gp += m, xp += k) c += dy[gp]! * x[xp]!;
      dw[d + j]! += c;
    }
  }
}
