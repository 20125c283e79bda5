/**
 * LSTMVis select and match (Strobelt et al. 2018). Select: the units whose hidden state is above
 * a threshold τ at every step of a chosen range ("on"). Match: the places in a corpus where a
 * window of the same length turns the selected units on and as few others as possible.
 *
 * A window [s, s + len) scores (selected units on − other units on) / selected units, where a unit
 * is on when h > τ at every step of the window. Hidden states arrive step by step (`push`): per
 * unit the matcher keeps only how many steps in a row it has been on, so memory is O(H + top)
 * however long the corpus. Overlapping candidate windows are one place: the best of a run of
 * overlapping windows is offered to the bounded top list when the run ends.
 */
import { BoundedTop } from './bounded-top';

// h: (steps, H)
export function selectUnits(h: ArrayLike<number>, H: number, from: number, to: number, threshold: number): number[] {
  const units: number[] = [];
  for (let u = 0; u < H; u++) {
    let on = true;
    for (let t = from; t < to && on; t++) on = h[t * H + u]! > threshold;
    if (on) units.push(u);
  }
  return units;
}

export interface WindowMatch {
  /** Window [start, end) in steps since the first `push`. */
  start: number;
  end: number;
}

export interface MatchOptions {
  hiddenSize: number;
  units: readonly number[];
  threshold: number;
  length: number;
  top: number;
}

export class CorpusMatcher {
  private readonly run: Int32Array;
  private readonly selected: Uint8Array;
  private readonly best: BoundedTop<WindowMatch>;
  private pending: { match: WindowMatch; score: number } | null = null;
  private position = 0;

  constructor(private readonly o: MatchOptions) {
    if (o.units.length === 0) throw new RangeError('match needs at least one selected unit');
    this.run = new Int32Array(o.hiddenSize);
    this.selected = new Uint8Array(o.hiddenSize);
    for (const u of o.units) {
      if (!(Number.isInteger(u) && u >= 0 && u < o.hiddenSize)) throw new RangeError(`unit ${u} is outside 0…${o.hiddenSize - 1}`);
      this.selected[u] = 1;
    }
    this.best = new BoundedTop(o.top);
  }

  /** Steps consumed so far. */
  get scanned(): number {
    return this.position;
  }

  /** Places kept in the top list (never more than `top`). */
  get kept(): number {
    return this.best.size;
  }

  // h: (steps, H) hidden states of the next `steps` corpus positions
  push(h: ArrayLike<number>, steps: number): void {
    const { hiddenSize: H, threshold: tau, length: len } = this.o;
    const run = this.run, selected = this.selected, count = this.o.units.length;
    for (let t = 0; t < steps; t++, this.position++) {
      let onSelected = 0, onOther = 0;
      for (let u = 0, o = t * H; u < H; u++) {
        const r = h[o + u]! > tau ? Math.min(run[u]! + 1, len) : 0;
        run[u] = r;
        if (r === len) {
          if (selected[u] === 1) onSelected++;
          else onOther++;
        }
      }
      if (onSelected === 0) continue;
      const end = this.position + 1;
      this.consider({ start: end - len, end }, (onSelected - onOther) / count);
    }
  }

  /** Best first, including the run of overlapping windows still open. */
  results(): Array<WindowMatch & { score: number }> {
    const snapshot = new BoundedTop<WindowMatch>(this.o.top);
    for (const { item, score } of this.best.sorted()) snapshot.offer(item, score);
    if (this.pending) snapshot.offer(this.pending.match, this.pending.score);
    return snapshot.sorted().map(({ item, score }) => ({ ...item, score }));
  }

  private consider(match: WindowMatch, score: number): void {
    const p = this.pending;
    if (p !== null && match.start < p.match.end) {
      if (score > p.score) this.pending = { match, score };
      return;
    }
    if (p !== null) this.best.offer(p.match, p.score);
    this.pending = { match, score };
  }
}
