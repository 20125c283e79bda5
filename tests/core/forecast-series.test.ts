import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/index';
import { CsvTableBuilder, importDataset } from '../../src/core/datasets';
import { ForecastError } from '../../src/core/forecast/forecast-error';
import { loadForecastRun, readCsvFile, seriesFromColumns } from '../../src/core/forecast/forecast-run';
import { buildSeries, fillGaps, readForecastSeries, seasonalPeriodFor, tableColumns } from '../../src/core/forecast/series-source';
import { NodeFileSystem } from '../../src/core/fs/node-file-system';
import { applyZScore } from '../../src/engine/forecast/series';
import { forecastConfigSchema, type ForecastRunConfig } from '../../src/shared/forecast-config';
import { PROJECT, memoryProject } from './helpers';

const config = (over: Partial<ForecastRunConfig> & { target?: string } = {}): ForecastRunConfig =>
  forecastConfigSchema.parse({ task: 'forecast', datasetId: 'ds', target: 'x', window: 1, horizon: 1, trainFraction: 0.5, valFraction: 0.25, ...over });

function columns(text: string) {
  const b = new CsvTableBuilder({ requireNumeric: false });
  b.reader.push(text);
  return tableColumns(b.finish());
}

const series = (text: string, over: Partial<ForecastRunConfig> = {}) => buildSeries(columns(text), config(over));

function refusal(text: string, over: Partial<ForecastRunConfig> = {}): ForecastError {
  try {
    series(text, over);
  } catch (e) {
    if (e instanceof ForecastError) return e;
    throw e;
  }
  throw new Error('not refused');
}

/** x has a leading, an inner two-cell and a trailing gap; y one inner gap. */
const GAPPY = ['x,y', ',1', '2,2', ',3', '6,', ',5', ',6', '12,7', ',8'].join('\n');

