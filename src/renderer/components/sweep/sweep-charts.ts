/**
 * ECharts options of the sweep view, as plain data (tested without a canvas): parallel
 * coordinates (log axes for log parameters, the objective last, brushing on every axis),
 * parameter importance bars, objective against each parameter, and the learning curves of all
 * trials (pruned dimmed, the best highlighted). Lower objective is better.
 */
import type { ChartTheme } from '../../charts/line-option';
import { formatNumber } from '../../lib/format';
import type { Importance } from '../../lib/sweep-importance';
import { runConfigFields, type RunConfigKey } from '../../../shared/run-config';
import type { ParamValue, SpaceParam, TrialDto } from '../../../shared/sweep';

export interface SweepColors {
  best: string;
  good: string;
  bad: string;
  pruned: string;
}

export const OBJECTIVE_LABEL = 'val. perplexity';

export const paramLabel = (field: string): string => (field in runConfigFields ? runConfigFields[field as RunConfigKey].label : field);

const axisStyle = (theme: ChartTheme) => ({
  axisLine: { lineStyle: { color: theme.grid } },
  axisLabel: { color: theme.muted, fontSize: 11, hideOverlap: true },
  splitLine: { lineStyle: { color: theme.grid, opacity: 0.6 } },
  nameTextStyle: { color: theme.muted, fontSize: 11 },
});

const tooltip = (theme: ChartTheme) => ({ backgroundColor: theme.panel, borderColor: theme.grid, textStyle: { color: theme.text, fontSize: 12 } });

const completed = (trials: readonly TrialDto[]) => trials.filter((t) => t.state === 'COMPLETE' && typeof t.value === 'number' && Number.isFinite(t.value));

/** The last reported intermediate value (what a pruned trial reached before it was stopped). */
export function lastIntermediate(t: TrialDto): number | null {
  const last = t.intermediate[t.intermediate.length - 1];
  return last && Number.isFinite(last.value) ? last.value : null;
}

/** `#rrggbb` between a (at 0) and b (at 1). */
export function mix(a: string, b: string, f: number): string {
  const pa = hex(a);
  const pb = hex(b);
  if (!pa || !pb) return f < 0.5 ? a : b;
  const c = pa.map((x, i) => Math.round(x + (pb[i]! - x) * Math.min(1, Math.max(0, f))));
  return `#${c.map((x) => x.toString(16).padStart(2, '0')).join('')}`;
}

function hex(c: string): number[] | null {
  const m = /^#([0-9a-f]{6})$/i.exec(c.trim());
  return m ? [0, 2, 4].map((i) => parseInt(m[1]!.slice(i, i + 2), 16)) : null;
}

/** Position of v between lo and hi on a log scale (objectives like perplexity span decades). */
function rank(v: number, lo: number, hi: number): number {
  if (!(hi > lo)) return 0;
  return lo > 0 ? Math.log(v / lo) / Math.log(hi / lo) : (v - lo) / (hi - lo);
}

function paramAxis(p: SpaceParam, dim: number, theme: ChartTheme): Record<string, unknown> {
  const common = { dim, name: paramLabel(p.field), nameLocation: 'end', ...axisStyle(theme) };
  if (p.kind === 'categorical') return { ...common, type: 'category', data: p.values.map(String) };
  if (p.log) return { ...common, type: 'log', logBase: 10, min: p.low, max: p.high, axisLabel: { ...axisStyle(theme).axisLabel, formatter: (v: number) => formatNumber(v) } };
  return { ...common, type: 'value', min: p.low, max: p.high, minInterval: p.kind === 'int' ? 1 : undefined };
}

const axisValue = (p: SpaceParam, v: ParamValue | undefined): string | number | null => (v === undefined ? null : p.kind === 'categorical' ? String(v) : Number(v));

/**
 * The value a trial is compared by: a completed trial's objective, or for a pruned one the value it
 * was stopped at (the runner reports its last intermediate value; older records may leave it null).
 */
export function trialValue(t: TrialDto): number | null {
  if (t.state === 'COMPLETE') return typeof t.value === 'number' && Number.isFinite(t.value) ? t.value : null;
  if (t.state === 'PRUNED') return typeof t.value === 'number' && Number.isFinite(t.value) ? t.value : lastIntermediate(t);
  return null;
}

