import { describe, expect, it } from 'vitest';
import { BoundedTop, CorpusMatcher, selectUnits } from '../../../src/engine/inspect';
import { Rng } from '../../../src/engine/rng';

const H = 6;
/** (steps, H) with every unit off (−1) except `on[t]` at step t. */
function states(on: number[][]): Float32Array {
  const h = new Float32Array(on.length * H).fill(-1);
  on.forEach((units, t) => units.forEach((u) => (h[t * H + u] = 0.8)));
  return h;
}

describe('selectUnits', () => {
  it('lists the units above the threshold at every step of the range', () => {
    const h = states([[0, 1], [0, 1, 2], [1, 2, 0], [3]]);
    expect(selectUnits(h, H, 0, 3, 0.5)).toEqual([0, 1]);
    expect(selectUnits(h, H, 1, 3, 0.5)).toEqual([0, 1, 2]);
    expect(selectUnits(h, H, 0, 4, 0.5)).toEqual([]);
    expect(selectUnits(h, H, 0, 3, 0.9)).toEqual([]);
  });
});

describe('CorpusMatcher', () => {
  it('finds the planted windows, best score first, with overlapping windows counted once', () => {
    // units 1, 2 selected, length 3. Planted: steps 2-4 exact (score 1), steps 10-12 with unit 4 also on (score 0.5),
    // steps 20-21 only 2 long (no match), steps 30-34: a 5-long run where unit 5 is also on over 30-32, so of the
    // overlapping windows 30-33 (score 0.5), 31-34 and 32-35 (score 1) one place is kept: the first best.
    const on: number[][] = Array.from({ length: 40 }, () => []);
    for (const t of [2, 3, 4]) on[t] = [1, 2];
    for (const t of [10, 11, 12]) on[t] = [1, 2, 4];
    for (const t of [20, 21]) on[t] = [1, 2];
    for (const t of [30, 31, 32, 33, 34]) on[t] = [1, 2];
    for (const t of [30, 31, 32]) on[t] = [1, 2, 5];
    const m = new CorpusMatcher({ hiddenSize: H, units: [1, 2], threshold: 0.5, length: 3, top: 50 });
    const h = states(on);
    m.push(h.subarray(0, 17 * H), 17);
    m.push(h.subarray(17 * H), 23);
    expect(m.scanned).toBe(40);
    expect(m.results()).toEqual([
      { start: 2, end: 5, score: 1 },
      { start: 31, end: 34, score: 1 },
      { start: 10, end: 13, score: 0.5 },
    ]);
  });

  it('scores a window where only some selected units are on by the share that is', () => {
    const m = new CorpusMatcher({ hiddenSize: H, units: [0, 1, 2, 3], threshold: 0.5, length: 1, top: 5 });
    m.push(states([[0], [], [0, 1, 2]]), 3);
    expect(m.results()).toEqual([{ start: 2, end: 3, score: 0.75 }, { start: 0, end: 1, score: 0.25 }]);
  });

  it('keeps at most `top` places however many it sees, and they are the best ones', () => {
    const rng = new Rng(2);
    const m = new CorpusMatcher({ hiddenSize: H, units: [0, 1, 2], threshold: 0.5, length: 1, top: 50 });
    const all: Array<{ start: number; score: number }> = [];
    let maxKept = 0;
    for (let chunk = 0; chunk < 200; chunk++) {
      const on = Array.from({ length: 100 }, () => [0, 1, 2, 3, 4, 5].filter(() => rng.nextFloat() < 0.5));
      m.push(states(on), 100);
      maxKept = Math.max(maxKept, m.kept);
      on.forEach((u, t) => {
        const sel = u.filter((x) => x < 3).length, other = u.length - sel;
        if (sel > 0) all.push({ start: chunk * 100 + t, score: (sel - other) / 3 });
      });
    }
    expect(maxKept).toBe(50);
    const expected = all.sort((a, b) => b.score - a.score || a.start - b.start).slice(0, 50);
    expect(m.results().map((r) => [r.start, r.score])).toEqual(expected.map((e) => [e.start, e.score]));
  });
});

describe('BoundedTop', () => {
  it('keeps the best by score, the first offered on ties', () => {
    const top = new BoundedTop<string>(2);
    for (const [item, score] of [['a', 1], ['b', 3], ['c', 3], ['d', 2]] as const) top.offer(item, score);
    expect(top.sorted()).toEqual([{ item: 'b', score: 3 }, { item: 'c', score: 3 }]);
  });
});
