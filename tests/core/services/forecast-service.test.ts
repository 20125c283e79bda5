/** The app's forecast service over a real project: creating runs, the view's figures, the forecast past the end, exports. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/index';
import { loadForecastRun } from '../../../src/core/forecast/forecast-run';
import { NodeFileSystem } from '../../../src/core/fs/node-file-system';
import { createDataHandlers } from '../../../src/core/handlers/runs-handlers';
import { DatasetsService } from '../../../src/core/services/datasets-service';
import { errorFigures, ForecastService, readRunSeries } from '../../../src/core/services/forecast-service';
import { RunsService } from '../../../src/core/services/runs-service';
import { listDatasets } from '../../../src/core/store/datasets';
import { listRuns } from '../../../src/core/store/runs';
import { oneStepPredictions } from '../../../src/engine/forecast/evaluate';
import { forecastConfigSchema } from '../../../src/shared/forecast-config';
import { splitPoints } from '../../../src/core/forecast/forecast-run';
import { splitRows } from '../../../src/shared/forecast';
import type { AppError } from '../../../src/shared/errors';

const quiet = { out: () => {}, err: () => {} };
const fs = new NodeFileSystem();

let root = '';
let projectDir = '';
let csvId = '';
let textId = '';
let trainedRun = '';
let service: ForecastService;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'rnnlab-forecast-service-'));
  projectDir = join(root, 'p.rnnlab');
  const series = join(root, 'd2l-series.csv');
  expect(await main(['demo-series', '--out', series], quiet)).toBe(0);
  expect(await main(['train', '--task', 'forecast', '--data', series, '--target', 'x', '--project', projectDir, '--hidden', '8', '--epochs', '2'], quiet)).toBe(0);
  const text = join(root, 'tm.txt');
  writeFileSync(text, 'the time machine by h g wells. '.repeat(40));
  textId = (await new DatasetsService({ fs }).import(projectDir, { filePath: text })).id;
  csvId = (await listDatasets(fs, projectDir)).datasets.find((d) => d.kind === 'csv')!.id;
  trainedRun = (await listRuns(fs, projectDir)).runs[0]!.id;
  service = new ForecastService(fs, new RunsService({ fs }));
}, 60_000);

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(() => null, (err: unknown) => err as AppError);
  if (e === null) throw new Error('expected a refusal');
  return e;
}

const runCount = async () => (await listRuns(fs, projectDir)).runs.length;

describe('ForecastService.create', () => {
  it('creates a queued forecast run whose config.json validates against the forecast config schema', async () => {
    const summary = await service.create(projectDir, { task: 'forecast', datasetId: csvId, target: 'x', window: 8, epochs: 3, name: 'gui run' });
    expect(summary).toMatchObject({ name: 'gui run', state: 'queued', task: 'forecast' });
    const stored = JSON.parse(readFileSync(join(projectDir, 'runs', summary.id, 'config.json'), 'utf8'));
    expect(forecastConfigSchema.parse(stored)).toMatchObject({ task: 'forecast', target: 'x', window: 8, epochs: 3, trainFraction: 0.7, valFraction: 0.2 });
  });

  it('refuses a column the dataset lacks, naming it, and creates nothing', async () => {
    const before = await runCount();
    const e = await refusal(service.create(projectDir, { task: 'forecast', datasetId: csvId, target: 'y' }));
    expect(e.code).toBe('UnknownColumn');
    expect(e.message).toContain('"y"');
    expect(e.details).toMatchObject({ field: 'target' });
    expect(await runCount()).toBe(before);
  });

  it('refuses a window longer than the training part', async () => {
    const e = await refusal(service.create(projectDir, { task: 'forecast', datasetId: csvId, target: 'x', window: 4000 }));
    expect(e.code).toBe('TooFewRows');
  });

  it('refuses settings outside their ranges naming the field', async () => {
    const e = await refusal(service.create(projectDir, { task: 'forecast', datasetId: csvId, target: 'x', window: 0 }));
    expect(e.code).toBe('InvalidConfig');
    expect(e.details).toMatchObject({ field: 'window' });
    expect(e.message).toMatch(/window/);
  });

  it('refuses a text dataset in words', async () => {
    const e = await refusal(service.create(projectDir, { task: 'forecast', datasetId: textId, target: 'x' }));
    expect(e.code).toBe('UnsupportedDataset');
    expect(e.message).toMatch(/CSV/);
  });

  it('refuses a time column the dataset lacks', async () => {
    const e = await refusal(service.create(projectDir, { task: 'forecast', datasetId: csvId, target: 'x', timeColumn: 'date' }));
    expect(e.code).toBe('UnknownColumn');
    expect(e.details).toMatchObject({ field: 'timeColumn' });
    expect(e.message).toContain('date');
  });

  it('reads a dated series as training does: the missing-value policy applied, dates on the x axis', async () => {
    const file = join(root, 'daily.csv');
    // 40 consecutive days from 2024-01-01; rows 5 and 6 have no value
    const days = Array.from({ length: 40 }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10));
    writeFileSync(file, `date,load\n${days.map((d, i) => `${d},${i === 5 || i === 6 ? '' : i * 2}`).join('\n')}\n`);
    const record = await new DatasetsService({ fs }).import(projectDir, { filePath: file, kind: 'csv' });
    const base = forecastConfigSchema.parse({ task: 'forecast', datasetId: record.id, target: 'load', timeColumn: 'date', window: 3 });
    const filled = await readRunSeries(fs, projectDir, { ...base, missing: 'interpolate' }, record);
    expect(filled.length).toBe(40);
    expect(filled.xTime).toBe(true);
    expect(filled.x[0]).toBe(Date.UTC(2024, 0, 1));
    expect(filled.raw[5]).toBeCloseTo(10, 10);
    const dropped = await readRunSeries(fs, projectDir, { ...base, missing: 'drop' }, record);
    expect(dropped.length).toBe(38);
    expect(dropped.x[5]).toBe(Date.UTC(2024, 0, 8));
    const refused = await refusal(readRunSeries(fs, projectDir, { ...base, missing: 'refuse' }, record));
    expect(refused.code).toBe('MissingValue');
  });
});

describe('the setup form’s split', () => {
  it('counts the rows of each part exactly as the main process splits them', () => {
    for (const [rows, train, val] of [[1000, 0.7, 0.2], [37, 0.61, 0.27], [5, 0.5, 0.5], [1001, 0.33, 0.33]] as const) {
      const { trainEnd, valEnd } = splitPoints(rows, { trainFraction: train, valFraction: val });
      expect(splitRows(rows, train, val)).toEqual({ train: trainEnd, val: valEnd - trainEnd, test: rows - valEnd });
    }
  });
});

describe('ForecastService.view', () => {
  it('answers the one-step predictions the engine makes, over the whole series, in original units', async () => {
    const v = await service.view(projectDir, trainedRun);
    const loaded = await loadForecastRun(fs, projectDir, trainedRun);
    expect(v.actual).toHaveLength(1000);
    expect(v.predicted.slice(0, v.window).every((p) => p === null)).toBe(true);
    const starts = Int32Array.from([0, 500, 995]);
    const expected = oneStepPredictions(loaded.model, loaded.windows, loaded.norm, starts);
    starts.forEach((s, i) => expect(v.predicted[s + v.window]).toBeCloseTo(expected[i]!, 6));
    expect({ trainEnd: v.trainEnd, valEnd: v.valEnd }).toEqual({ trainEnd: 700, valEnd: 900 });
    // the time column t is the x axis
    expect(v.xName).toBe(null);
    expect(v.x[10]).toBe(10);
  });

  it('reports errors per part and baselines on the test part', async () => {
    const v = await service.view(projectDir, trainedRun);
    const test = errorFigures(v.actual, v.predicted, v.valEnd, v.actual.length)!;
    expect(v.parts.test).toEqual(test);
    expect(v.parts.test!.count).toBe(100);
    expect(v.baselines.part).toBe('test');
    expect(v.baselines.rows.map((r) => r.name)).toEqual(['This model', 'Last value', 'Repeat last window', 'Seasonal naive', 'Mean']);
    // the model's row is its one-step error on the same test rows
    expect(v.baselines.rows[0]!.mae).toBeCloseTo(test.mae, 5);
    let ae = 0;
    for (let t = v.valEnd; t < 1000; t++) ae += Math.abs(v.actual[t - 1]! - v.actual[t]!);
    expect(v.baselines.rows[1]!.mae).toBeCloseTo(ae / 100, 6);
  });

  it('computes the k-step errors for k = 1, 4, 16, 64, growing with k as d2l describes', async () => {
    const v = await service.view(projectDir, trainedRun);
    expect(v.kStep!.k).toEqual([1, 4, 16, 64]);
    expect(v.kStep!.mse[3]!).toBeGreaterThan(v.kStep!.mse[0]!);
    expect(v.kStepNote).toBeNull();
  });

  it('refuses a queued run with no checkpoint in words', async () => {
    const created = await service.create(projectDir, { task: 'forecast', datasetId: csvId, target: 'x' });
    const e = await refusal(service.view(projectDir, created.id));
    expect(e.code).toBe('NoCheckpoint');
    expect(e.message).toMatch(/no checkpoint yet/);
  });
});

describe('ForecastService.future and export', () => {
  it('forecasts past the end exactly as rnn-lab forecast does', async () => {
    const f = await service.future(projectDir, trainedRun, 12);
    const out: string[] = [];
    expect(await main(['forecast', '--project', projectDir, '--run', trainedRun, '--steps', '12', '--json'], { out: (s) => out.push(s), err: () => {} })).toBe(0);
    const cli = JSON.parse(out.at(-1)!) as { index: number[]; forecast: number[] };
    expect(f.index).toEqual(cli.index);
    expect(f.index[0]).toBe(1000);
    f.forecast.forEach((v, i) => expect(v).toBeCloseTo(cli.forecast[i]!, 10));
  });

  it('forecasts recursively from a row inside the series: the first value is that row\'s one-step prediction; rows outside are refused in words', async () => {
    const view = await service.view(projectDir, trainedRun);
    const f = await service.future(projectDir, trainedRun, 8, 600);
    expect(f.index).toEqual([600, 601, 602, 603, 604, 605, 606, 607]);
    expect(f.forecast[0]).toBeCloseTo(view.predicted[600]!, 5);
    // the second value reads the first prediction, not the observed row 600
    expect(f.forecast[1]).not.toBeCloseTo(view.predicted[601]!, 6);
    for (const bad of [3, 1001]) {
      const e = await refusal(service.future(projectDir, trainedRun, 2, bad));
      expect(e.code).toBe('OriginOutOfRange');
      expect(e.message).toMatch(new RegExp(`row 4 at the earliest .* row 1000 .*; ${bad} is outside`));
    }
  });

  it('exports safetensors with its config.json, and ONNX; refuses the text-only formats', async () => {
    const out = mkdtempSync(join(tmpdir(), 'rnnlab-forecast-export-'));
    const st = await service.export({ projectDir, runId: trainedRun, checkpoint: null, format: 'safetensors', out: join(out, 'm.safetensors') });
    expect(st.files.map((f) => f.path)).toEqual([join(out, 'm.safetensors'), join(out, 'm.config.json')]);
    expect(JSON.parse(readFileSync(join(out, 'm.config.json'), 'utf8'))).toMatchObject({ format: 'rnnlab.forecast', window: 4, input_size: 1 });
    const onnx = await service.export({ projectDir, runId: trainedRun, checkpoint: null, format: 'onnx', out: join(out, 'm.onnx') });
    expect(onnx.files[0]!.bytes).toBeGreaterThan(100);
    const e = await refusal(service.export({ projectDir, runId: trainedRun, checkpoint: null, format: 'html', out: join(out, 'm.html') }));
    expect(e.code).toBe('UnsupportedFormat');
    expect(existsSync(join(out, 'm.html'))).toBe(false);
    expect(readdirSync(out).sort()).toEqual(['m.config.json', 'm.onnx', 'm.safetensors']);
  });
});

describe('forecast channels', () => {
  it('forecast:get answers the config, metric records and checkpoints; runs:list marks the run as a forecast run', async () => {
    const h = createDataHandlers({ fs, emit: () => {} });
    const detail = await h['forecast:get']({ projectDir, runId: trainedRun });
    expect(detail.config).toMatchObject({ task: 'forecast', target: 'x' });
    // one checkpoint per epoch of the 2 trained, and the validation records in original units beside the baseline
    expect(detail.checkpoints.map((c) => c.epoch)).toEqual([1, 2]);
    const val = detail.metrics.filter((m) => m.kind === 'val');
    expect(val).toHaveLength(2);
    expect(val.every((m) => typeof m.mae === 'number' && typeof m.baselineMae === 'number')).toBe(true);
    expect(detail.datasetName).toBe('d2l-series.csv');
    const listed = await h['runs:list']({ projectDir });
    expect(listed.find((r) => r.id === trainedRun)?.task).toBe('forecast');
  });
});
