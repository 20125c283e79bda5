// AssemblyScript source of the WebAssembly SIMD kernels (built by build/wasm/build.ts into
// src/engine/kernels/wasm/artefact.ts). The `.as` extension keeps it out of tsc and eslint, which
// do not know v128 or `@inline`; the build hands it to asc as kernels.ts.
//
// Every export works on float32 buffers in the module's (shared) linear memory: pointers are byte
// offsets, dimensions are element counts, layouts are row-major as in src/engine/kernels/kernels.ts.
// Products ADD into their output; pointwise kernels overwrite. Nothing here allocates, so one module
// instance per thread can share the memory.
//
// Two variants come from this one file: with relaxed SIMD the multiply-adds are fused
// (f32x4.relaxed_madd); without it they are a separate multiply and add.

@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  else return f32x4.add(f32x4.mul(a, b), c);
}

@inline function splat(x: f32): v128 {
  return f32x4.splat(x);
}

// [Σa, Σb, Σc, Σd]: the horizontal sums of four accumulators as one vector
@inline function hsum4(a: v128, b: v128, c: v128, d: v128): v128 {
  const ab = f32x4.add(v128.shuffle<f32>(a, b, 0, 4, 1, 5), v128.shuffle<f32>(a, b, 2, 6, 3, 7));
  const cd = f32x4.add(v128.shuffle<f32>(c, d, 0, 4, 1, 5), v128.shuffle<f32>(c, d, 2, 6, 3, 7));
  return f32x4.add(v128.shuffle<f32>(ab, cd, 0, 1, 4, 5), v128.shuffle<f32>(ab, cd, 2, 3, 6, 7));
}

@inline function hsum(a: v128): f32 {
  return f32x4.extract_lane(hsum4(a, a, a, a), 0);
}

@inline function at(base: usize, index: i32): usize {
  return base + (<usize>index << 2);
}

// [w0[p], w1[p], w2[p], w3[p]]
@inline function column4(w0: usize, w1: usize, w2: usize, w3: usize, p: i32): v128 {
  let v = f32x4.splat(load<f32>(at(w0, p)));
  v = f32x4.replace_lane(v, 1, load<f32>(at(w1, p)));
  v = f32x4.replace_lane(v, 2, load<f32>(at(w2, p)));
  return f32x4.replace_lane(v, 3, load<f32>(at(w3, p)));
}

