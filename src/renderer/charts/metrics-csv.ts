import { AXIS_FIELDS, METRIC_FIELDS, type RunSeries } from './metric-columns';

const HEADER = ['run', 'kind', 'step', 'epoch', 'time_s', 'loss', 'perplexity', 'grad_norm', 'lr', 'tokens_per_sec'];

/** The metric logs of one or more runs as one CSV table (RFC 4180 quoting; gaps are empty cells). */
export function metricsCsv(runs: ReadonlyArray<{ name: string; series: RunSeries }>): string {
  const lines = [HEADER.join(',')];
  for (const { name, series } of runs) {
    for (const kind of ['train', 'val', 'epoch'] as const) {
      const cols = series[kind];
      const columns = [...AXIS_FIELDS, ...METRIC_FIELDS].map((c) => cols.column(c));
      for (let i = 0; i < cols.length; i++) {
        const cells = columns.map((col) => (Number.isFinite(col[i]!) ? String(col[i]) : ''));
        lines.push([quote(name), kind, ...cells].join(','));
      }
    }
  }
  return lines.join('\r\n') + '\r\n';
}

function quote(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