describe('missing-value policies', () => {
  it('ffill repeats the previous value, a leading gap takes the first value; it reports the cells filled per column', () => {
    const s = series(GAPPY, { covariates: ['y'], missing: 'ffill' });
    expect(Array.from(s.raw.subarray(0, 8))).toEqual([2, 2, 2, 6, 6, 6, 12, 12]);
    expect(Array.from(s.raw.subarray(8))).toEqual([1, 2, 3, 3, 5, 6, 7, 8]);
    expect(s.missing).toEqual({ policy: 'ffill', droppedRows: 0, columns: [{ name: 'x', missing: 5, filled: 5, dropped: 0 }, { name: 'y', missing: 1, filled: 1, dropped: 0 }] });
  });

  it('interpolate draws a line between neighbours (by row), the ends take the nearest value', () => {
    const s = series(GAPPY, { covariates: ['y'], missing: 'interpolate' });
    expect(Array.from(s.raw.subarray(0, 8))).toEqual([2, 2, 4, 6, 8, 10, 12, 12]);
    expect(Array.from(s.raw.subarray(8))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(s.missing.columns.map((c) => c.filled)).toEqual([5, 1]);
    expect(series(GAPPY).missing.policy).toBe('interpolate'); // the config's default
  });

  it('drop removes every row where a used column is missing, and counts them per column and once per row', () => {
    const text = ['x,y,z', '1,1,', '2,,', '3,3,', ',,', '5,5,', '6,6,', '7,7,', '8,8,', '9,9,'].join('\n');
    const s = series(text, { covariates: ['y'], missing: 'drop' });
    expect(s.length).toBe(7);
    expect(Array.from(s.raw.subarray(0, 7))).toEqual([1, 3, 5, 6, 7, 8, 9]);
    expect(Array.from(s.rows)).toEqual([0, 2, 4, 5, 6, 7, 8]);
    expect(s.missing).toEqual({ policy: 'drop', droppedRows: 2, columns: [{ name: 'x', missing: 1, filled: 0, dropped: 1 }, { name: 'y', missing: 2, filled: 0, dropped: 2 }] });
  });

  it('refuse stops at the first missing cell, naming the column, row and line', () => {
    const e = refusal(['x,y', '1,1', '2,2', '3,', ',4'].join('\n'), { covariates: ['y'], missing: 'refuse' });
    expect(e.code).toBe('MissingValue');
    expect(e.details).toMatchObject({ field: 'data', column: 'y', row: 3, line: 4 });
    expect(e.message).toMatch(/^Column "y" has a missing value in row 3 \(line 4\)/);
  });

  it('fills in place and leaves a gapless series alone', () => {
    const v = Float64Array.from([1, 2, 3]);
    expect(fillGaps(v, 'interpolate')).toBe(0);
    expect(Array.from(v)).toEqual([1, 2, 3]);
    const w = Float64Array.from([NaN, NaN, 4, NaN, 10]);
    expect(fillGaps(w, 'interpolate')).toBe(3);
    expect(Array.from(w)).toEqual([4, 4, 4, 7, 10]);
  });
});

describe('series refusals, each naming its field and column or row', () => {
  const rows = (n: number) => ['date,x,y,city', ...Array.from({ length: n }, (_, i) => `2020-01-${String(i + 1).padStart(2, '0')},${i},${i * 2},c${i}`)].join('\n');

  it('NoNumericColumn', () => {
    expect(refusal('name,city\nann,rome\nbob,oslo\n', { target: 'name' })).toMatchObject({ code: 'NoNumericColumn', details: { field: 'data' } });
  });

  it('UnknownColumn for a target, a covariate and a time column', () => {
    expect(refusal(rows(10), { target: 'z' })).toMatchObject({ code: 'UnknownColumn', details: { field: 'target', column: 'z' } });
    expect(refusal(rows(10), { covariates: ['w'] })).toMatchObject({ code: 'UnknownColumn', details: { field: 'covariates', column: 'w' } });
    expect(refusal(rows(10), { timeColumn: 'when' })).toMatchObject({ code: 'UnknownColumn', details: { field: 'timeColumn', column: 'when' } });
  });

  it('NotNumericColumn for a label or time column as target; NotTimeColumn for a label column ordering the rows', () => {
    expect(refusal(rows(10), { target: 'city' })).toMatchObject({ code: 'NotNumericColumn', details: { field: 'target', column: 'city' } });
    expect(refusal(rows(10), { covariates: ['date'] })).toMatchObject({ code: 'NotNumericColumn', details: { field: 'covariates', column: 'date' } });
    expect(refusal(rows(10), { timeColumn: 'city' })).toMatchObject({ code: 'NotTimeColumn', details: { field: 'timeColumn', column: 'city' } });
  });

  it('a numeric column (a year, a step) can order the rows too: its numbers are the times', () => {
    const years = ['year,x', '1700,5', '1701,11', '1702,16', '1703,23', '1704,36', '1705,58'].join('\n');
    expect(series(years, { timeColumn: 'year' }).time).toEqual(['1700', '1701', '1702', '1703', '1704', '1705']);
    const e = refusal(years.replace('1703,23', '1701,23'), { timeColumn: 'year' });
    expect(e).toMatchObject({ code: 'NonMonotonicTime', details: { row: 4, line: 5, previous: '1702', value: '1701' } });
  });

  it('DuplicateColumn', () => {
    expect(refusal(rows(10), { covariates: ['x'] })).toMatchObject({ code: 'DuplicateColumn', details: { field: 'covariates' } });
  });

  it('AllMissing names the used column that has no value, whatever the policy', () => {
    const text = ['x,y,z', '1,,', '2,NA,', '3,?,', '4,,'].join('\n');
    for (const missing of ['drop', 'ffill', 'interpolate', 'refuse'] as const) {
      const e = refusal(text, { covariates: ['y'], missing });
      expect(e).toMatchObject({ code: 'AllMissing', details: { field: 'covariates', column: 'y' } });
      expect(e.message).toBe('Column "y" has no values: all 4 of its cells are missing.');
    }
    expect(refusal(text, { target: 'z' })).toMatchObject({ code: 'AllMissing', details: { field: 'target', column: 'z' } });
  });

  it('TooFewRows counts the rows left after drop', () => {
    expect(refusal(rows(3), { window: 2 })).toMatchObject({ code: 'TooFewRows', details: { rows: 3 } });
    const text = ['x', '1', '', '3', 'NA', '5', '?', '7', '8'].join('\n'); // "" is a blank line, skipped
    expect(series(text, { window: 1 }).length).toBe(7);
    const e = refusal(text, { window: 1, missing: 'drop', trainFraction: 0.3, valFraction: 0.1 });
    expect(e).toMatchObject({ code: 'TooFewRows', details: { rows: 5, droppedRows: 2 } });
    expect(e.message).toMatch(/^5 rows \(after dropping 2 rows with missing values\) are too few/);
  });

  it('NonMonotonicTime names the row, the line and both times when the time column is used', () => {
    const text = ['date,x', '2020-01-01,1', '2020-01-02,2', '', '2020-01-05,3', '2020-01-04,4', '2020-01-06,5'].join('\n');
    expect(series(text).length).toBe(5); // row order is fine when no time column is used
    const e = refusal(text, { timeColumn: 'date' });
    expect(e).toMatchObject({ code: 'NonMonotonicTime', details: { field: 'data', column: 'date', row: 4, line: 6, previous: '2020-01-05', value: '2020-01-04' } });
    expect(e.message).toMatch(/^Time column "date" does not increase at row 4 \(line 6\): 2020-01-04 follows 2020-01-05\./);
    const repeated = refusal(text.replace('2020-01-04', '2020-01-05'), { timeColumn: 'date' });
    expect(repeated.message).toMatch(/the same time twice/);
  });

  it('a missing time refuses under fill policies and drops its row under drop', () => {
    const text = ['date,x', '2020-01-01,1', ',2', '2020-01-03,3', '2020-01-04,4', '2020-01-05,5', '2020-01-06,6'].join('\n');
    expect(refusal(text, { timeColumn: 'date' })).toMatchObject({ code: 'MissingValue', details: { column: 'date', row: 2, line: 3 } });
    const s = series(text, { timeColumn: 'date', missing: 'drop' });
    expect(s.time).toEqual(['2020-01-01', '2020-01-03', '2020-01-04', '2020-01-05', '2020-01-06']);
    expect(s.missing.droppedRows).toBe(1);
    expect(s.missing.columns.at(-1)).toEqual({ name: 'date', missing: 1, filled: 0, dropped: 1 });
  });
});

describe('seasonal period', () => {
  it("is the config's, else the detected step's suggestion, else the window", () => {
    const b = new CsvTableBuilder();
    b.reader.push('m,x\n1959-01,1\n1959-02,2\n1959-03,3\n');
    const stats = b.finish().stats;
    expect(seasonalPeriodFor(config({ seasonalPeriod: 5 }), stats)).toBe(5);
    expect(seasonalPeriodFor(config({ window: 3 }), stats)).toBe(12);
    expect(seasonalPeriodFor(config({ window: 3 }), undefined)).toBe(3);
  });
});

describe('the same series from the file, the imported dataset and the stored run', () => {
  const text = ['when,x,y', ...Array.from({ length: 40 }, (_, i) => `2021-03-${String(1 + (i % 28)).padStart(2, '0')} ${String(i % 24).padStart(2, '0')}:00,${i % 7 === 3 ? 'NA' : Math.sin(i)},${i % 11 === 5 ? '' : i}`)].join('\n');

  it('readForecastSeries on the dataset equals the series from the CSV file, for every policy', async () => {
    const root = mkdtempSync(join(tmpdir(), 'rnnlab-series-'));
    const path = join(root, 's.csv');
    writeFileSync(path, text);
    const fs = await memoryProject();
    fs.seedFile('/in/s.csv', text);
    const record = await importDataset(fs, PROJECT, '/in/s.csv');
    const file = await readCsvFile(path);
    for (const missing of ['drop', 'ffill', 'interpolate'] as const) {
      const c = config({ covariates: ['y'], missing, window: 2 });
      const fromFile = seriesFromColumns(tableColumns(file), c);
      expect(await readForecastSeries(fs, PROJECT, record, c)).toEqual(fromFile);
      expect(fromFile.raw.every(Number.isFinite)).toBe(true);
    }
  });

  it('loadForecastRun rebuilds the trained series with the run\'s policy; a refused train leaves an existing project byte-identical', async () => {
    const root = mkdtempSync(join(tmpdir(), 'rnnlab-series-'));
    const path = join(root, 's.csv');
    writeFileSync(path, text);
    const project = join(root, 'p.rnnlab');
    const quiet = { out: () => {}, err: () => {} };
    const out: string[] = [];
    expect(await main(['train', '--task', 'forecast', '--data', path, '--target', 'x', '--missing', 'ffill', '--project', project, '--hidden', '4', '--epochs', '1', '--json'], { out: (l) => out.push(l), err: () => {} })).toBe(0);
    const summary = JSON.parse(out.at(-1)!) as { run: string; missing: unknown };
    expect(summary.missing).toEqual({ policy: 'ffill', droppedRows: 0, columns: [{ name: 'x', missing: 6, filled: 6, dropped: 0 }] });
    const loaded = await loadForecastRun(new NodeFileSystem(), project, summary.run);
    const expected = seriesFromColumns(tableColumns(await readCsvFile(path)), loaded.config);
    expect(loaded.config.missing).toBe('ffill');
    expect(loaded.missing).toEqual(summary.missing);
    expect(loaded.time).toBeNull();
    expect(Array.from(loaded.windows.values)).toEqual(Array.from(applyZScore(expected.raw, 1, expected.length, loaded.norm)));

    const printed: string[] = [];
    expect(await main(['train', '--task', 'forecast', '--data', path, '--target', 'x', '--covariates', 'y', '--missing', 'drop', '--project', project, '--hidden', '4', '--epochs', '1'], { out: (l) => printed.push(l), err: () => {} })).toBe(0);
    expect(printed).toContain('missing values (drop): x 6 (6 rows dropped), y 4 (4 rows dropped)');

    const snapshot = (dir: string): [string, string][] =>
      readdirSync(dir, { recursive: true }).map(String).sort().map((p) => [p, statSync(join(dir, p)).isFile() ? readFileSync(join(dir, p), 'hex') : 'dir']);
    const before = snapshot(project);
    const bad = join(root, 'bad.csv');
    writeFileSync(bad, ['when,x', '2020-01-02,1', '2020-01-01,2', ...Array.from({ length: 20 }, (_, i) => `2020-02-${String(i + 1).padStart(2, '0')},${i}`)].join('\n'));
    const err: string[] = [];
    expect(await main(['train', '--task', 'forecast', '--data', bad, '--target', 'x', '--project', project, '--epochs', '1'], quiet)).toBe(0); // no time column used: row order is the file's
    const after = snapshot(project);
    expect(after.length).toBeGreaterThan(before.length);
    expect(await main(['train', '--task', 'forecast', '--data', bad, '--target', 'x', '--covariates', 'when', '--project', project, '--epochs', '1'], { out: () => {}, err: (l) => err.push(l) })).toBe(2);
    expect(err.join('\n')).toMatch(/--covariates: Column "when" is not numeric/);
    const allMissing = join(root, 'empty-col.csv');
    writeFileSync(allMissing, ['x,y', ...Array.from({ length: 20 }, (_, i) => `${i},NA`)].join('\n'));
    expect(await main(['train', '--task', 'forecast', '--data', allMissing, '--target', 'x', '--covariates', 'y', '--project', project, '--epochs', '1'], { out: () => {}, err: (l) => err.push(l) })).toBe(2);
    expect(err.at(-1)).toMatch(/--covariates: Column "y" has no values: all 20 of its cells are missing\./);
    expect(snapshot(project)).toEqual(after);
  }, 60_000);
});
