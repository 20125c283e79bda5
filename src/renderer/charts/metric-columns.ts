import type { MetricRecord } from '../../shared/runs';

export const METRIC_FIELDS = ['loss', 'perplexity', 'gradNorm', 'lr', 'tokensPerSec'] as const;
export type MetricField = (typeof METRIC_FIELDS)[number];
export const AXIS_FIELDS = ['step', 'epoch', 'time'] as const;
export type AxisField = (typeof AXIS_FIELDS)[number];
export type Column = AxisField | MetricField;

/**
 * One kind of metric record (train or val) as growable typed-array columns. Appends are
 * amortised O(1) and nothing here is reactive: a 100,000-step run is a few megabytes of floats,
 * not a million proxied objects. Missing or null values are stored as NaN (a gap).
 */
export class MetricColumns {
  length = 0;
  private data: Record<Column, Float64Array>;

  constructor(capacity = 1024) {
    this.data = Object.fromEntries([...AXIS_FIELDS, ...METRIC_FIELDS].map((c) => [c, new Float64Array(capacity)])) as Record<Column, Float64Array>;
  }

  get lastStep(): number {
    return this.length === 0 ? -1 : this.data.step[this.length - 1]!;
  }

  push(r: MetricRecord): void {
    if (this.length === this.data.step.length) this.grow();
    const i = this.length++;
    this.data.step[i] = r.step;
    this.data.epoch[i] = r.epoch;
    this.data.time[i] = r.time;
    for (const f of METRIC_FIELDS) {
      const v = r[f];
      this.data[f][i] = v === null || v === undefined ? NaN : v;
    }
  }

  /** A view of the filled part of a column (no copy). */
  column(c: Column): Float64Array {
    return this.data[c].subarray(0, this.length);
  }

  /** True when the column holds at least one finite value. */
  has(c: Column): boolean {
    const col = this.data[c];
    for (let i = 0; i < this.length; i++) if (Number.isFinite(col[i]!)) return true;
    return false;
  }

  last(c: Column): number | null {
    const col = this.data[c];
    for (let i = this.length - 1; i >= 0; i--) if (Number.isFinite(col[i]!)) return col[i]!;
    return null;
  }

  private grow(): void {
    for (const key of Object.keys(this.data) as Column[]) {
      const next = new Float64Array(this.data[key].length * 2);
      next.set(this.data[key]);
      this.data[key] = next;
    }
  }
}

/** The series of one run: training windows, validation passes and epoch summaries. */
export class RunSeries {
  readonly train = new MetricColumns(4096);
  readonly val = new MetricColumns(256);
  readonly epoch = new MetricColumns(256);

  /**
   * Appends records, dropping those already held (a record whose step is not past the last one
   * of its kind): events racing a `runs:get` would otherwise draw twice.
   */
  append(records: readonly MetricRecord[]): number {
    let added = 0;
    for (const r of records) {
      const cols = this[r.kind];
      if (r.step <= cols.lastStep) continue;
      cols.push(r);
      added++;
    }
    return added;
  }

  /** The epoch of the last record at or before `step` (what a checkpoint saved there had reached); null before any. */
  epochAtStep(step: number): number | null {
    let epoch: number | null = null;
    for (const cols of [this.train, this.val, this.epoch]) {
      const steps = cols.column('step');
      const epochs = cols.column('epoch');
      for (let i = steps.length - 1; i >= 0; i--) {
        if (steps[i]! > step) continue;
        epoch = Math.max(epoch ?? -Infinity, epochs[i]!);
        break;
      }
    }
    return epoch;
  }
}
