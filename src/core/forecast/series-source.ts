/**
 * From CSV columns to the series a forecast run trains on: the used columns checked, missing
 * cells handled by the run's stated policy (`config.missing`), the time column checked for order.
 * Every refusal is a ForecastError naming the config field, the column and the row, raised before
 * anything is written. The same code serves the CLI, the training worker and the app, so a stored
 * run reproduces its series exactly from its dataset.
 */
import type { CsvStats } from '../../shared/datasets';
import { splitPoints, type ForecastRunConfig, type MissingPolicy } from '../../shared/forecast-config';
import { readCsvTable, type CsvTable } from '../datasets/read-dataset';
import type { FileSystem } from '../fs/file-system';
import type { DatasetRecord } from '../store/schemas';
import { ForecastError } from './forecast-error';

/** What the missing-value policy did, per used column (the time column included when one is used). */
export interface MissingReport {
  policy: MissingPolicy;
  /** Rows removed by `drop` (a row missing several columns counts once). */
  droppedRows: number;
  columns: { name: string; missing: number; filled: number; dropped: number }[];
}

/** The columns a series is built from. `values` gives numbers (time columns: ms since the epoch), NaN where missing. */
export interface SeriesColumns {
  names: string[];
  numeric: (name: string) => boolean;
  values: (name: string) => ArrayLike<number>;
  /** 1-based file line of each row, for messages. */
  lines?: readonly number[];
  /** The cell texts of a date/time column; undefined for any other column (a numeric column can still order the rows). */
  times?: (name: string) => readonly string[] | undefined;
}

export interface ForecastSeries {
  /** Feature-major values in original units: raw[f·length + t]. */
  raw: Float64Array;
  length: number;
  features: string[];
  /** 0-based source row of each step (differs from the step when `drop` removed rows). */
  rows: Int32Array;
  /** The time column's text of each step (a numeric one as its numbers), when the run has a time column. */
  time: string[] | null;
  missing: MissingReport;
}

/** Feature names in model order: the target, then the covariates. */
export const featureNames = (c: Pick<ForecastRunConfig, 'target' | 'covariates'>): string[] => [c.target, ...c.covariates];

/** Fills NaN gaps of `v` in place: `ffill` repeats the previous value, `interpolate` draws a line between the neighbours; a leading gap takes the first value, a trailing one the last. Returns how many were filled. */
export function fillGaps(v: Float64Array, how: 'ffill' | 'interpolate'): number {
  const n = v.length;
  let filled = 0;
  let prev = -1; // index of the last present value
  for (let t = 0; t <= n; t++) {
    if (t < n && Number.isNaN(v[t]!)) continue;
    // the gap is prev+1 … t-1
    for (let k = prev + 1; k < t; k++) {
      if (prev < 0) v[k] = v[t]!;
      else if (t >= n || how === 'ffill') v[k] = v[prev]!;
      else v[k] = v[prev]! + ((v[t]! - v[prev]!) * (k - prev)) / (t - prev); // linear in the row index
      filled++;
    }
    prev = t;
  }
  return filled;
}

const where = (t: number, lines: readonly number[] | undefined) => `row ${t + 1}${lines ? ` (line ${lines[t]})` : ''}`;

/**
 * The series as the model reads it, checked and with missing cells handled by `c.missing`.
 * Refusals: NoNumericColumn, UnknownColumn, NotNumericColumn, DuplicateColumn, NotTimeColumn,
 * AllMissing, MissingValue, NonMonotonicTime, TooFewRows.
 */
