// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import type { DatasetRecord } from '../../src/shared/datasets';
import { closeApp, openApp } from './app-harness';
import { csvDataset } from './fixtures';

afterEach(closeApp);

type CsvStats = Extract<DatasetRecord['stats'], { kind: 'csv' }>;

function withStats(id: string, over: Partial<CsvStats>): DatasetRecord {
  const base = csvDataset(id);
  return { ...base, stats: { ...(base.stats as CsvStats), ...over } };
}

async function openDataset(w: VueWrapper, name: string) {
  const b = w.findAll('.sidebar button.open').find((x) => x.find('.label').text() === name);
  if (!b) throw new Error(`no sidebar entry ${name}`);
  await b.trigger('click');
  await flushPromises();
}

const gappy = withStats('load', {
  rows: 1000,
  rowsWithMissing: 3,
  columns: [
    { name: 'index', kind: 'numeric', index: true, count: 1000, missing: 0, min: 0, max: 999, mean: 499.5, std: 288.7 },
    { name: 'date', kind: 'time', count: 1000, missing: 0, min: null, max: null, mean: null, std: null },
    { name: 'load', kind: 'numeric', count: 998, missing: 2, min: -1.7, max: 2.9, mean: 0.41, std: 0.83 },
    { name: 'temp', kind: 'numeric', count: 999, missing: 1, min: 1, max: 30, mean: 12, std: 5 },
    { name: 'spare', kind: 'numeric', count: 0, missing: 1000, min: null, max: null, mean: null, std: null },
  ],
  time: { column: 'date', first: '2020-01-01', last: '2022-09-26', step: 'daily', seasonalPeriod: 7, increasing: false, disorder: { row: 41, line: 42, previous: '2020-02-10', value: '2020-02-09' } },
});

describe('dataset view of a CSV series', () => {
  it('shows the detected time column with its span, step and seasonal period, and where the times stop increasing', async () => {
    const { w } = await openApp({ datasets: [gappy] });
    await openDataset(w, 'load.csv');
    const time = w.find('[data-testid="time-column"]');
    expect(time.text()).toContain('Column date holds dates: 2020-01-01 to 2022-09-26, daily (seasonal period 7).');
    expect(w.find('[data-testid="time-disorder"]').text()).toContain('The times do not increase at row 41 (line 42): 2020-02-09 follows 2020-02-10.');
    const kinds = w.findAll('tr[data-column]').map((r) => [r.attributes('data-column'), r.findAll('td')[1]!.text(), r.find('[data-testid="missing-count"]').text()]);
    expect(kinds).toEqual([
      ['index', 'pandas index (not a feature by default)', '0'],
      ['date', 'time', '0'],
      ['load', 'numeric', '2'],
      ['temp', 'numeric', '1'],
      ['spare', 'numeric', '1,000'],
    ]);
  });

  it("states each missing-value policy's effect on the file, and names a column with no values", async () => {
    const { w } = await openApp({ datasets: [gappy] });
    await openDataset(w, 'load.csv');
    const effect = w.find('[data-testid="missing-effect"]');
    expect(effect.text()).toContain('1,003 numeric cells are missing (empty, NA, NaN, null or ?) in load, temp, spare.');
    expect(effect.find('[data-policy="drop"]').text()).toBe('drop: removes 3 of 1,000 rows with a gap (fewer when a run uses fewer columns).');
    expect(effect.find('[data-policy="ffill"]').text()).toContain('fills 1,003 cells with the value before');
    expect(effect.find('[data-policy="interpolate"]').text()).toContain('fills 1,003 cells on a straight line');
    expect(effect.find('[data-testid="all-missing"]').text()).toBe('spare has no values at all: a run using it is refused.');
  });

  it('says plainly when nothing is missing and when there is no time column', async () => {
    const clean = withStats('clean', {
      rowsWithMissing: 0,
      columns: [{ name: 'x', kind: 'numeric', count: 1000, missing: 0, min: 0, max: 1, mean: 0.5, std: 0.3 }],
      time: null,
    });
    const { w } = await openApp({ datasets: [clean] });
    await openDataset(w, 'clean.csv');
    expect(w.find('[data-testid="time-column"]').text()).toContain('No date or time column: steps are row numbers.');
    expect(w.find('[data-testid="missing-effect"]').text()).toBe('Missing valuesNo numeric cell is missing: every missing-value policy gives the same series.');
    expect(w.find('[data-testid="time-disorder"]').exists()).toBe(false);
  });
});