// Loads and stores of the first `count` (1…4) lanes, so pointwise tails run the same vector math.
@inline function loadN(p: usize, count: i32): v128 {
  if (count >= 4) return v128.load(p);
  let v = f32x4.splat(load<f32>(p));
  if (count > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (count > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}

@inline function storeN(p: usize, v: v128, count: i32): void {
  if (count >= 4) { v128.store(p, v); return; }
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (count > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (count > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}

// ---------------------------------------------------------------------------------------------
// Matrix products

// x: (n, k)  w: (m, k)  y: (n, ldy) columns 0…m−1      y += x · wᵀ
// Dot-product form on the PyTorch layout: 2 rows of x × 4 rows of w give 8 vector accumulators
// (V8 has 16 vector registers), reduced horizontally once per block. Rows of x are taken in
// blocks that stay in L1 while the rows of w stream past.
// A long inner dimension (a 1024-wide layer, or steps × batch for weight gradients) is cut in
// chunks of 512 so a block of x rows and four w rows stay in L1; each chunk adds its partial sums.
export function gemm_xwt(y: usize, ldy: i32, x: usize, w: usize, n: i32, k: i32, m: i32): void {
  const chunk = 512;
  for (let p0 = 0; p0 < k; p0 += chunk) xwt_chunk(y, ldy, at(x, p0), at(w, p0), k, n, min(chunk, k - p0), m);
}

// as gemm_xwt over columns 0…k−1 of rows that are `ld` floats apart
function xwt_chunk(y: usize, ldy: i32, x: usize, w: usize, ld: i32, n: i32, k: i32, m: i32): void {
  const k4 = k & ~3;
  const kb = <usize>ld << 2;
  let rowBlock = (4096 / max(k, 1)) & ~1;
  if (rowBlock < 2) rowBlock = 2;
  for (let i0 = 0; i0 < n; i0 += rowBlock) {
    const i1 = min(n, i0 + rowBlock);
    let j = 0;
    for (; j + 4 <= m; j += 4) {
      const w0 = w + <usize>j * kb, w1 = w0 + kb, w2 = w1 + kb, w3 = w2 + kb;
      let i = i0;
      for (; i + 2 <= i1; i += 2) {
        const x0 = x + <usize>i * kb, x1 = x0 + kb;
        let c00 = splat(0), c01 = splat(0), c02 = splat(0), c03 = splat(0);
        let c10 = splat(0), c11 = splat(0), c12 = splat(0), c13 = splat(0);
        for (let q: usize = 0, e = <usize>k4 << 2; q < e; q += 16) {
          const a0 = v128.load(x0 + q), a1 = v128.load(x1 + q);
          const b0 = v128.load(w0 + q), b1 = v128.load(w1 + q), b2 = v128.load(w2 + q), b3 = v128.load(w3 + q);
          c00 = madd(a0, b0, c00); c01 = madd(a0, b1, c01); c02 = madd(a0, b2, c02); c03 = madd(a0, b3, c03);
          c10 = madd(a1, b0, c10); c11 = madd(a1, b1, c11); c12 = madd(a1, b2, c12); c13 = madd(a1, b3, c13);
        }
        let r0 = hsum4(c00, c01, c02, c03), r1 = hsum4(c10, c11, c12, c13);
        for (let p = k4; p < k; p++) {
          const bp = column4(w0, w1, w2, w3, p);
          r0 = madd(splat(load<f32>(at(x0, p))), bp, r0);
          r1 = madd(splat(load<f32>(at(x1, p))), bp, r1);
        }
        const y0 = at(y, i * ldy + j), y1 = at(y, (i + 1) * ldy + j);
        v128.store(y0, f32x4.add(v128.load(y0), r0));
        v128.store(y1, f32x4.add(v128.load(y1), r1));
      }
      for (; i < i1; i++) {
        const x0 = x + <usize>i * kb;
        let c0 = splat(0), c1 = splat(0), c2 = splat(0), c3 = splat(0);
        for (let q: usize = 0, e = <usize>k4 << 2; q < e; q += 16) {
          const a0 = v128.load(x0 + q);
          c0 = madd(a0, v128.load(w0 + q), c0); c1 = madd(a0, v128.load(w1 + q), c1);
          c2 = madd(a0, v128.load(w2 + q), c2); c3 = madd(a0, v128.load(w3 + q), c3);
        }
        let r0 = hsum4(c0, c1, c2, c3);
        for (let p = k4; p < k; p++) {
          const bp = column4(w0, w1, w2, w3, p);
          r0 = madd(splat(load<f32>(at(x0, p))), bp, r0);
        }
        const y0 = at(y, i * ldy + j);
        v128.store(y0, f32x4.add(v128.load(y0), r0));
      }
    }
    for (; j < m; j++) {
      const wj = w + <usize>j * kb;
      for (let i = i0; i < i1; i++) {
        const xi = x + <usize>i * kb;
        let c = splat(0);
        for (let q: usize = 0, e = <usize>k4 << 2; q < e; q += 16) c = madd(v128.load(xi + q), v128.load(wj + q), c);
        let s = hsum(c);
        for (let p = k4; p < k; p++) s += load<f32>(at(xi, p)) * load<f32>(at(wj, p));
        const yp = at(y, i * ldy + j);
        store<f32>(yp, load<f32>(yp) + s);
      }
    }
  }
}

// a: (n, lda) columns 0…m−1  b: (m, ldb) columns 0…k−1  c: (n, ldc) columns 0…k−1     c += a · b
// ap: rows 0…4⌊n/4⌋−1 of a packed by pack_rows4
// NN form: 4 rows of a (broadcast) × 8 columns of b (two vectors) give 8 accumulators. The 4 rows
// come from the packed panel, so one pointer and immediate offsets address all four broadcasts and
// the inner loop has no index arithmetic. The inner dimension is taken in blocks so the strip of b
// stays in L1 across the row blocks of a. Rows past the last full four sum in the same order.
// bs: 8 KB of this thread's own, where the strip of b is copied contiguously when many row
// blocks reuse it (rows of b 1–4 KB apart would share a few L1 sets and not stay there)
export function gemm_nn(c: usize, ldc: i32, a: usize, lda: i32, b: usize, ldb: i32, n: i32, m: i32, k: i32, ap: usize, bs: usize): void {
  const pBlock = 256;
  const n4 = n & ~3;
  for (let p0 = 0; p0 < m; p0 += pBlock) {
    const p1 = min(m, p0 + pBlock);
    let j = 0;
    for (; j + 8 <= k; j += 8) {
      let bj = at(b, p0 * ldb + j), sb = <usize>ldb << 2;
      if (n4 >= 64) {
        let q = bj, d = bs;
        for (let p = p0; p < p1; p++) {
          v128.store(d, v128.load(q)); v128.store(d, v128.load(q, 16), 16);
          q += sb; d += 32;
        }
        bj = bs; sb = 32;
      }
      for (let i = 0; i < n4; i += 4) {
        let pa = ap + (<usize>i * <usize>m << 2) + (<usize>p0 << 4), pb = bj;
        const pe = pa + (<usize>(p1 - p0) << 4);
        let c00 = splat(0), c01 = splat(0), c10 = splat(0), c11 = splat(0);
        let c20 = splat(0), c21 = splat(0), c30 = splat(0), c31 = splat(0);
        for (; pa < pe; pa += 16) {
          const b0 = v128.load(pb), b1 = v128.load(pb, 16);
          const s0 = v128.load32_splat(pa), s1 = v128.load32_splat(pa, 4);
          c00 = madd(s0, b0, c00); c01 = madd(s0, b1, c01);
          c10 = madd(s1, b0, c10); c11 = madd(s1, b1, c11);
          const s2 = v128.load32_splat(pa, 8), s3 = v128.load32_splat(pa, 12);
          c20 = madd(s2, b0, c20); c21 = madd(s2, b1, c21);
          c30 = madd(s3, b0, c30); c31 = madd(s3, b1, c31);
          pb += sb;
        }
        const d0 = at(c, i * ldc + j), d1 = at(c, (i + 1) * ldc + j), d2 = at(c, (i + 2) * ldc + j), d3 = at(c, (i + 3) * ldc + j);
        v128.store(d0, f32x4.add(v128.load(d0), c00)); v128.store(d0, f32x4.add(v128.load(d0, 16), c01), 16);
        v128.store(d1, f32x4.add(v128.load(d1), c10)); v128.store(d1, f32x4.add(v128.load(d1, 16), c11), 16);
        v128.store(d2, f32x4.add(v128.load(d2), c20)); v128.store(d2, f32x4.add(v128.load(d2, 16), c21), 16);
        v128.store(d3, f32x4.add(v128.load(d3), c30)); v128.store(d3, f32x4.add(v128.load(d3, 16), c31), 16);
      }
      for (let i = n4; i < n; i++) {
        const ai = at(a, i * lda);
        let c0 = splat(0), c1 = splat(0);
        for (let p = p0; p < p1; p++) {
          const bp = at(b, p * ldb + j);
          const s = splat(load<f32>(at(ai, p)));
          c0 = madd(s, v128.load(bp), c0); c1 = madd(s, v128.load(bp, 16), c1);
        }
        const d = at(c, i * ldc + j);
        v128.store(d, f32x4.add(v128.load(d), c0)); v128.store(d, f32x4.add(v128.load(d, 16), c1), 16);
      }
    }
    for (; j + 4 <= k; j += 4) {
      for (let i = 0; i < n; i++) {
        const ai = at(a, i * lda);
        let c0 = splat(0);
        for (let p = p0; p < p1; p++) c0 = madd(splat(load<f32>(at(ai, p))), v128.load(at(b, p * ldb + j)), c0);
        const d = at(c, i * ldc + j);
        v128.store(d, f32x4.add(v128.load(d), c0));
      }
    }
    for (; j < k; j++) {
      for (let i = 0; i < n; i++) {
        const ai = at(a, i * lda);
        let s: f32 = 0;
        for (let p = p0; p < p1; p++) s += load<f32>(at(ai, p)) * load<f32>(at(b, p * ldb + j));
        const d = at(c, i * ldc + j);
        store<f32>(d, load<f32>(d) + s);
      }
    }
  }
}

// dy: (n, ldy) columns 0…m−1  x: (n, ldx) columns 0…k−1  dw: (m, ldw) columns 0…k−1    dw += dyᵀ · x
// yp: dy in 4-column strips, xp: x in 8-column strips (pack_strips), for the full blocks
// Weight gradients without transposes: 4 rows of dw (4 neighbouring floats of a dy row, broadcast)
// × 8 columns (two vectors of the x row) give 8 accumulators. Both operands come from strips
// packed once per call, so the inner loop reads two contiguous streams (rows of dy and x are often
// 1–4 KB apart, which would map every strip row to the same few L1 sets). The inner dimension
// (steps × batch) is taken in blocks whose x strips stay in L2; each block adds its partial sums.
export function gemm_tn(dw: usize, ldw: i32, dy: usize, ldy: i32, x: usize, ldx: i32, n: i32, m: i32, k: i32, yp: usize, xp: usize): void {
  const pBlock = 256;
  const sy = <usize>ldy << 2, sx = <usize>ldx << 2;
  for (let p0 = 0; p0 < n; p0 += pBlock) {
    const np = min(n, p0 + pBlock) - p0;
    const y0 = at(dy, p0 * ldy), x0 = at(x, p0 * ldx);
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      const yi = yp + ((<usize>i * <usize>n + <usize>p0 * 4) << 2);
      let j = 0;
      for (; j + 8 <= k; j += 8) {
        let py = yi, px = xp + ((<usize>j * <usize>n + <usize>p0 * 8) << 2);
        const pe = py + (<usize>np << 4);
        let c00 = splat(0), c01 = splat(0), c10 = splat(0), c11 = splat(0);
        let c20 = splat(0), c21 = splat(0), c30 = splat(0), c31 = splat(0);
        for (; py < pe; py += 16) {
          const b0 = v128.load(px), b1 = v128.load(px, 16);
          const s0 = v128.load32_splat(py), s1 = v128.load32_splat(py, 4);
          c00 = madd(s0, b0, c00); c01 = madd(s0, b1, c01);
          c10 = madd(s1, b0, c10); c11 = madd(s1, b1, c11);
          const s2 = v128.load32_splat(py, 8), s3 = v128.load32_splat(py, 12);
          c20 = madd(s2, b0, c20); c21 = madd(s2, b1, c21);
          c30 = madd(s3, b0, c30); c31 = madd(s3, b1, c31);
          px += 32;
        }
        const d0 = at(dw, i * ldw + j), d1 = at(d0, ldw), d2 = at(d1, ldw), d3 = at(d2, ldw);
        v128.store(d0, f32x4.add(v128.load(d0), c00)); v128.store(d0, f32x4.add(v128.load(d0, 16), c01), 16);
        v128.store(d1, f32x4.add(v128.load(d1), c10)); v128.store(d1, f32x4.add(v128.load(d1, 16), c11), 16);
        v128.store(d2, f32x4.add(v128.load(d2), c20)); v128.store(d2, f32x4.add(v128.load(d2, 16), c21), 16);
        v128.store(d3, f32x4.add(v128.load(d3), c30)); v128.store(d3, f32x4.add(v128.load(d3, 16), c31), 16);
      }
      // last columns one at a time: the four dy floats as one vector, the x float broadcast
      for (; j < k; j++) {
        let py = yi, px = at(x0, j);
        const pe = py + (<usize>np << 4);
        let c0 = splat(0);
        for (; py < pe; py += 16) {
          c0 = madd(v128.load(py), v128.load32_splat(px), c0);
          px += sx;
        }
        const d = at(dw, i * ldw + j);
        store<f32>(d, load<f32>(d) + f32x4.extract_lane(c0, 0));
        store<f32>(at(d, ldw), load<f32>(at(d, ldw)) + f32x4.extract_lane(c0, 1));
        store<f32>(at(d, 2 * ldw), load<f32>(at(d, 2 * ldw)) + f32x4.extract_lane(c0, 2));
        store<f32>(at(d, 3 * ldw), load<f32>(at(d, 3 * ldw)) + f32x4.extract_lane(c0, 3));
      }
    }
    // last rows one at a time
    for (; i < m; i++) {
      let j = 0;
      for (; j + 4 <= k; j += 4) {
        let py = at(y0, i), px = at(x0, j);
        let c0 = splat(0);
        for (let p = 0; p < np; p++) {
          c0 = madd(v128.load32_splat(py), v128.load(px), c0);
          py += sy; px += sx;
        }
        const d = at(dw, i * ldw + j);
        v128.store(d, f32x4.add(v128.load(d), c0));
      }
      for (; j < k; j++) {
        let py = at(y0, i), px = at(x0, j);
        let s: f32 = 0;
        for (let p = 0; p < np; p++) {
          s += load<f32>(py) * load<f32>(px);
          py += sy; px += sx;
        }
        const d = at(dw, i * ldw + j);
        store<f32>(d, load<f32>(d) + s);
      }
    }
  }
}

// src: (n, ld) columns 0…cols−1   dst: (⌊cols/w⌋, n, w) for w = 4 or 8   dst[s, p, :] = src[p, ws…ws+w−1]
// Strips s0…s1−1 only, so threads can share the packing.
export function pack_strips(dst: usize, src: usize, ld: i32, n: i32, w: i32, s0: i32, s1: i32): void {
  const sd = (<usize>n * <usize>w) << 2;
  for (let p = 0; p < n; p++) {
    let q = at(src, p * ld + s0 * w), d = dst + <usize>s0 * sd + (<usize>(p * w) << 2);
    if (w == 8) {
      for (let s = s0; s < s1; s++) {
        v128.store(d, v128.load(q)); v128.store(d, v128.load(q, 16), 16);
        q += 32; d += sd;
      }
    } else {
      for (let s = s0; s < s1; s++) {
        v128.store(d, v128.load(q));
        q += 16; d += sd;
      }
    }
  }
}

// a: (n, lda) columns 0…m−1   dst: (⌊n/4⌋, m, 4)       dst[q, p, r] = a[4q + r, p]
// The row panels gemm_nn broadcasts from: four rows side by side, one 16-byte group per column.
export function pack_rows4(dst: usize, a: usize, lda: i32, n: i32, m: i32): void {
  const m4 = m & ~3;
  for (let i = 0; i + 4 <= n; i += 4) {
    const a0 = at(a, i * lda), a1 = at(a0, lda), a2 = at(a1, lda), a3 = at(a2, lda);
    const q = dst + (<usize>i * <usize>m << 2);
    let p = 0;
    for (; p < m4; p += 4) {
      const r0 = v128.load(at(a0, p)), r1 = v128.load(at(a1, p)), r2 = v128.load(at(a2, p)), r3 = v128.load(at(a3, p));
      const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
      const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5), t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
      const o = q + (<usize>p << 4);
      v128.store(o, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
      v128.store(o, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7), 16);
      v128.store(o, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5), 32);
      v128.store(o, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7), 48);
    }
    for (; p < m; p++) {
      const o = q + (<usize>p << 4);
      store<f32>(o, load<f32>(at(a0, p))); store<f32>(o, load<f32>(at(a1, p)), 4);
      store<f32>(o, load<f32>(at(a2, p)), 8); store<f32>(o, load<f32>(at(a3, p)), 12);
    }
  }
}