export function buildSeries(columns: SeriesColumns, c: ForecastRunConfig): ForecastSeries {
  const features = featureNames(c);
  const numericNames = columns.names.filter(columns.numeric);
  if (numericNames.length === 0) throw new ForecastError('NoNumericColumn', 'The file has no numeric column to forecast.', 'data');
  for (const [i, name] of features.entries()) {
    const field = i === 0 ? 'target' : 'covariates';
    if (!columns.names.includes(name)) throw new ForecastError('UnknownColumn', `There is no column "${name}" in the data (numeric columns: ${numericNames.join(', ')}).`, field, { column: name });
    if (!columns.numeric(name)) throw new ForecastError('NotNumericColumn', `Column "${name}" is not numeric (numeric columns: ${numericNames.join(', ')}).`, field, { column: name });
  }
  if (new Set(features).size !== features.length) throw new ForecastError('DuplicateColumn', 'A column is named twice (the target is always an input).', 'covariates');
  const timeName = c.timeColumn;
  let timeText: readonly string[] | undefined;
  if (timeName !== null) {
    if (!columns.names.includes(timeName)) throw new ForecastError('UnknownColumn', `There is no column "${timeName}" in the data to order the rows by.`, 'timeColumn', { column: timeName });
    timeText = columns.times?.(timeName);
    if (timeText === undefined && !columns.numeric(timeName)) {
      throw new ForecastError('NotTimeColumn', `Column "${timeName}" holds neither dates (such as 2020-01-31 or 2020-01-31 12:00) nor numbers, so it cannot order the rows.`, 'timeColumn', { column: timeName });
    }
  }

  const n = columns.values(c.target).length;
  const lines = columns.lines;
  const used = features.map((name, f) => ({ name, field: f === 0 ? 'target' : 'covariates', v: Float64Array.from(columns.values(name)) }));
  const report: MissingReport = { policy: c.missing, droppedRows: 0, columns: [] };
  for (const u of used) {
    let missing = 0;
    for (let t = 0; t < n; t++) if (Number.isNaN(u.v[t]!)) missing++;
    if (missing === n) throw new ForecastError('AllMissing', `Column "${u.name}" has no values: all ${n} of its cells are missing.`, u.field, { column: u.name });
    report.columns.push({ name: u.name, missing, filled: 0, dropped: 0 });
  }
  const timeMs = timeName === null ? undefined : Float64Array.from(columns.values(timeName));
  // a numeric time column (a year, a step count) is shown as its numbers
  const timeAt = (t: number): string => (timeText !== undefined ? timeText[t]! : String(timeMs![t]));
  if (timeName !== null) {
    let missing = 0;
    for (let t = 0; t < n; t++) if (Number.isNaN(timeMs![t]!)) missing++;
    if (missing === n) throw new ForecastError('AllMissing', `Column "${timeName}" has no values: all ${n} of its cells are missing.`, 'timeColumn', { column: timeName });
    report.columns.push({ name: timeName, missing, filled: 0, dropped: 0 });
  }
  const all = timeName === null ? used : [...used, { name: timeName, field: 'timeColumn', v: timeMs! }];

  let keep: Int32Array;
  if (c.missing === 'drop') {
    const kept: number[] = [];
    for (let t = 0; t < n; t++) {
      let gap = false;
      all.forEach((u, k) => {
        if (Number.isNaN(u.v[t]!)) {
          gap = true;
          report.columns[k]!.dropped++;
        }
      });
      if (gap) report.droppedRows++;
      else kept.push(t);
    }
    keep = Int32Array.from(kept);
  } else {
    for (let t = 0; t < n; t++) {
      for (const u of all) {
        if (!Number.isNaN(u.v[t]!)) continue;
        if (c.missing === 'refuse') {
          throw new ForecastError('MissingValue', `Column "${u.name}" has a missing value in ${where(t, lines)}; fill it in, or choose the drop, ffill or interpolate missing-value policy.`, 'data', { column: u.name, row: t + 1, ...(lines ? { line: lines[t] } : {}) });
        }
        if (u.field === 'timeColumn') {
          throw new ForecastError('MissingValue', `Time column "${u.name}" has no time in ${where(t, lines)}; times are not filled in: fix the file, or choose the drop missing-value policy.`, 'data', { column: u.name, row: t + 1, ...(lines ? { line: lines[t] } : {}) });
        }
      }
    }
    if (c.missing !== 'refuse') used.forEach((u, k) => (report.columns[k]!.filled = fillGaps(u.v, c.missing as 'ffill' | 'interpolate')));
    keep = Int32Array.from({ length: n }, (_, t) => t);
  }

  const length = keep.length;
  if (timeMs !== undefined) {
    for (let k = 1; k < length; k++) {
      const t = keep[k]!, s = keep[k - 1]!;
      if (timeMs[t]! > timeMs[s]!) continue;
      const previous = timeAt(s), value = timeAt(t);
      throw new ForecastError('NonMonotonicTime', `Time column "${timeName}" does not increase at ${where(t, lines)}: ${value} follows ${previous}${timeMs[t] === timeMs[s] ? ' (the same time twice)' : ''}. Sort the file by time, or train without a time column.`, 'data', {
        column: timeName, row: t + 1, ...(lines ? { line: lines[t] } : {}), previous, value,
      });
    }
  }
  const raw = new Float64Array(features.length * length);
  used.forEach((u, f) => {
    for (let k = 0; k < length; k++) raw[f * length + k] = u.v[keep[k]!]!;
  });
  const { trainEnd, valEnd } = splitPoints(length, c);
  if (length < c.window + c.horizon || trainEnd < c.window + c.horizon || valEnd <= trainEnd) {
    const dropped = report.droppedRows > 0 ? ` (after dropping ${report.droppedRows} rows with missing values)` : '';
    throw new ForecastError('TooFewRows', `${length} rows${dropped} are too few for a window of ${c.window} plus a horizon of ${c.horizon} in both the training part (${trainEnd} rows) and the validation part (${Math.max(0, valEnd - trainEnd)} rows).`, 'data', { rows: length, droppedRows: report.droppedRows });
  }
  const time = timeMs === undefined ? null : Array.from(keep, timeAt);
  return { raw, length, features, rows: keep, time, missing: report };
}

/** SeriesColumns over a CsvTable: its numeric and time columns. */
export function tableColumns(table: CsvTable): SeriesColumns {
  const kinds = new Map(table.stats.columns.map((col) => [col.name, col.kind]));
  return {
    names: table.stats.columns.map((col) => col.name),
    numeric: (name) => kinds.get(name) === 'numeric',
    values: (name) => table.columns.get(name) ?? new Float64Array(table.lines.length).fill(NaN),
    lines: table.lines,
    times: (name) => table.times.get(name),
  };
}

/** An imported CSV dataset's series for a forecast run, exactly as training builds it. */
export async function readForecastSeries(fs: FileSystem, dir: string, record: DatasetRecord, c: ForecastRunConfig): Promise<ForecastSeries> {
  return buildSeries(tableColumns(await readCsvTable(fs, dir, record)), c);
}

/** Period of the seasonal-naive baseline: the config's, else what the detected time column's step suggests (when the run uses it or none), else the window. */
export function seasonalPeriodFor(c: Pick<ForecastRunConfig, 'seasonalPeriod' | 'timeColumn' | 'window'>, stats: CsvStats | undefined): number {
  if (c.seasonalPeriod !== null) return c.seasonalPeriod;
  const time = stats?.time;
  if (time && (c.timeColumn === null || c.timeColumn === time.column) && time.seasonalPeriod !== null) return time.seasonalPeriod;
  return c.window;
}
