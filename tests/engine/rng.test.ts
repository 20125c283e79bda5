import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/rng';

describe('Rng', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const a = new Rng(42), b = new Rng(42), c = new Rng(43);
    const sa = Array.from({ length: 8 }, () => a.nextUint32());
    const sb = Array.from({ length: 8 }, () => b.nextUint32());
    const sc = Array.from({ length: 8 }, () => c.nextUint32());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
  });

  it('continues identically after its state is saved and restored', () => {
    const a = new Rng(7);
    for (let i = 0; i < 100; i++) a.nextFloat();
    const b = new Rng(a.getState());
    expect(Array.from({ length: 50 }, () => a.normal())).toEqual(Array.from({ length: 50 }, () => b.normal()));
  });

  it('draws uniform floats in [0,1) with the right mean and integers without bias', () => {
    const r = new Rng(1);
    let sum = 0;
    const counts = new Array(5).fill(0);
    for (let i = 0; i < 100_000; i++) {
      const x = r.nextFloat();
      if (!(x >= 0 && x < 1)) throw new Error(`out of range: ${x}`);
      sum += x;
      counts[r.nextInt(5)]++;
    }
    expect(sum / 100_000).toBeCloseTo(0.5, 2);
    for (const c of counts) expect(Math.abs(c - 20_000)).toBeLessThan(600);
  });

  it('draws normals with mean 0 and standard deviation 1', () => {
    const r = new Rng(3);
    let s = 0, s2 = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) { const x = r.normal(); s += x; s2 += x * x; }
    expect(s / n).toBeCloseTo(0, 1);
    expect(Math.sqrt(s2 / n - (s / n) ** 2)).toBeCloseTo(1, 1);
  });

  it('rejects a malformed state', () => {
    expect(() => new Rng([0, 0, 0, 0])).toThrow(RangeError);
    expect(() => new Rng([1, 2, 3, -1] as never)).toThrow(RangeError);
  });
});
