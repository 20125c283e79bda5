/**
 * Rate limit for progress callbacks: at most one call per `intervalMs` (100 ms = 10 a second).
 * Values arriving in between are dropped, except that the newest one is remembered so `flush`
 * can deliver it once the interval has passed.
 */
export class Throttle<T> {
  private last = -Infinity;
  private pending: { value: T } | null = null;

  constructor(
    private readonly send: (value: T) => void,
    private readonly intervalMs = 100,
    private readonly now: () => number = () => performance.now(),
  ) {}

  push(value: T): void {
    const t = this.now();
    if (t - this.last >= this.intervalMs) {
      this.last = t;
      this.pending = null;
      this.send(value);
    } else this.pending = { value };
  }

  /** Sends the held-back value if the interval allows it now; otherwise drops it. */
  flush(): void {
    if (this.pending === null) return;
    const { value } = this.pending;
    this.pending = null;
    this.push(value);
    this.pending = null;
  }
}