// src: rows r0…r1−1 of (rows, cols)  dst: (cols, rows)     dst[c, r] = src[r, c]
// 4×4 tiles through shuffles; ragged edges element by element.
export function transpose(dst: usize, src: usize, rows: i32, cols: i32, r0: i32, r1: i32): void {
  let r = r0;
  for (; r + 4 <= r1; r += 4) {
    let c = 0;
    for (; c + 4 <= cols; c += 4) {
      const a = v128.load(at(src, r * cols + c)), b = v128.load(at(src, (r + 1) * cols + c));
      const e = v128.load(at(src, (r + 2) * cols + c)), f = v128.load(at(src, (r + 3) * cols + c));
      const ab0 = v128.shuffle<f32>(a, b, 0, 4, 1, 5), ab1 = v128.shuffle<f32>(a, b, 2, 6, 3, 7);
      const ef0 = v128.shuffle<f32>(e, f, 0, 4, 1, 5), ef1 = v128.shuffle<f32>(e, f, 2, 6, 3, 7);
      v128.store(at(dst, c * rows + r), v128.shuffle<f32>(ab0, ef0, 0, 1, 4, 5));
      v128.store(at(dst, (c + 1) * rows + r), v128.shuffle<f32>(ab0, ef0, 2, 3, 6, 7));
      v128.store(at(dst, (c + 2) * rows + r), v128.shuffle<f32>(ab1, ef1, 0, 1, 4, 5));
      v128.store(at(dst, (c + 3) * rows + r), v128.shuffle<f32>(ab1, ef1, 2, 3, 6, 7));
    }
    for (; c < cols; c++) {
      for (let q = r; q < r + 4; q++) store<f32>(at(dst, c * rows + q), load<f32>(at(src, q * cols + c)));
    }
  }
  for (; r < r1; r++) {
    for (let c = 0; c < cols; c++) store<f32>(at(dst, c * rows + r), load<f32>(at(src, r * cols + c)));
  }
}

