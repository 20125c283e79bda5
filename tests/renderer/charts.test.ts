// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { downsamplePairs, lttbIndices } from '../../src/renderer/charts/lttb';
import { debiasedEma } from '../../src/renderer/charts/ema';
import { MetricColumns, RunSeries } from '../../src/renderer/charts/metric-columns';
import { clipBaseline, metricLines, perplexityBaselines, positiveOnly } from '../../src/renderer/charts/series-builder';
import { detectMemorising } from '../../src/renderer/charts/memorising';
import { metricsCsv } from '../../src/renderer/charts/metrics-csv';
import { lineChartOption } from '../../src/renderer/charts/line-option';
import { metricStream } from './fixtures';

const range = (n: number) => Float64Array.from({ length: n }, (_, i) => i);

describe('LTTB downsampling', () => {
  it('returns every index when the series is shorter than the threshold', () => {
    expect([...lttbIndices(range(5), range(5), 5, 10)]).toEqual([0, 1, 2, 3, 4]);
  });

  it('keeps exactly threshold points, first and last included, in increasing order', () => {
    const n = 10_000;
    const y = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 50));
    const idx = lttbIndices(range(n), y, n, 500);
    expect(idx.length).toBe(500);
    expect(idx[0]).toBe(0);
    expect(idx[499]).toBe(n - 1);
    for (let k = 1; k < idx.length; k++) expect(idx[k]!).toBeGreaterThan(idx[k - 1]!);
  });

  it('keeps a single-point spike that striding would drop', () => {
    const n = 1000;
    const y = new Float64Array(n).fill(1);
    y[537] = 50;
    const idx = [...lttbIndices(range(n), y, n, 20)];
    expect(idx).toContain(537);
  });

  it('keeps a non-finite value as a gap instead of averaging it away', () => {
    const n = 1000;
    const y = Float64Array.from({ length: n }, (_, i) => (i === 700 ? NaN : i));
    const pairs = downsamplePairs(range(n), y, n, 30);
    expect(pairs.some(([x, v]) => x === 700 && v === null)).toBe(true);
  });
});

describe('debiased EMA (TensorBoard smoothing)', () => {
  it('leaves the series unchanged at weight 0', () => {
    expect([...debiasedEma([3, 1, 2], 3, 0)]).toEqual([3, 1, 2]);
  });

  it('starts at the first value instead of being dragged towards zero', () => {
    const out = debiasedEma([10, 10, 10], 3, 0.9);
    for (const v of out) expect(v).toBeCloseTo(10, 10);
  });

  it('matches the debiased recurrence', () => {
    const w = 0.6;
    const y = [1, 5, 2];
    const out = debiasedEma(y, 3, w);
    let last = 0;
    y.forEach((v, i) => {
      last = last * w + (1 - w) * v;
      expect(out[i]).toBeCloseTo(last / (1 - w ** (i + 1)), 12);
    });
  });

  it('passes non-finite values through without poisoning later points', () => {
    const out = debiasedEma([2, NaN, 2], 3, 0.5);
    expect(Number.isNaN(out[1]!)).toBe(true);
    expect(out[2]).toBeCloseTo(2, 12);
  });
});

describe('metric columns', () => {
  it('grows past its capacity and stores missing values as NaN', () => {
    const c = new MetricColumns(2);
    for (let s = 0; s < 5; s++) c.push({ kind: 'train', step: s, epoch: 0, time: s, loss: s === 3 ? null : s });
    expect(c.length).toBe(5);
    expect([...c.column('step')]).toEqual([0, 1, 2, 3, 4]);
    expect(Number.isNaN(c.column('loss')[3]!)).toBe(true);
    expect(c.has('gradNorm')).toBe(false);
    expect(c.last('loss')).toBe(4);
  });

  it('drops records it already holds, so an event racing a fetch is not drawn twice', () => {
    const s = new RunSeries();
    expect(s.append(metricStream(0, 10))).toBeGreaterThan(0);
    expect(s.append(metricStream(5, 12))).toBe(2);
    expect(s.train.length).toBe(12);
  });
});