/**
 * Parallel coordinates: one line per completed trial coloured by its value, the best highlighted
 * and on top; pruned trials dimmed and dashed at the value they were stopped at (with ASHA most
 * trials are pruned, and their lines show where the search went).
 */
export function parallelOption(params: readonly SpaceParam[], trials: readonly TrialDto[], bestNumber: number | null, theme: ChartTheme, colors: SweepColors): Record<string, unknown> {
  const shown = trials.flatMap((t) => {
    const v = trialValue(t);
    return v === null ? [] : [{ t, v }];
  });
  const doneValues = shown.filter((s) => s.t.state === 'COMPLETE').map((s) => s.v);
  const all = shown.map((s) => s.v);
  const lo = Math.min(...doneValues);
  const hi = Math.max(...doneValues);
  const logObjective = Math.max(...all) / Math.min(...all) > 20 && Math.min(...all) > 0;
  // a linear axis keeps ECharts' own labels: they carry the digits a narrow range needs (16.915, 16.92, …)
  const objectiveAxis = { dim: params.length, name: OBJECTIVE_LABEL, nameLocation: 'end', type: logObjective ? 'log' : 'value', scale: true, ...axisStyle(theme), axisLabel: logObjective ? { ...axisStyle(theme).axisLabel, formatter: (v: number) => formatNumber(v) } : axisStyle(theme).axisLabel };
  const style = (t: TrialDto, v: number) =>
    t.number === bestNumber ? { color: colors.best, width: 3, opacity: 1 }
    : t.state === 'PRUNED' ? { color: colors.pruned, width: 1, opacity: 0.3, type: 'dashed' }
    : { color: mix(colors.good, colors.bad, rank(v, lo, hi)), width: 1.4, opacity: 0.8 };
  const layer = (t: TrialDto) => (t.number === bestNumber ? 2 : t.state === 'COMPLETE' ? 1 : 0);
  const data = shown
    .map(({ t, v }) => ({ name: `trial ${t.number}${t.state === 'PRUNED' ? ' (pruned)' : ''}`, trial: t.number, value: [...params.map((p) => axisValue(p, t.params[p.field])), v], lineStyle: style(t, v) }))
    // pruned lines underneath, the best drawn last, on top
    .sort((a, b) => layer(trials.find((t) => t.number === a.trial)!) - layer(trials.find((t) => t.number === b.trial)!) || a.trial - b.trial);
  return {
    animation: false,
    backgroundColor: 'transparent',
    textStyle: { color: theme.text },
    parallel: { left: 50, right: 90, top: 36, bottom: 28, parallelAxisDefault: { areaSelectStyle: { width: 16, opacity: 0.35 } } },
    parallelAxis: [...params.map((p, i) => paramAxis(p, i, theme)), objectiveAxis],
    tooltip: { ...tooltip(theme), trigger: 'item' },
    series: [{ id: 'trials', type: 'parallel', data, smooth: false, inactiveOpacity: 0.06, activeOpacity: 1, emphasis: { lineStyle: { width: 3 } } }],
  };
}

/** Horizontal bars, the most important parameter on top. */
export function importanceOption(importances: readonly Importance[], theme: ChartTheme, color: string): Record<string, unknown> {
  const rows = [...importances].reverse();
  return {
    animation: false,
    backgroundColor: 'transparent',
    textStyle: { color: theme.text },
    grid: { left: 130, right: 40, top: 10, bottom: 28 },
    tooltip: { ...tooltip(theme), trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => (typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : '—') },
    xAxis: { type: 'value', min: 0, max: 1, ...axisStyle(theme), axisLabel: { ...axisStyle(theme).axisLabel, formatter: (v: number) => `${Math.round(v * 100)}%` } },
    yAxis: { type: 'category', data: rows.map((r) => paramLabel(r.name)), ...axisStyle(theme), splitLine: { show: false } },
    series: [{ id: 'importance', type: 'bar', data: rows.map((r) => r.importance), itemStyle: { color }, barMaxWidth: 22, label: { show: true, position: 'right', color: theme.muted, fontSize: 11, formatter: (p: { value: number }) => `${(p.value * 100).toFixed(0)}%` } }],
  };
}