// src: (rows, cols)  dst: (cols, rows)                     dst[c, r] += src[r, c]
export function transpose_add(dst: usize, src: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const d = at(dst, c * rows + r);
      store<f32>(d, load<f32>(d) + load<f32>(at(src, r * cols + c)));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Rows, biases, gathers

// b: (m)  y: (n, m)                      y[r, :] += b
export function add_bias(y: usize, b: usize, n: i32, m: i32): void {
  for (let r = 0; r < n; r++) add_into(at(y, r * m), b, m);
}

// dy: (n, m)  db: (m)                    db += Σ_r dy[r, :]   (columns c0…c1−1)
export function sum_rows(db: usize, dy: usize, n: i32, m: i32, c0: i32, c1: i32): void {
  let j = c0;
  for (; j + 16 <= c1; j += 16) {
    let s0 = splat(0), s1 = splat(0), s2 = splat(0), s3 = splat(0);
    for (let r = 0; r < n; r++) {
      const p = at(dy, r * m + j);
      s0 = f32x4.add(s0, v128.load(p)); s1 = f32x4.add(s1, v128.load(p, 16));
      s2 = f32x4.add(s2, v128.load(p, 32)); s3 = f32x4.add(s3, v128.load(p, 48));
    }
    const d = at(db, j);
    v128.store(d, f32x4.add(v128.load(d), s0)); v128.store(d, f32x4.add(v128.load(d, 16), s1), 16);
    v128.store(d, f32x4.add(v128.load(d, 32), s2), 32); v128.store(d, f32x4.add(v128.load(d, 48), s3), 48);
  }
  for (; j < c1; j++) {
    let s: f32 = 0;
    for (let r = 0; r < n; r++) s += load<f32>(at(dy, r * m + j));
    const d = at(db, j);
    store<f32>(d, load<f32>(d) + s);
  }
}

// ids: (n) i32  table: (v, e)  out: (n, e)   out[r, :] += table[ids[r], :]
export function gather_rows_add(out: usize, table: usize, ids: usize, n: i32, e: i32): void {
  for (let r = 0; r < n; r++) add_into(at(out, r * e), at(table, load<i32>(at(ids, r)) * e), e);
}

// ids: (n) i32  table: (v, e)  out: (n, e)   out[r, :] = table[ids[r], :]
export function gather_rows(out: usize, table: usize, ids: usize, n: i32, e: i32): void {
  for (let r = 0; r < n; r++) memory.copy(at(out, r * e), at(table, load<i32>(at(ids, r)) * e), <usize>e << 2);
}

// ids: (n) i32  dout: (n, e)  dtable: (v, e)   dtable[ids[r], :] += dout[r, :]
export function scatter_rows_add(dtable: usize, dout: usize, ids: usize, n: i32, e: i32): void {
  for (let r = 0; r < n; r++) add_into(at(dtable, load<i32>(at(ids, r)) * e), at(dout, r * e), e);
}

// ---------------------------------------------------------------------------------------------
// Elementwise

// y, x: (len)                            y += x
export function add_into(y: usize, x: usize, len: i32): void {
  let i = 0;
  for (; i + 4 <= len; i += 4) v128.store(at(y, i), f32x4.add(v128.load(at(y, i)), v128.load(at(x, i))));
  for (; i < len; i++) store<f32>(at(y, i), load<f32>(at(y, i)) + load<f32>(at(x, i)));
}

// out = a ⊙ b
export function mul(out: usize, a: usize, b: usize, len: i32): void {
  let i = 0;
  for (; i + 4 <= len; i += 4) v128.store(at(out, i), f32x4.mul(v128.load(at(a, i)), v128.load(at(b, i))));
  for (; i < len; i++) store<f32>(at(out, i), load<f32>(at(a, i)) * load<f32>(at(b, i)));
}

// e^x = 2^n · e^r with n = round(x / ln 2), |r| ≤ ln2 / 2, e^r by its Taylor series to r⁶
// (truncation ≈ 1e-7 relative). Clamped so 2^n stays a normal float; NaN propagates.
// pmin/pmax are single instructions (min/max with NaN rules are several in V8) and keep a NaN x.
// n is rounded by adding 1.5·2²³, which leaves round(x / ln 2) (ties to even, as f32x4.nearest)
// in the low mantissa bits: the integer comes from the bits, without a float-to-int conversion.
@inline function exp4(x: v128): v128 {
  const xc = f32x4.pmin(f32x4.pmax(x, splat(-87.3)), splat(88.3));
  const magic = splat(12582912.0);
  const shifted = f32x4.add(f32x4.mul(xc, splat(1.44269504)), magic);
  const n = f32x4.sub(shifted, magic);
  // ln 2 split in a short high part (exact products with n) and the rest
  const r = f32x4.add(f32x4.sub(xc, f32x4.mul(n, splat(0.693359375))), f32x4.mul(n, splat(2.12194440e-4)));
  let p = splat(1.0 / 720.0);
  p = f32x4.add(f32x4.mul(p, r), splat(1.0 / 120.0));
  p = f32x4.add(f32x4.mul(p, r), splat(1.0 / 24.0));
  p = f32x4.add(f32x4.mul(p, r), splat(1.0 / 6.0));
  p = f32x4.add(f32x4.mul(p, r), splat(0.5));
  p = f32x4.add(f32x4.mul(p, r), splat(1.0));
  p = f32x4.add(f32x4.mul(p, r), splat(1.0));
  // bits(shifted) = bits(1.5·2²³) + n
  const scale = i32x4.shl(i32x4.add(i32x4.sub(shifted, magic), i32x4.splat(127)), 23);
  return f32x4.mul(p, scale);
}

@inline function sigmoid4(x: v128): v128 {
  return f32x4.div(splat(1), f32x4.add(splat(1), exp4(f32x4.neg(x))));
}

// tanh: odd Taylor series below |x| = 0.3 (where 1 − 2/(e^{2x} + 1) would cancel), else that form
@inline function tanh4(x: v128): v128 {
  const a = f32x4.abs(x);
  const big = f32x4.sub(splat(1), f32x4.div(splat(2), f32x4.add(exp4(f32x4.add(a, a)), splat(1))));
  const signed = v128.or(big, v128.and(x, i32x4.splat(<i32>0x80000000)));
  const x2 = f32x4.mul(x, x);
  let p = splat(-1382.0 / 155925.0);
  p = f32x4.add(f32x4.mul(p, x2), splat(62.0 / 2835.0));
  p = f32x4.add(f32x4.mul(p, x2), splat(-17.0 / 315.0));
  p = f32x4.add(f32x4.mul(p, x2), splat(2.0 / 15.0));
  p = f32x4.add(f32x4.mul(p, x2), splat(-1.0 / 3.0));
  const small = f32x4.add(x, f32x4.mul(f32x4.mul(p, x2), x));
  return v128.bitselect(small, signed, f32x4.lt(a, splat(0.3)));
}

export function tanh_in_place(a: usize, len: i32): void {
  for (let i = 0; i < len; i += 4) {
    const c = min(4, len - i), p = at(a, i);
    storeN(p, tanh4(loadN(p, c)), c);
  }
}

// a = max(a, 0) keeping NaN (as the TypeScript kernel does: only a < 0 becomes 0)
export function relu_in_place(a: usize, len: i32): void {
  for (let i = 0; i < len; i += 4) {
    const c = min(4, len - i), p = at(a, i);
    const v = loadN(p, c);
    storeN(p, v128.andnot(v, f32x4.lt(v, splat(0))), c);
  }
}

// dpre = dy ⊙ (1 − y²)
export function tanh_backward(dpre: usize, dy: usize, y: usize, len: i32): void {
  for (let i = 0; i < len; i += 4) {
    const c = min(4, len - i);
    const v = loadN(at(y, i), c);
    storeN(at(dpre, i), f32x4.mul(loadN(at(dy, i), c), f32x4.sub(splat(1), f32x4.mul(v, v))), c);
  }
}

// dpre = dy where y > 0, else 0
export function relu_backward(dpre: usize, dy: usize, y: usize, len: i32): void {
  for (let i = 0; i < len; i += 4) {
    const c = min(4, len - i);
    storeN(at(dpre, i), v128.and(loadN(at(dy, i), c), f32x4.gt(loadN(at(y, i), c), splat(0))), c);
  }
}

// gates: (B, 4H) i,f,g,o  cPrev, c, tanhC, h: (B, H)   rows b0…b1−1
// c = f ⊙ cPrev + i ⊙ g ; h = o ⊙ tanh(c)
export function lstm_forward(gates: usize, cPrev: usize, c: usize, tanhC: usize, h: usize, H: i32, b0: i32, b1: i32): void {
  lstm_units(gates, cPrev, c, tanhC, h, H, b0, b1, 0, H);
}

// lstm_forward over rows b0…b1−1 and units u0…u1−1 only
@inline function lstm_units(gates: usize, cPrev: usize, c: usize, tanhC: usize, h: usize, H: i32, b0: i32, b1: i32, u0: i32, u1: i32): void {
  for (let b = b0; b < b1; b++) {
    const gi = at(gates, b * 4 * H), gf = at(gi, H), gg = at(gf, H), go = at(gg, H), s = b * H;
    for (let j = u0; j < u1; j += 4) {
      const n = min(4, u1 - j);
      const i = sigmoid4(loadN(at(gi, j), n)), f = sigmoid4(loadN(at(gf, j), n));
      const g = tanh4(loadN(at(gg, j), n)), o = sigmoid4(loadN(at(go, j), n));
      storeN(at(gi, j), i, n); storeN(at(gf, j), f, n); storeN(at(gg, j), g, n); storeN(at(go, j), o, n);
      const cj = f32x4.add(f32x4.mul(f, loadN(at(cPrev, s + j), n)), f32x4.mul(i, g));
      const tc = tanh4(cj);
      storeN(at(c, s + j), cj, n);
      storeN(at(tanhC, s + j), tc, n);
      storeN(at(h, s + j), f32x4.mul(o, tc), n);
    }
  }
}

// gates: (B, 4H) activations  cPrev, tanhC, dh, dc: (B, H)  dGates: (B, 4H)   rows b0…b1−1
export function lstm_backward(gates: usize, cPrev: usize, tanhC: usize, dh: usize, dc: usize, dGates: usize, H: i32, b0: i32, b1: i32): void {
  const one = splat(1);
  for (let b = b0; b < b1; b++) {
    const go = b * 4 * H, s = b * H;
    const gi = at(gates, go), gf = at(gi, H), gg = at(gf, H), goo = at(gg, H);
    const di = at(dGates, go), df = at(di, H), dg = at(df, H), dO = at(dg, H);
    for (let j = 0; j < H; j += 4) {
      const n = min(4, H - j);
      const i = loadN(at(gi, j), n), f = loadN(at(gf, j), n), g = loadN(at(gg, j), n), o = loadN(at(goo, j), n);
      const tc = loadN(at(tanhC, s + j), n), dhj = loadN(at(dh, s + j), n);
      // ∂L/∂c_t through h_t and c_{t+1}
      const dcTotal = f32x4.add(loadN(at(dc, s + j), n), f32x4.mul(f32x4.mul(dhj, o), f32x4.sub(one, f32x4.mul(tc, tc))));
      storeN(at(di, j), f32x4.mul(f32x4.mul(dcTotal, g), f32x4.mul(i, f32x4.sub(one, i))), n);
      storeN(at(df, j), f32x4.mul(f32x4.mul(dcTotal, loadN(at(cPrev, s + j), n)), f32x4.mul(f, f32x4.sub(one, f))), n);
      storeN(at(dg, j), f32x4.mul(f32x4.mul(dcTotal, i), f32x4.sub(one, f32x4.mul(g, g))), n);
      storeN(at(dO, j), f32x4.mul(f32x4.mul(dhj, tc), f32x4.mul(o, f32x4.sub(one, o))), n);
      storeN(at(dc, s + j), f32x4.mul(dcTotal, f), n);
    }
  }
}

// gx: (B, 3H) r,z,n  gh: (B, 3H)  hPrev, h: (B, H)   rows b0…b1−1   (PyTorch reset-after)
export function gru_forward(gx: usize, gh: usize, hPrev: usize, h: usize, H: i32, b0: i32, b1: i32): void {
  gru_units(gx, gh, hPrev, h, H, b0, b1, 0, H);
}

// gru_forward over rows b0…b1−1 and units u0…u1−1 only
@inline function gru_units(gx: usize, gh: usize, hPrev: usize, h: usize, H: i32, b0: i32, b1: i32, u0: i32, u1: i32): void {
  const one = splat(1);
  for (let b = b0; b < b1; b++) {
    const gr = at(gx, b * 3 * H), gz = at(gr, H), gn = at(gz, H);
    const hr = at(gh, b * 3 * H), hz = at(hr, H), hn = at(hz, H), s = b * H;
    for (let j = u0; j < u1; j += 4) {
      const c = min(4, u1 - j);
      const r = sigmoid4(f32x4.add(loadN(at(gr, j), c), loadN(at(hr, j), c)));
      const z = sigmoid4(f32x4.add(loadN(at(gz, j), c), loadN(at(hz, j), c)));
      const nn = tanh4(f32x4.add(loadN(at(gn, j), c), f32x4.mul(r, loadN(at(hn, j), c))));
      storeN(at(gr, j), r, c); storeN(at(gz, j), z, c); storeN(at(gn, j), nn, c);
      const hj = f32x4.add(f32x4.mul(f32x4.sub(one, z), nn), f32x4.mul(z, loadN(at(hPrev, s + j), c)));
      storeN(at(h, s + j), hj, c);
    }
  }
}

// gx: (B, 3H) activations  gh: (B, 3H)  hPrev, dh, dhPrev: (B, H)  dGx, dGh: (B, 3H)   rows b0…b1−1
export function gru_backward(gx: usize, gh: usize, hPrev: usize, dh: usize, dGx: usize, dGh: usize, dhPrev: usize, H: i32, b0: i32, b1: i32): void {
  const one = splat(1);
  for (let b = b0; b < b1; b++) {
    const o = b * 3 * H, s = b * H;
    const gr = at(gx, o), gz = at(gr, H), gn = at(gz, H), hn = at(gh, o + 2 * H);
    const xr = at(dGx, o), xz = at(xr, H), xn = at(xz, H);
    const yr = at(dGh, o), yz = at(yr, H), yn = at(yz, H);
    for (let j = 0; j < H; j += 4) {
      const c = min(4, H - j);
      const r = loadN(at(gr, j), c), z = loadN(at(gz, j), c), nn = loadN(at(gn, j), c), dhj = loadN(at(dh, s + j), c);
      const dnPre = f32x4.mul(f32x4.mul(dhj, f32x4.sub(one, z)), f32x4.sub(one, f32x4.mul(nn, nn)));
      const dzPre = f32x4.mul(f32x4.mul(dhj, f32x4.sub(loadN(at(hPrev, s + j), c), nn)), f32x4.mul(z, f32x4.sub(one, z)));
      const drPre = f32x4.mul(f32x4.mul(dnPre, loadN(at(hn, j), c)), f32x4.mul(r, f32x4.sub(one, r)));
      storeN(at(xr, j), drPre, c); storeN(at(xz, j), dzPre, c); storeN(at(xn, j), dnPre, c);
      storeN(at(yr, j), drPre, c); storeN(at(yz, j), dzPre, c); storeN(at(yn, j), f32x4.mul(dnPre, r), c);
      storeN(at(dhPrev, s + j), f32x4.mul(dhj, z), c);
    }
  }
}

// p: (len)                               p = 0
export function fill_zero(p: usize, len: i32): void {
  memory.fill(p, 0, <usize>len << 2);
}

// ---------------------------------------------------------------------------------------------
// Softmax cross-entropy, gradient norm, updates

// ln x for a finite x ≥ 1, in float64 without tables. AssemblyScript's Math.log reads tables from a
// data segment, and this module must have none: its memory belongs to the caller's buffers from
// byte 64 on, which would overwrite them. x = 2^e · m with m in [√½, √2), ln m = 2 atanh(z) for
// z = (m − 1)/(m + 1), |z| ≤ 0.172, whose series to z¹⁹ is exact to about 1e-16.
@inline function ln(x: f64): f64 {
  const bits = reinterpret<i64>(x);
  let e = <i32>((bits >> 52) & 0x7ff) - 1023;
  let m = reinterpret<f64>((bits & 0x000fffffffffffff) | 0x3ff0000000000000);
  if (m > 1.4142135623730951) { m *= 0.5; e += 1; }
  const z = (m - 1) / (m + 1), z2 = z * z;
  let p: f64 = 1.0 / 19;
  p = p * z2 + 1.0 / 17; p = p * z2 + 1.0 / 15; p = p * z2 + 1.0 / 13; p = p * z2 + 1.0 / 11;
  p = p * z2 + 1.0 / 9; p = p * z2 + 1.0 / 7; p = p * z2 + 1.0 / 5; p = p * z2 + 1.0 / 3; p = p * z2 + 1;
  return <f64>e * 0.6931471805599453 + 2 * z * p;
}

// logits: (n, v)  lse: (n)               lse[r] = ln Σ_j exp(logits[r, j])   rows r0…r1−1
// Stable: the row's maximum is taken out first, and the exponentials are summed in float64. As the
// TypeScript loss: a row whose maximum is ±∞ gets that maximum, and a NaN anywhere gives NaN.
export function lse_rows(lse: usize, logits: usize, v: i32, r0: i32, r1: i32): void {
  for (let r = r0; r < r1; r++) {
    const row = at(logits, r * v);
    let mv = splat(-Infinity);
    let j = 0;
    for (; j + 4 <= v; j += 4) mv = f32x4.max(mv, v128.load(at(row, j)));
    let mx = max(max(f32x4.extract_lane(mv, 0), f32x4.extract_lane(mv, 1)), max(f32x4.extract_lane(mv, 2), f32x4.extract_lane(mv, 3)));
    for (; j < v; j++) mx = max(mx, load<f32>(at(row, j)));
    if (!isFinite(mx)) {
      store<f32>(at(lse, r), mx);
      continue;
    }
    const m4 = splat(mx);
    let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
    j = 0;
    for (; j + 4 <= v; j += 4) {
      const e = exp4(f32x4.sub(v128.load(at(row, j)), m4));
      s0 = f64x2.add(s0, f64x2.promote_low_f32x4(e));
      s1 = f64x2.add(s1, f64x2.promote_low_f32x4(v128.shuffle<f32>(e, e, 2, 3, 0, 1)));
    }
    let s = (f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s1, 0)) + (f64x2.extract_lane(s0, 1) + f64x2.extract_lane(s1, 1));
    for (; j < v; j++) s += <f64>f32x4.extract_lane(exp4(splat(load<f32>(at(row, j)) - mx)), 0);
    store<f32>(at(lse, r), <f32>(<f64>mx + ln(s)));
  }
}

