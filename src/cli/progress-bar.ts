/** One self-rewriting status line on a terminal (stderr), at most ten redraws a second. */
export interface StatusStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export class ProgressBar {
  private last = -Infinity;
  private shown = false;

  constructor(
    private readonly stream: StatusStream,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get enabled(): boolean {
    return this.stream.isTTY === true;
  }

  /** Redraws the line (skipped when the previous draw was under 100 ms ago, unless `force`). */
  draw(fraction: number, text: string, force = false): void {
    if (!this.enabled) return;
    const t = this.now();
    if (!force && t - this.last < 100) return;
    this.last = t;
    const width = 24;
    const f = Math.min(1, Math.max(0, fraction));
    const filled = Math.round(f * width);
    const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(f * 100).toFixed(0).padStart(3)}% ${text}`;
    const cols = (this.stream.columns ?? 0) >= 20 ? this.stream.columns! : 100;
    this.stream.write(`\r\x1b[K${line.slice(0, Math.max(10, cols - 1))}`);
    this.shown = true;
  }

  /** Erases the line (before other output, and at the end). */
  clear(): void {
    if (!this.shown) return;
    this.stream.write('\r\x1b[K');
    this.shown = false;
  }
}

/** 75 → "1m15s", 3725 → "1h02m". */
export function duration(sec: number | null): string {
  if (sec === null || !Number.isFinite(sec)) return '?';
  const s = Math.round(sec);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
