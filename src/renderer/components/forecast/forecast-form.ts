/**
 * The forecast run-setup form as data: a draft of strings and numbers as the inputs hold them,
 * parsed through the shared forecast config schema (each field gets its first message) plus the
 * checks the series needs (a numeric target, enough rows in each part of the split), so the form
 * says what is wrong before the main process is asked.
 */
import { forecastConfigSchema, type ForecastRunConfig } from '../../../shared/forecast-config';
import type { CsvStats } from '../../../shared/datasets';
import { splitRows } from '../../../shared/forecast';

export { splitRows };

export interface ForecastDraft {
  name: string;
  datasetId: string;
  target: string;
  covariates: string[];
  timeColumn: string;
  window: string | number;
  horizon: string | number;
  stride: string | number;
  seasonalPeriod: string | number;
  missing: string;
  cell: string;
  hiddenSize: string | number;
  numLayers: string | number;
  epochs: string | number;
  lr: string | number;
  batchSize: string | number;
  loss: string;
  seed: string | number;
  clip: string | number;
  /** Percent of the rows, as the split inputs hold them. */
  trainPercent: string | number;
  valPercent: string | number;
}

export type DraftErrors = Partial<Record<keyof ForecastDraft | 'split', string>>;

const LABELS: Record<string, string> = {
  name: 'Name', datasetId: 'Dataset', target: 'Target column', covariates: 'Covariates', timeColumn: 'Time column', window: 'Window',
  horizon: 'Horizon', stride: 'Stride', seasonalPeriod: 'Seasonal period', missing: 'Missing values', cell: 'Cell', hiddenSize: 'Hidden size',
  numLayers: 'Layers', epochs: 'Epochs', lr: 'Learning rate', batchSize: 'Batch size', loss: 'Loss', seed: 'Seed', clip: 'Clip θ',
  trainFraction: 'Training part', valFraction: 'Validation part',
};

/** Columns that can order the rows: dates and times, or numbers (a year, a step count). */
export function timeColumns(stats: CsvStats | null): string[] {
  return stats ? stats.columns.filter((c) => c.kind === 'time' || (c.kind === 'numeric' && c.count > 0)).map((c) => c.name) : [];
}

/** Numeric columns of the dataset with at least one value. */
export function numericColumns(stats: CsvStats | null): string[] {
  return stats ? stats.columns.filter((c) => c.kind === 'numeric' && c.count > 0).map((c) => c.name) : [];
}

export function defaultDraft(datasetId: string, stats: CsvStats | null, name: string): ForecastDraft {
  const d = forecastConfigSchema.parse({ task: 'forecast', datasetId: datasetId || 'none', target: 'x' });
  const numeric = numericColumns(stats);
  // a first column that only counts rows (t, index, 1, 2, 3, …) is the time axis, not the series
  // the importer's detected time column when it names one, else a column named like a time axis
  const detected = stats?.time?.column;
  const time = detected ?? timeColumns(stats).find((c) => /^(t|time|date|datetime|timestamp|index|step|year|month|day)$/i.test(c)) ?? '';
  const target = numeric.find((n) => n !== time) ?? numeric[0] ?? '';
  return {
    name, datasetId, target, covariates: [], timeColumn: time,
    window: d.window, horizon: d.horizon, stride: d.stride, seasonalPeriod: '', missing: d.missing,
    cell: d.cell, hiddenSize: d.hiddenSize, numLayers: d.numLayers, epochs: d.epochs, lr: d.lr, batchSize: d.batchSize,
    loss: d.loss, seed: d.seed, clip: '', trainPercent: Math.round(d.trainFraction * 100), valPercent: Math.round(d.valFraction * 100),
  };
}

const num = (v: unknown): number => {
  if (typeof v === 'number') return v;
  const s = String(v).trim();
  return s === '' ? NaN : Number(s);
};
const optional = (v: unknown): number | null => (String(v).trim() === '' ? null : num(v));

/** The draft as a forecast config, or a message per field. */
export function parseForecastDraft(d: ForecastDraft, stats: CsvStats | null): { config: ForecastRunConfig | null; errors: DraftErrors } {
  const input = {
    task: 'forecast',
    name: d.name.trim() === '' ? undefined : d.name.trim(),
    datasetId: d.datasetId,
    target: d.target,
    covariates: d.covariates.filter((c) => c !== d.target),
    timeColumn: d.timeColumn === '' ? null : d.timeColumn,
    window: num(d.window), horizon: num(d.horizon), stride: num(d.stride), seasonalPeriod: optional(d.seasonalPeriod),
    missing: d.missing, cell: d.cell, hiddenSize: num(d.hiddenSize), numLayers: num(d.numLayers), epochs: num(d.epochs),
    lr: num(d.lr), batchSize: num(d.batchSize), loss: d.loss, seed: num(d.seed), clip: optional(d.clip),
    trainFraction: num(d.trainPercent) / 100, valFraction: num(d.valPercent) / 100,
  };
  const errors: DraftErrors = {};
  const put = (key: keyof DraftErrors, message: string) => {
    if (!errors[key]) errors[key] = message;
  };
  if (!d.datasetId) put('datasetId', 'Choose a CSV dataset.');
  if (!d.target) put('target', 'Choose the column to forecast.');
  else if (stats && !numericColumns(stats).includes(d.target)) put('target', `Column “${d.target}” holds no numbers; choose a numeric column.`);
  const parsed = forecastConfigSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '');
      const label = LABELS[key] ?? key;
      const field: keyof DraftErrors = key === 'trainFraction' || key === 'valFraction' ? 'split' : (key as keyof ForecastDraft);
      const message = issue.code === 'invalid_type' ? `${label} needs a number.`
        : field === 'split' ? 'The training and validation parts must each be more than 0% and together at most 100%.'
        : issue.code === 'too_small' || issue.code === 'too_big' ? `${label}: ${rangeWords(issue)}.`
        : issue.message;
      put(field, message);
    }
  }
  if (parsed.success && stats) {
    const c = parsed.data;
    const { train, val } = splitRows(stats.rows, c.trainFraction, c.valFraction);
    const need = c.window + c.horizon;
    if (train < need) put('split', `The training part has ${train} rows; a window of ${c.window} plus a horizon of ${c.horizon} needs at least ${need}. Enlarge it or shorten the window.`);
    else if (val < 1) put('split', 'The validation part is empty; give it at least one row.');
  }
  const ok = parsed.success && Object.keys(errors).length === 0;
  return { config: ok ? parsed.data : null, errors };
}

function rangeWords(issue: { code: string; minimum?: unknown; maximum?: unknown; inclusive?: boolean }): string {
  if (issue.code === 'too_small') return `must be at least ${issue.inclusive === false ? `more than ${String(issue.minimum)}` : String(issue.minimum)}`.replace('at least more than', 'more than');
  return `must be at most ${String(issue.maximum)}`;
}