// logits, d: (n, v)  lse: (n)  targets: (n) i32   rows r0…r1−1
// d[r, :] = scale · (exp(logits[r, :] − lse[r]) − onehot(targets[r]))   (overwrites; d may be logits)
// `scale` arrives as its float32 bits (the helper protocol passes i32 words).
export function xent_backward(d: usize, logits: usize, lse: usize, targets: usize, v: i32, scaleBits: i32, r0: i32, r1: i32): void {
  const scale = reinterpret<f32>(scaleBits), sv = splat(scale);
  for (let r = r0; r < r1; r++) {
    const row = at(logits, r * v), out = at(d, r * v), l = splat(load<f32>(at(lse, r)));
    for (let j = 0; j < v; j += 4) {
      const c = min(4, v - j);
      storeN(at(out, j), f32x4.mul(sv, exp4(f32x4.sub(loadN(at(row, j), c), l))), c);
    }
    const t = at(out, load<i32>(at(targets, r)));
    store<f32>(t, load<f32>(t) - scale);
  }
}

// x: (len)  partial: (⌈len / block⌉) f64   partial[b] = Σ x² over block b, blocks b0…b1−1
// Fixed blocks, so the caller's sum of the partials is the same whatever the thread count.
export function sum_squares(partial: usize, x: usize, len: i32, block: i32, b0: i32, b1: i32): void {
  for (let b = b0; b < b1; b++) {
    const to = min(len, (b + 1) * block);
    let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
    let i = b * block;
    for (; i + 4 <= to; i += 4) {
      const v = v128.load(at(x, i));
      const lo = f64x2.promote_low_f32x4(v), hi = f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
      s0 = f64x2.add(s0, f64x2.mul(lo, lo));
      s1 = f64x2.add(s1, f64x2.mul(hi, hi));
    }
    let s = (f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s1, 0)) + (f64x2.extract_lane(s0, 1) + f64x2.extract_lane(s1, 1));
    for (; i < to; i++) {
      const e = <f64>load<f32>(at(x, i));
      s += e * e;
    }
    store<f64>(partial + (<usize>b << 3), s);
  }
}

