/** Files written by real pandas (tests/fixtures/csv/make_pandas_csv.py, pandas 1.5.3) import as pandas meant them. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importDataset, readCsvTable } from '../../src/core/datasets';
import { readForecastSeries } from '../../src/core/forecast/series-source';
import { forecastConfigSchema } from '../../src/shared/forecast-config';
import { PROJECT, memoryProject } from './helpers';

const FIXTURES = join(import.meta.dirname, '../fixtures/csv');

async function imported(name: string) {
  const fs = await memoryProject();
  fs.seedFile(`/in/${name}`, readFileSync(join(FIXTURES, name)));
  const record = await importDataset(fs, PROJECT, `/in/${name}`);
  if (record.stats.kind !== 'csv') throw new Error('kind');
  return { fs, record, stats: record.stats };
}

describe("pandas' to_csv output", () => {
  it('a RangeIndex: the empty first header cell is the index column, NaN cells are missing', async () => {
    const { fs, record, stats } = await imported('pandas-range-index.csv');
    expect(stats).toMatchObject({ delimiter: ',', hasHeader: true, rows: 6, rowsWithMissing: 2, time: null });
    expect(stats.columns.map((c) => [c.name, c.kind, c.index ?? false, c.count, c.missing])).toEqual([['index', 'numeric', true, 6, 0], ['value', 'numeric', false, 4, 2]]);
    const config = forecastConfigSchema.parse({ task: 'forecast', datasetId: record.id, target: 'value', window: 1, trainFraction: 0.5, valFraction: 0.3 });
    const series = await readForecastSeries(fs, PROJECT, record, config);
    expect(Array.from(series.raw)).toEqual([1.5, 2.375, 3.25, 4, 5.25, 6.5]); // interpolated
  });

  it('an unnamed hourly DatetimeIndex: the index is the time column, hourly with period 24, across the DST night', async () => {
    const { fs, record, stats } = await imported('pandas-hourly.csv');
    expect(stats.columns.map((c) => [c.name, c.kind, c.index ?? false, c.missing])).toEqual([['index', 'time', true, 0], ['load', 'numeric', false, 1], ['temp', 'numeric', false, 0]]);
    expect(stats.time).toEqual({ column: 'index', first: '2021-03-27 22:00:00', last: '2021-03-28 03:00:00', step: 'hourly', seasonalPeriod: 24, increasing: true });
    const config = forecastConfigSchema.parse({ task: 'forecast', datasetId: record.id, target: 'load', covariates: ['temp'], timeColumn: 'index', missing: 'drop', window: 1, trainFraction: 0.5, valFraction: 0.3 });
    const series = await readForecastSeries(fs, PROJECT, record, config);
    expect(series.time).toEqual(['2021-03-27 22:00:00', '2021-03-27 23:00:00', '2021-03-28 01:00:00', '2021-03-28 02:00:00', '2021-03-28 03:00:00']);
    expect(Array.from(series.raw)).toEqual([10, 11, 13, 14, 15, 1, 2, 4, 5, 6]);
  });

  it('a named monthly index in a TSV with quoted text, doubled quotes and a line break inside a cell', async () => {
    const { fs, record, stats } = await imported('pandas-monthly.tsv');
    expect(stats).toMatchObject({ delimiter: '\t', rows: 4, time: { column: 'month', first: '1949-01', last: '1949-04', step: 'monthly', seasonalPeriod: 12 } });
    expect(stats.columns.map((c) => [c.name, c.kind, c.missing])).toEqual([['month', 'time', 0], ['passengers', 'numeric', 0], ['note', 'label', 1]]);
    const table = await readCsvTable(fs, PROJECT, record);
    expect(table.lines).toEqual([2, 3, 4, 6]);
    expect(Array.from(table.columns.get('passengers')!)).toEqual([112, 118, 132, 129]);
  });
});
