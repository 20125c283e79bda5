/**
 * From typed-array columns to what a line chart draws: smoothing, log-scale guards and LTTB
 * downsampling, as pure functions the tests call directly.
 */
import { debiasedEma } from './ema';
import { downsamplePairs } from './lttb';
import type { AxisField, MetricColumns, MetricField } from './metric-columns';

export type Point = [number, number | null];

export interface PlotLine {
  id: string;
  label: string;
  color: string;
  /** `raw`: the faint unsmoothed trace behind a smoothed line; `points`: sparse series drawn with markers. */
  style: 'raw' | 'main' | 'points';
  data: Point[];
}

export interface LineOptions {
  x: AxisField;
  /** EMA weight in [0, 1). */
  smoothing: number;
  logY: boolean;
  /** Upper bound on points per line after downsampling. */
  maxPoints: number;
}

export interface SeriesSpec {
  id: string;
  label: string;
  color: string;
  /** Sparse series (validation) are drawn with markers and never smoothed. */
  sparse?: boolean;
}

/** The lines for one metric of one record kind: a smoothed line over a faint raw one, or just the points. */
export function metricLines(cols: MetricColumns, field: MetricField, spec: SeriesSpec, opts: LineOptions): PlotLine[] {
  const n = cols.length;
  if (n === 0 || !cols.has(field)) return [];
  const x = cols.column(opts.x);
  const raw = opts.logY ? positiveOnly(cols.column(field)) : cols.column(field);
  if (spec.sparse) return [{ id: spec.id, label: spec.label, color: spec.color, style: 'points', data: downsamplePairs(x, raw, n, opts.maxPoints) }];
  if (opts.smoothing <= 0) return [{ id: spec.id, label: spec.label, color: spec.color, style: 'main', data: downsamplePairs(x, raw, n, opts.maxPoints) }];
  const smooth = debiasedEma(raw, n, opts.smoothing);
  return [
    { id: `${spec.id}:raw`, label: `${spec.label} (raw)`, color: spec.color, style: 'raw', data: downsamplePairs(x, raw, n, opts.maxPoints) },
    { id: spec.id, label: spec.label, color: spec.color, style: 'main', data: downsamplePairs(x, smooth, n, opts.maxPoints) },
  ];
}

/** A log axis cannot place 0 or negative values: they become gaps instead of breaking the axis. */
export function positiveOnly(y: Float64Array): Float64Array {
  let clean = true;
  for (let i = 0; i < y.length; i++) if (!(y[i]! > 0) && Number.isFinite(y[i]!)) clean = false;
  if (clean) return y;
  const out = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) out[i] = y[i]! > 0 ? y[i]! : NaN;
  return out;
}

export interface Baseline {
  label: string;
  value: number;
  color: string;
}

/** Dashed reference lines: uniform perplexity (= |V|, a model that learned nothing) and unigram perplexity. */
export function perplexityBaselines(baselines: { uniform: number; unigram: number } | null, colors: { uniform: string; unigram: string }): Baseline[] {
  if (!baselines) return [];
  const out: Baseline[] = [];
  if (Number.isFinite(baselines.uniform) && baselines.uniform > 0) out.push({ label: `uniform ${fmt(baselines.uniform)}`, value: baselines.uniform, color: colors.uniform });
  if (Number.isFinite(baselines.unigram) && baselines.unigram > 0) out.push({ label: `unigram ${fmt(baselines.unigram)}`, value: baselines.unigram, color: colors.unigram });
  return out;
}

/** The clipping threshold θ on the gradient-norm chart; none when clipping is off. */
export function clipBaseline(theta: number, color: string): Baseline[] {
  return theta > 0 ? [{ label: `clip θ = ${theta}`, value: theta, color }] : [];
}

function fmt(v: number): string {
  return v >= 100 ? v.toFixed(0) : v.toFixed(2);
}
