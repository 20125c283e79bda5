/**
 * The gate-saturation scatter of one layer (Karpathy et al., fig. 3): each dot is a unit of a gate,
 * at (fraction of steps the gate is left-saturated < 0.1, fraction right-saturated > 0.9). Units in
 * the bottom-left corner are never saturated; along the axes, mostly closed or mostly open.
 */
import type { ChartTheme } from '../../charts/line-option';
import { formatNumber } from '../../lib/format';

/** Per gate, per unit: the fractions of steps below 0.1 (left) and above 0.9 (right). */
export type GateSaturation = Record<string, { left: readonly number[]; right: readonly number[] }>;

const axis = (theme: ChartTheme, name: string) => ({
  type: 'value',
  min: 0,
  max: 1,
  name,
  nameLocation: 'middle',
  nameGap: 28,
  axisLine: { lineStyle: { color: theme.grid } },
  axisLabel: { color: theme.muted, fontSize: 11 },
  splitLine: { lineStyle: { color: theme.grid, opacity: 0.6 } },
  nameTextStyle: { color: theme.muted, fontSize: 11 },
});

export function saturationOption(layer: GateSaturation, theme: ChartTheme, colorOf: (i: number) => string): Record<string, unknown> {
  const gates = Object.keys(layer);
  return {
    animation: false,
    backgroundColor: 'transparent',
    textStyle: { color: theme.text },
    grid: { left: 56, right: 16, top: 30, bottom: 44 },
    legend: { top: 0, right: 8, data: gates.map(gateName), textStyle: { color: theme.muted, fontSize: 11 } },
    tooltip: { trigger: 'item', formatter: (p: { seriesName: string; dataIndex: number; value: [number, number] }) => `${p.seriesName} unit ${p.dataIndex}: ${formatNumber(p.value[0])} left, ${formatNumber(p.value[1])} right` },
    xAxis: axis(theme, 'fraction left-saturated (< 0.1)'),
    yAxis: axis(theme, 'fraction right-saturated (> 0.9)'),
    series: gates.map((g, i) => ({
      type: 'scatter',
      name: gateName(g),
      symbolSize: 6,
      itemStyle: { color: colorOf(i), opacity: 0.7 },
      data: layer[g]!.left.map((l, u) => [l, layer[g]!.right[u] ?? 0]),
    })),
  };
}

const NAMES: Record<string, string> = { i: 'input gate i', f: 'forget gate f', o: 'output gate o', g: 'candidate g', r: 'reset gate r', z: 'update gate z', n: 'candidate n' };
export function gateName(g: string): string {
  return NAMES[g] ?? g;
}
