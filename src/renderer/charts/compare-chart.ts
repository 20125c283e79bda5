import type { RunSeries, MetricField } from './metric-columns';
import { metricLines, type LineOptions, type PlotLine } from './series-builder';
import { lineChartOption, type ChartTheme } from './line-option';

export interface CompareEntry {
  id: string;
  name: string;
  color: string;
  series: RunSeries;
}

/** One line per run for the chosen metric, training (smoothed) or validation. */
export function compareOption(entries: readonly CompareEntry[], field: MetricField, kind: 'train' | 'val', opts: LineOptions, theme: ChartTheme): Record<string, unknown> {
  const lines: PlotLine[] = [];
  for (const e of entries) {
    const cols = kind === 'train' ? e.series.train : e.series.val;
    const got = metricLines(cols, field, { id: e.id, label: e.name, color: e.color, sparse: kind === 'val' }, kind === 'val' ? { ...opts, smoothing: 0 } : opts);
    lines.push(...got.map((l) => (l.style === 'points' ? { ...l, style: 'main' as const } : l)));
  }
  return lineChartOption({ lines, baselines: [], x: opts.x, logY: opts.logY, yName: '', theme });
}