// x: (len)                               x = a · x   (a as float32 bits)
export function scale_in_place(x: usize, aBits: i32, len: i32): void {
  const a = splat(reinterpret<f32>(aBits));
  for (let i = 0; i < len; i += 4) {
    const c = min(4, len - i), p = at(x, i);
    storeN(p, f32x4.mul(loadN(p, c), a), c);
  }
}

// y, x: (len)                            y = y + a · x   (a as float32 bits; a separate multiply and
// add in both variants, so SGD's update is the same with and without relaxed SIMD)
export function axpy(y: usize, x: usize, aBits: i32, len: i32): void {
  const a = splat(reinterpret<f32>(aBits));
  for (let i = 0; i < len; i += 4) {
    const c = min(4, len - i), p = at(y, i);
    storeN(p, f32x4.add(loadN(p, c), f32x4.mul(a, loadN(at(x, i), c))), c);
  }
}

// ---------------------------------------------------------------------------------------------
// Whole recurrent steps, for the hidden units u0…u1−1 (a thread's share: every gate of a unit is
// computed by the thread that applies the unit's nonlinearity, so a step is one hand-off, and the
// gates are still in this core's cache when they are used). Per element the same additions in the
// same order as the separate bias, product and pointwise kernels.

// the recurrent half of `gates` columns [g·H + u0, g·H + u1) for g < count, rows 0…B−1:
// y[:, cols] += b[cols] (when `b` is not 0), then y[:, cols] += hPrev · W[cols, :]ᵀ
@inline function recurrent_cols(y: usize, ldy: i32, hPrev: usize, w: usize, b: usize, B: i32, H: i32, count: i32, u0: i32, u1: i32): void {
  for (let g = 0; g < count; g++) {
    const col = g * H + u0, width = u1 - u0;
    if (b != 0) for (let r = 0; r < B; r++) add_into(at(y, r * ldy + col), at(b, col), width);
    gemm_xwt(at(y, col), ldy, hPrev, at(w, col * H), B, H, width);
  }
}