describe('series building', () => {
  const series = new RunSeries();
  series.append(metricStream(0, 5000, { valEvery: 250 }));
  const opts = { x: 'step' as const, smoothing: 0.6, logY: false, maxPoints: 400 };

  it('draws a smoothed line over a faint raw trace, each downsampled', () => {
    const lines = metricLines(series.train, 'perplexity', { id: 'train', label: 'train', color: '#00f' }, opts);
    expect(lines.map((l) => l.style)).toEqual(['raw', 'main']);
    for (const l of lines) expect(l.data.length).toBe(400);
  });

  it('draws sparse validation points without smoothing', () => {
    const [val] = metricLines(series.val, 'perplexity', { id: 'val', label: 'validation', color: '#f00', sparse: true }, opts);
    expect(val!.style).toBe('points');
    expect(val!.data.length).toBe(series.val.length);
    expect(val!.data[0]![1]).toBeCloseTo(series.val.column('perplexity')[0]!, 12);
  });

  it('uses the chosen x column', () => {
    const [line] = metricLines(series.train, 'loss', { id: 't', label: 't', color: '#000' }, { ...opts, smoothing: 0, x: 'time', maxPoints: 1e6 });
    expect(line!.data[1]![0]).toBeCloseTo(series.train.column('time')[1]!, 12);
  });

  it('turns zero and negative values into gaps on a log scale', () => {
    expect([...positiveOnly(Float64Array.from([1, 0, -1, 2]))].map((v) => (Number.isNaN(v) ? null : v))).toEqual([1, null, null, 2]);
  });

  it('returns nothing for a metric the run never reported', () => {
    const s = new RunSeries();
    s.append([{ kind: 'train', step: 0, epoch: 0, time: 0, loss: 1 }]);
    expect(metricLines(s.train, 'gradNorm', { id: 'g', label: 'g', color: '#000' }, opts)).toEqual([]);
  });

  it('gives the uniform and unigram baselines and the clip threshold', () => {
    const b = perplexityBaselines({ uniform: 28, unigram: 17.4 }, { uniform: '#1', unigram: '#2' });
    expect(b.map((x) => x.value)).toEqual([28, 17.4]);
    expect(b[0]!.label).toMatch(/uniform/);
    expect(perplexityBaselines(null, { uniform: '#1', unigram: '#2' })).toEqual([]);
    expect(clipBaseline(1, '#3')[0]!.value).toBe(1);
    expect(clipBaseline(0, '#3')).toEqual([]);
  });

  it('builds an ECharts option with dashed baselines and a log y axis', () => {
    const lines = metricLines(series.train, 'perplexity', { id: 'train', label: 'train', color: '#00f' }, opts);
    const option = lineChartOption({ lines, baselines: perplexityBaselines({ uniform: 28, unigram: 17.4 }, { uniform: '#1', unigram: '#2' }), x: 'step', logY: true, yName: 'perplexity', theme: { text: '#000', muted: '#666', grid: '#ddd', panel: '#fff' } }) as {
      yAxis: { type: string; max: (e: { max: number }) => number };
      series: Array<{ id: string; markLine?: { data: Array<{ yAxis: number; lineStyle: { type: string } }> } }>;
      legend: { data: string[] };
    };
    expect(option.yAxis.type).toBe('log');
    expect(option.yAxis.max({ max: 10 })).toBeGreaterThan(28);
    const marks = option.series.find((s) => s.id === '__baselines')!.markLine!.data;
    expect(marks.map((m) => m.yAxis)).toEqual([28, 17.4]);
    expect(marks.every((m) => m.lineStyle.type === 'dashed')).toBe(true);
    expect(option.legend.data).toEqual(['train']);
  });
});

describe('memorising detector', () => {
  it('stays quiet while validation follows training down', () => {
    const s = new RunSeries();
    s.append(metricStream(0, 6000, { valEvery: 500 }));
    expect(detectMemorising(s.train, s.val)).toBeNull();
  });

  it('warns when validation perplexity rises for several passes while training keeps falling', () => {
    const s = new RunSeries();
    s.append(metricStream(0, 8000, { valEvery: 500, overfitFrom: 4000, tau: 1500 }));
    const w = detectMemorising(s.train, s.val);
    expect(w).not.toBeNull();
    expect(w!.bestStep).toBe(4000);
    expect(w!.lastVal).toBeGreaterThan(w!.bestVal);
    expect(w!.trainNow).toBeLessThan(w!.trainAtBest);
  });

  it('ignores a single noisy validation pass', () => {
    const s = new RunSeries();
    s.append(metricStream(0, 4001, { valEvery: 500 }));
    s.val.push({ kind: 'val', step: 4100, epoch: 41, time: 82, perplexity: 99 });
    expect(detectMemorising(s.train, s.val)).toBeNull();
  });
});

describe('metrics CSV export', () => {
  it('writes one row per record with a header, quoting run names and leaving gaps empty', () => {
    const s = new RunSeries();
    s.append([
      { kind: 'train', step: 1, epoch: 0.01, time: 0.5, loss: 3, perplexity: 20.08, gradNorm: 1.5, lr: 1, tokensPerSec: 1000 },
      { kind: 'val', step: 1, epoch: 0.01, time: 0.5, loss: null, perplexity: 21 },
    ]);
    const csv = metricsCsv([{ name: 'lstm, 2 layers', series: s }]);
    const rows = csv.trimEnd().split('\r\n');
    expect(rows[0]).toBe('run,kind,step,epoch,time_s,loss,perplexity,grad_norm,lr,tokens_per_sec');
    expect(rows[1]).toBe('"lstm, 2 layers",train,1,0.01,0.5,3,20.08,1.5,1,1000');
    expect(rows[2]).toBe('"lstm, 2 layers",val,1,0.01,0.5,,21,,,');
  });
});
