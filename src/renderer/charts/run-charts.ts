/**
 * The training view's charts as option builders over a run's series: perplexity with its
 * baselines, loss, pre-clip gradient norm against θ, learning rate and throughput.
 */
import type { RunMeta } from '../stores/runs';
import type { RunSeries, MetricField } from './metric-columns';
import { clipBaseline, metricLines, perplexityBaselines, type Baseline, type LineOptions, type PlotLine } from './series-builder';
import { lineChartOption, type ChartTheme } from './line-option';

export interface ChartDef {
  id: 'perplexity' | 'loss' | 'gradNorm' | 'lr' | 'tokensPerSec';
  title: string;
  /** A sentence under the title: what to read in the chart. */
  hint: string;
  field: MetricField;
  /** Whether the validation series is drawn too. */
  withVal: boolean;
  /** Whether smoothing applies. */
  smoothable: boolean;
  /** Whether the log-scale toggle applies (loss is already a logarithm; rates are flat). */
  loggable: boolean;
}

export const RUN_CHARTS: ChartDef[] = [
  { id: 'perplexity', title: 'Perplexity', hint: 'exp(mean cross-entropy): how many tokens the model is choosing between. Lower is better; dashed lines are the baselines to beat.', field: 'perplexity', withVal: true, smoothable: true, loggable: true },
  { id: 'loss', title: 'Loss', hint: 'Mean cross-entropy per token (nats).', field: 'loss', withVal: true, smoothable: true, loggable: false },
  { id: 'gradNorm', title: 'Gradient norm (before clipping)', hint: 'Global L2 norm of the gradient. Above the dashed θ it is rescaled to θ; spikes are exploding gradients.', field: 'gradNorm', withVal: false, smoothable: true, loggable: true },
  { id: 'lr', title: 'Learning rate', hint: 'After warm-up and schedule.', field: 'lr', withVal: false, smoothable: false, loggable: false },
  { id: 'tokensPerSec', title: 'Throughput', hint: 'Training tokens per second.', field: 'tokensPerSec', withVal: false, smoothable: true, loggable: false },
];

export interface RunChartColors {
  train: string;
  val: string;
  uniform: string;
  unigram: string;
  clip: string;
}

export function runChartOption(def: ChartDef, series: RunSeries | undefined, meta: RunMeta | undefined, opts: LineOptions, theme: ChartTheme, colors: RunChartColors): Record<string, unknown> {
  const o: LineOptions = { ...opts, smoothing: def.smoothable ? opts.smoothing : 0, logY: def.loggable && opts.logY };
  const lines: PlotLine[] = [];
  if (series) {
    lines.push(...metricLines(series.train, def.field, { id: 'train', label: 'train', color: colors.train }, o));
    if (def.withVal) lines.push(...metricLines(series.val, def.field, { id: 'val', label: 'validation', color: colors.val, sparse: true }, o));
  }
  let baselines: Baseline[] = [];
  if (def.id === 'perplexity') baselines = perplexityBaselines(meta?.baselines ?? null, { uniform: colors.uniform, unigram: colors.unigram });
  if (def.id === 'loss' && meta?.baselines) baselines = perplexityBaselines({ uniform: Math.log(meta.baselines.uniform), unigram: Math.log(meta.baselines.unigram) }, { uniform: colors.uniform, unigram: colors.unigram });
  if (def.id === 'gradNorm' && meta) baselines = clipBaseline(meta.config.clip, colors.clip);
  return lineChartOption({ lines, baselines, x: opts.x, logY: o.logY, yName: def.id === 'tokensPerSec' ? 'tokens/s' : '', theme });
}