// h: (B, H) x_t·W_ihᵀ + b_ih in, h_t out   h_t = φ(h + b_hh + hPrev·W_hhᵀ), φ = tanh or (relu ≠ 0) ReLU
export function rnn_step(h: usize, hPrev: usize, wHh: usize, bHh: usize, B: i32, H: i32, relu: i32, u0: i32, u1: i32): void {
  recurrent_cols(h, H, hPrev, wHh, bHh, B, H, 1, u0, u1);
  for (let r = 0; r < B; r++) {
    const row = at(h, r * H + u0), len = u1 - u0;
    if (relu != 0) relu_in_place(row, len);
    else tanh_in_place(row, len);
  }
}

// gates: (B, 4H) x_t·W_ihᵀ + b_ih in, activated i,f,g,o out; c, tanhC, h: (B, H) out (as lstm_forward)
export function lstm_step(gates: usize, hPrev: usize, wHh: usize, bHh: usize, cPrev: usize, c: usize, tanhC: usize, h: usize, B: i32, H: i32, u0: i32, u1: i32): void {
  recurrent_cols(gates, 4 * H, hPrev, wHh, bHh, B, H, 4, u0, u1);
  lstm_units(gates, cPrev, c, tanhC, h, H, 0, B, u0, u1);
}

// gx: (B, 3H) x_t·W_ihᵀ + b_ih in, r,z,n out; gh: (B, 3H) hPrev·W_hhᵀ + b_hh out; h: (B, H) out
export function gru_step(gx: usize, gh: usize, hPrev: usize, wHh: usize, bHh: usize, h: usize, B: i32, H: i32, u0: i32, u1: i32): void {
  for (let g = 0; g < 3; g++) for (let r = 0; r < B; r++) memory.copy(at(gh, r * 3 * H + g * H + u0), at(bHh, g * H + u0), <usize>(u1 - u0) << 2);
  recurrent_cols(gh, 3 * H, hPrev, wHh, 0, B, H, 3, u0, u1);
  gru_units(gx, gh, hPrev, h, H, 0, B, u0, u1);
}
