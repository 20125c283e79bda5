/** The token-frequency chart: count against rank on log–log axes, where Zipf's law is a straight line. */
import type { ChartTheme } from './line-option';
import { formatNumber } from '../lib/format';

/** [rank, count] pairs, thinned to about `maxPoints` log-spaced ranks (the tail holds most ranks but little shape). */
export function zipfPoints(rankCounts: readonly number[], maxPoints = 300): Array<[number, number]> {
  const n = rankCounts.length;
  const out: Array<[number, number]> = [];
  if (n === 0) return out;
  const ratio = Math.pow(n, 1 / Math.max(1, maxPoints - 1));
  let last = 0;
  for (let k = 0; k < maxPoints; k++) {
    const rank = Math.min(n, Math.max(last + 1, Math.round(Math.pow(ratio, k))));
    if (rank <= last) continue;
    last = rank;
    const c = rankCounts[rank - 1]!;
    if (c > 0) out.push([rank, c]);
    if (rank === n) break;
  }
  return out;
}

export function zipfOption(rankCounts: readonly number[], minFreq: number, theme: ChartTheme, color: string): Record<string, unknown> {
  const data = zipfPoints(rankCounts);
  return {
    animation: false,
    grid: { left: 56, right: 16, top: 24, bottom: 38 },
    tooltip: {
      trigger: 'axis',
      backgroundColor: theme.panel,
      borderColor: theme.grid,
      textStyle: { color: theme.text, fontSize: 12 },
      formatter: (p: Array<{ value: [number, number] }>) => (p[0] ? `rank ${formatNumber(p[0].value[0])}: seen ${formatNumber(p[0].value[1])}×` : ''),
    },
    xAxis: { type: 'log', name: 'rank', nameLocation: 'middle', nameGap: 24, nameTextStyle: { color: theme.muted, fontSize: 11 }, axisLabel: { color: theme.muted, fontSize: 11 }, axisLine: { lineStyle: { color: theme.grid } }, splitLine: { show: false } },
    yAxis: { type: 'log', name: 'count', nameTextStyle: { color: theme.muted, fontSize: 11 }, axisLabel: { color: theme.muted, fontSize: 11 }, splitLine: { lineStyle: { color: theme.grid, opacity: 0.6 } } },
    series: [
      {
        id: 'zipf',
        type: 'line',
        data,
        showSymbol: data.length < 60,
        symbolSize: 4,
        lineStyle: { color, width: 1.8 },
        itemStyle: { color },
        markLine:
          minFreq > 1
            ? { symbol: 'none', silent: true, label: { formatter: `min_freq ${minFreq}`, color: theme.muted, position: 'insideEndTop' }, lineStyle: { type: 'dashed', color: theme.muted }, data: [{ yAxis: minFreq }] }
            : undefined,
      },
    ],
  };
}