/** Objective against one parameter: completed trials, and pruned ones (hollow) at the value they last reported. */
export function scatterOption(p: SpaceParam, trials: readonly TrialDto[], bestNumber: number | null, theme: ChartTheme, colors: SweepColors): Record<string, unknown> {
  const point = (t: TrialDto, y: number) => ({ value: [axisValue(p, t.params[p.field]), y], name: `trial ${t.number}`, trial: t.number });
  const done = completed(trials);
  const pruned = trials.flatMap((t) => {
    const y = t.state === 'PRUNED' ? trialValue(t) : null;
    return y === null ? [] : [point(t, y)];
  });
  const xAxis =
    p.kind === 'categorical' ? { type: 'category', data: p.values.map(String) }
    : p.log ? { type: 'log', logBase: 10, min: p.low, max: p.high, axisLabel: { ...axisStyle(theme).axisLabel, formatter: (v: number) => formatNumber(v) } }
    : { type: 'value', min: p.low, max: p.high };
  return {
    animation: false,
    backgroundColor: 'transparent',
    textStyle: { color: theme.text },
    grid: { left: 50, right: 16, top: 26, bottom: 36 },
    legend: { top: 0, right: 4, data: ['complete', 'pruned'], textStyle: { color: theme.muted, fontSize: 11 }, itemWidth: 10, itemHeight: 8 },
    tooltip: { ...tooltip(theme), trigger: 'item', formatter: (d: { name: string; value: [unknown, number] }) => `${d.name}<br>${paramLabel(p.field)} ${String(d.value[0])}<br>${OBJECTIVE_LABEL} ${formatNumber(d.value[1])}` },
    xAxis: { ...axisStyle(theme), ...xAxis, name: paramLabel(p.field), nameLocation: 'middle', nameGap: 24 },
    yAxis: { type: 'value', scale: true, ...axisStyle(theme) },
    series: [
      { id: 'complete', name: 'complete', type: 'scatter', data: done.map((t) => ({ ...point(t, t.value as number), itemStyle: t.number === bestNumber ? { color: colors.best, borderColor: colors.best } : undefined, symbolSize: t.number === bestNumber ? 12 : 8 })), itemStyle: { color: colors.good } },
      { id: 'pruned', name: 'pruned', type: 'scatter', data: pruned, symbolSize: 7, itemStyle: { color: 'transparent', borderColor: colors.pruned, borderWidth: 1.2 } },
    ],
  };
}

/** Validation perplexity per epoch of every trial on one chart: pruned dimmed, the best highlighted and on top. */
export function curvesOption(trials: readonly TrialDto[], bestNumber: number | null, theme: ChartTheme, colors: SweepColors, logY = true): Record<string, unknown> {
  const withCurves = trials.filter((t) => t.intermediate.length > 0);
  const series = withCurves.map((t) => {
    const best = t.number === bestNumber;
    const pruned = t.state === 'PRUNED' || t.state === 'FAIL';
    const color = best ? colors.best : pruned ? colors.pruned : colors.good;
    return {
      id: `trial-${t.number}`,
      name: `trial ${t.number}`,
      type: 'line',
      data: t.intermediate.map((v) => [v.step, v.value]),
      showSymbol: t.intermediate.length === 1,
      symbolSize: 4,
      lineStyle: { color, width: best ? 3 : 1.3, opacity: best ? 1 : pruned ? 0.28 : 0.7, type: t.state === 'RUNNING' ? 'dashed' : 'solid' },
      itemStyle: { color, opacity: best ? 1 : pruned ? 0.28 : 0.7 },
      z: best ? 10 : pruned ? 1 : 2,
      emphasis: { focus: 'series', lineStyle: { width: 3 } },
      state: t.state,
    };
  });
  return {
    animation: false,
    backgroundColor: 'transparent',
    textStyle: { color: theme.text },
    grid: { left: 56, right: 18, top: 20, bottom: 36 },
    tooltip: { ...tooltip(theme), trigger: 'item', formatter: (d: { seriesName: string; value: [number, number] }) => `${d.seriesName}<br>epoch ${d.value[0]}: ${formatNumber(d.value[1])}` },
    xAxis: { type: 'value', name: 'epoch', nameLocation: 'middle', nameGap: 22, min: 'dataMin', max: 'dataMax', minInterval: 1, ...axisStyle(theme), splitLine: { show: false } },
    yAxis: { type: logY ? 'log' : 'value', logBase: 2, scale: !logY, name: OBJECTIVE_LABEL, ...axisStyle(theme), axisLabel: { ...axisStyle(theme).axisLabel, formatter: (v: number) => formatNumber(v) } },
    series,
  };
}
