/** The ECharts option for a metric chart, as plain data (tested without a canvas). */
import type { Baseline, PlotLine } from './series-builder';
import type { AxisField } from './metric-columns';
import { formatDuration, formatNumber } from '../lib/format';

export interface ChartTheme {
  text: string;
  muted: string;
  grid: string;
  panel: string;
}

export interface LineChartSpec {
  lines: PlotLine[];
  baselines: Baseline[];
  x: AxisField;
  logY: boolean;
  yName: string;
  theme: ChartTheme;
}

const X_NAMES: Record<AxisField, string> = { step: 'step', epoch: 'epoch', time: 'wall time' };

export function formatX(axis: AxisField, v: number): string {
  if (axis === 'time') return formatDuration(v);
  if (axis === 'epoch') return Number.isInteger(v) ? String(v) : v.toFixed(2);
  return formatNumber(v);
}

export function lineChartOption(spec: LineChartSpec): Record<string, unknown> {
  const { theme } = spec;
  const series: Array<Record<string, unknown>> = spec.lines.map((l) => ({
    id: l.id,
    name: l.label,
    type: 'line',
    data: l.data,
    showSymbol: l.style === 'points',
    symbolSize: 5,
    connectNulls: false,
    silent: l.style === 'raw',
    lineStyle: { color: l.color, width: l.style === 'raw' ? 1 : 1.8, opacity: l.style === 'raw' ? 0.25 : 1 },
    itemStyle: { color: l.color },
    emphasis: { disabled: true },
    z: l.style === 'raw' ? 1 : 2,
    tooltip: l.style === 'raw' ? { show: false } : undefined,
  }));
  const maxBaseline = spec.baselines.reduce((m, b) => Math.max(m, b.value), 0);
  const range = dataRange(spec.lines);
  // Powers of 2 label a perplexity range (4, 8, 16, 32) better than powers of 10 do.
  const logBase = range && range.max / range.min < 1e4 ? 2 : 10;
  if (spec.baselines.length > 0) {
    series.push({
      id: '__baselines',
      name: 'baselines',
      type: 'line',
      data: [],
      silent: true,
      markLine: {
        symbol: 'none',
        silent: true,
        animation: false,
        label: { position: 'insideEndTop', color: theme.muted, fontSize: 11 },
        data: spec.baselines.map((b) => ({ yAxis: b.value, name: b.label, label: { formatter: b.label }, lineStyle: { type: 'dashed', color: b.color, width: 1.2 } })),
      },
    });
  }
  return {
    animation: false,
    backgroundColor: 'transparent',
    textStyle: { color: theme.text },
    grid: { left: 56, right: 18, top: 30, bottom: 34 },
    legend: {
      top: 0,
      right: 8,
      textStyle: { color: theme.muted, fontSize: 11 },
      data: spec.lines.filter((l) => l.style !== 'raw').map((l) => l.label),
      itemWidth: 14,
      itemHeight: 8,
    },
    tooltip: {
      trigger: 'axis',
      backgroundColor: theme.panel,
      borderColor: theme.grid,
      textStyle: { color: theme.text, fontSize: 12 },
      axisPointer: { type: 'line', lineStyle: { color: theme.muted } },
      valueFormatter: (v: unknown) => (typeof v === 'number' ? formatNumber(v) : '—'),
    },
    xAxis: {
      type: 'value',
      name: X_NAMES[spec.x],
      nameLocation: 'middle',
      nameGap: 22,
      nameTextStyle: { color: theme.muted, fontSize: 11 },
      min: 'dataMin',
      max: 'dataMax',
      axisLabel: { color: theme.muted, fontSize: 11, formatter: (v: number) => formatX(spec.x, v), hideOverlap: true },
      axisLine: { lineStyle: { color: theme.grid } },
      splitLine: { show: false },
    },
    yAxis: {
      type: spec.logY ? 'log' : 'value',
      logBase: spec.logY ? logBase : undefined,
      min: spec.logY ? (extent: { min: number }) => extent.min / 1.15 : undefined,
      name: spec.yName,
      nameTextStyle: { color: theme.muted, fontSize: 11, align: 'left' },
      scale: !spec.logY,
      max: maxBaseline > 0 ? (extent: { max: number }) => Math.max(extent.max, maxBaseline * (spec.logY ? 1.15 : 1.05)) : undefined,
      axisLabel: { color: theme.muted, fontSize: 11, formatter: (v: number) => formatNumber(v), showMinLabel: !spec.logY, showMaxLabel: !spec.logY },
      axisLine: { show: false },
      splitLine: { lineStyle: { color: theme.grid, opacity: 0.6 } },
    },
    dataZoom: [{ type: 'inside', xAxisIndex: 0, filterMode: 'none', zoomOnMouseWheel: 'shift', moveOnMouseWheel: false }],
    series,
  };
}

function dataRange(lines: readonly PlotLine[]): { min: number; max: number } | null {
  let min = Infinity;
  let max = -Infinity;
  for (const l of lines) {
    for (const [, y] of l.data) {
      if (y === null || !(y > 0)) continue;
      if (y < min) min = y;
      if (y > max) max = y;
    }
  }
  return min <= max ? { min, max } : null;
}
