/**
 * The best `capacity` items seen so far, by score (ties: the item offered first wins), in
 * O(capacity) memory whatever the number offered: a binary min-heap whose root is the weakest kept.
 */
export class BoundedTop<T> {
  private readonly heap: Array<{ item: T; score: number; order: number }> = [];
  private offered = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }

  get size(): number {
    return this.heap.length;
  }

  offer(item: T, score: number): void {
    const entry = { item, score, order: this.offered++ };
    const heap = this.heap;
    if (heap.length < this.capacity) {
      heap.push(entry);
      this.up(heap.length - 1);
    } else if (weaker(heap[0]!, entry)) {
      heap[0] = entry;
      this.down(0);
    }
  }

  /** Best first. */
  sorted(): Array<{ item: T; score: number }> {
    return [...this.heap].sort((a, b) => (weaker(a, b) ? 1 : weaker(b, a) ? -1 : 0)).map(({ item, score }) => ({ item, score }));
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!weaker(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < h.length && weaker(h[l]!, h[m]!)) m = l;
      if (r < h.length && weaker(h[r]!, h[m]!)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}

/** a ranks below b: lower score, or the same score offered later. */
function weaker(a: { score: number; order: number }, b: { score: number; order: number }): boolean {
  return a.score < b.score || (a.score === b.score && a.order > b.order);
}
