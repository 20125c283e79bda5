import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { ExportError, exportForecaster, type ForecastConfigJson, type ForecastExportMeta } from '../../src/engine/export';
import { ModelProto } from '../../src/engine/export/onnx-proto';
import {
  applyZScore, D2L_SERIES, d2lSineSeries, denormalize, fitZScore, ForecastModel, headSize, SeriesWindows, splitWindows, trainForecaster,
  type ForecastConfig,
} from '../../src/engine/forecast';
import { Rng } from '../../src/engine/rng';
import { maxAbsDiff } from './helpers';
import { python } from './torch-runner';

const FORECAST_FIXTURES = resolve(import.meta.dirname, '../fixtures/forecast');

interface Case {
  label: string;
  model: ForecastModel<Float32Array>;
  meta: ForecastExportMeta;
  /** Windows in original units and normalised, time-major (seq, batch, features). */
  raw: Float32Array;
  x: Float32Array;
  seq: number;
  batch: number;
}

/** Engine prediction (batch, outputs) and final state of `x` from a zero state. */
function engineRun(model: ForecastModel<Float32Array>, x: Float32Array, seq: number, batch: number) {
  const ws = model.createWorkspace(seq, batch);
  const state = model.createState(batch);
  ws.forward(x, { final: state });
  return { y: ws.predictions.slice(), h: state.h.slice(), c: state.c ? state.c.slice() : null };
}

/** Windows of `starts` cut from a feature-major series, time-major. */
function cut(values: Float32Array, F: number, T: number, window: number, targets: number[], starts: number[]): Float32Array {
  const out = new Float32Array(window * starts.length * F);
  new SeriesWindows(values, F, T, window, targets).fill(starts, 0, starts.length, out, null);
  return out;
}

/** A random forecaster over a random 3-feature series with distinct offsets and scales per feature. */
function randomCase(cell: ForecastConfig['cell'], numLayers: number, seed: number, horizon = 1): Case {
  const rng = new Rng(seed);
  const F = 3, T = 80, trainEnd = 56, window = 7, targets = [2, 0];
  const series = new Float32Array(F * T);
  for (let f = 0; f < F; f++) for (let t = 0; t < T; t++) series[f * T + t] = 5 * (f - 1) + (f + 1) * (Math.sin(0.3 * t + f) + rng.normal(0, 0.3));
  const normalization = fitZScore(series, F, T, trainEnd);
  const model = new ForecastModel({ cell, inputSize: F, outputSize: targets.length, horizon, hiddenSize: 9, numLayers, nonlinearity: 'tanh', dropout: numLayers > 1 ? 0.2 : 0 }, { dtype: Float32Array, rng });
  // weights larger than PyTorch's default init so the gates leave their linear range
  for (const t of model.params.values()) for (let i = 0; i < t.data.length; i++) t.data[i] = t.data[i]! * 3;
  const starts = [0, 31, 60, 73];
  return {
    label: `${cell} ×${numLayers}${horizon > 1 ? `, horizon ${horizon}` : ''}`, model, meta: { window, horizon, normalization, targets, featureNames: ['a', 'b', 'c'] },
    raw: cut(series, F, T, window, targets, starts), x: cut(applyZScore(series, F, T, normalization), F, T, window, targets, starts), seq: window, batch: starts.length,
  };
}

/** A GRU trained for a few epochs on the d2l sine series (τ = 4, first 600 steps for training). */
function trainedD2lCase(): Case {
  const rng = new Rng(2024);
  const { length: T, window, trainSize } = D2L_SERIES;
  const series = d2lSineSeries(rng);
  const normalization = fitZScore(series, 1, T, trainSize);
  const values = applyZScore(series, 1, T, normalization);
  const windows = new SeriesWindows(values, 1, T, window);
  const model = new ForecastModel({ cell: 'gru', inputSize: 1, outputSize: 1, hiddenSize: 16, numLayers: 1, nonlinearity: 'tanh', dropout: 0 }, { dtype: Float32Array, rng });
  trainForecaster(model, windows, splitWindows(T, window, trainSize).train, { epochs: 3, batchSize: 16, optimizer: { kind: 'adam', lr: 0.01 }, rng });
  const starts = [596, 700, 850, 995];
  return {
    label: 'gru ×1 trained on the d2l series', model, meta: { window, horizon: 1, normalization, targets: [0] },
    raw: cut(series, 1, T, window, [0], starts), x: cut(values, 1, T, window, [0], starts), seq: window, batch: starts.length,
  };
}

const VARIANTS = (['rnn', 'gru', 'lstm'] as const).flatMap((cell) => [1, 2].map((numLayers) => ({ cell, numLayers })));

function makeCases(): Case[] {
  // horizon > 1: the head outputs targets × horizon values, y[b, j·H + h]
  const multiStep = [randomCase('gru', 2, 60, 3), randomCase('lstm', 1, 61, 4), randomCase('rnn', 2, 62, 2)];
  return [...VARIANTS.map((v, i) => randomCase(v.cell, v.numLayers, 40 + i)), trainedD2lCase(), ...multiStep];
}

interface TorchForecast {
  y: number[];
  hn: number[];
  cn: number[] | null;
  y_original: number[];
}

describe('forecaster PyTorch export loaded by real PyTorch', () => {
  const cases = makeCases();
  const dirs: string[] = [];
  let results: TorchForecast[];

  beforeAll(() => {
    const root = mkdtempSync(join(tmpdir(), 'rnnlab-forecast-export-'));
    const jobs = cases.map((c, i) => {
      const dir = join(root, String(i));
      mkdirSync(dir);
      for (const file of exportForecaster(c.model, c.meta, 'pytorch')) writeFileSync(join(dir, file.name), file.bytes);
      dirs.push(dir);
      return { dir, seq: c.seq, batch: c.batch, x: Array.from(c.x), raw: Array.from(c.raw) };
    });
    writeFileSync(join(root, 'jobs.json'), JSON.stringify(jobs));
    python('forecast_torch.py', [join(root, 'jobs.json'), join(root, 'out.json')], FORECAST_FIXTURES);
    results = JSON.parse(readFileSync(join(root, 'out.json'), 'utf8')) as TorchForecast[];
  }, 120_000);

  cases.forEach((c, i) => {
    it(`loads with strict=True and gives the engine's predictions and final state within 1e-5 (${c.label})`, () => {
      const ours = engineRun(c.model, c.x, c.seq, c.batch);
      expect(results[i]!.y).toHaveLength(c.batch * headSize(c.model.config));
      expect(maxAbsDiff(results[i]!.y, ours.y)).toBeLessThan(1e-5);
      expect(maxAbsDiff(results[i]!.hn, ours.h)).toBeLessThan(1e-5);
      if (c.model.config.cell === 'lstm') expect(maxAbsDiff(results[i]!.cn!, ours.c!)).toBeLessThan(1e-5);
      else expect(results[i]!.cn).toBeNull();
    });

    it(`config.json's normalisation turns raw windows into the engine's predictions in original units (${c.label})`, () => {
      const ours = engineRun(c.model, c.x, c.seq, c.batch);
      const O = c.model.config.outputSize, Hz = c.meta.horizon;
      const { normalization: norm, targets } = c.meta;
      // output k of a row is target ⌊k / horizon⌋
      const target = (k: number) => targets[Math.floor((k % (O * Hz)) / Hz)]!;
      const expected = Array.from(ours.y, (v, k) => denormalize(v, target(k), norm));
      const got = results[i]!.y_original;
      expect(got).toHaveLength(expected.length);
      for (let k = 0; k < expected.length; k++) {
        // 1e-5 in normalised units, i.e. relative to the target's spread
        expect(Math.abs(got[k]! - expected[k]!) / norm.std[target(k)]!).toBeLessThan(1e-5);
      }
      const config = JSON.parse(readFileSync(join(dirs[i]!, 'config.json'), 'utf8')) as ForecastConfigJson;
      expect(config).toMatchObject({
        format: 'rnnlab.forecast', cell: c.model.config.cell, input_size: c.model.config.inputSize, output_size: O,
        hidden_size: c.model.config.hiddenSize, num_layers: c.model.config.numLayers, nonlinearity: 'tanh', dropout: c.model.config.dropout,
        window: c.meta.window, horizon: Hz, head_size: O * Hz, output_units: 'normalized',
        normalization: { kind: 'zscore', mean: norm.mean, std: norm.std, targets },
      });
    });
  });
});

describe('forecaster ONNX export run by ONNX Runtime', () => {
  const cases = makeCases();
  const SPLIT = 3;

  /** Rows of time steps [from, to) of a time-major (seq, batch, F) array. */
  const steps = (x: Float32Array, batch: number, F: number, from: number, to: number) => x.slice(from * batch * F, to * batch * F);

  cases.forEach((c) => {
    it(`gives the engine's predictions and state within 1e-5, also when fed its own hn/cn for a second chunk (${c.label})`, async () => {
      const [file] = exportForecaster(c.model, c.meta, 'onnx');
      expect(file!.name).toBe('model.onnx');
      const session = await ort.InferenceSession.create(file!.bytes);
      const { numLayers: L, hiddenSize: H, inputSize: F, cell } = c.model.config;
      const O = headSize(c.model.config);
      const B = c.batch;
      const zeros = () => new ort.Tensor('float32', new Float32Array(L * B * H), [L, B, H]);
      const feeds = (x: Float32Array, state: Record<string, ort.Tensor>) => ({ x: new ort.Tensor('float32', x, [x.length / (B * F), B, F]), ...state });
      const zeroState: Record<string, ort.Tensor> = cell === 'lstm' ? { h0: zeros(), c0: zeros() } : { h0: zeros() };

      const ours = engineRun(c.model, c.x, c.seq, B);
      const whole = await session.run(feeds(c.x, zeroState));
      expect(whole.y!.dims).toEqual([B, O]);
      expect(maxAbsDiff(whole.y!.data as Float32Array, ours.y)).toBeLessThan(1e-5);
      expect(maxAbsDiff(whole.hn!.data as Float32Array, ours.h)).toBeLessThan(1e-5);
      if (cell === 'lstm') expect(maxAbsDiff(whole.cn!.data as Float32Array, ours.c!)).toBeLessThan(1e-5);

      const first = await session.run(feeds(steps(c.x, B, F, 0, SPLIT), zeroState));
      const carried: Record<string, ort.Tensor> = cell === 'lstm' ? { h0: first.hn!, c0: first.cn! } : { h0: first.hn! };
      const second = await session.run(feeds(steps(c.x, B, F, SPLIT, c.seq), carried));
      expect(maxAbsDiff(second.y!.data as Float32Array, ours.y)).toBeLessThan(1e-5);
      expect(maxAbsDiff(second.hn!.data as Float32Array, ours.h)).toBeLessThan(1e-5);
      if (cell === 'lstm') expect(maxAbsDiff(second.cn!.data as Float32Array, ours.c!)).toBeLessThan(1e-5);
      // the first chunk alone is a shorter window: the engine agrees on it too
      const short = engineRun(c.model, steps(c.x, B, F, 0, SPLIT), SPLIT, B);
      expect(maxAbsDiff(first.y!.data as Float32Array, short.y)).toBeLessThan(1e-5);
      await session.release();
    });
  });

  it('carries the config.json contents (window, horizon, normalisation) in metadata_props', () => {
    const c = cases[0]!;
    const [file] = exportForecaster(c.model, c.meta, 'onnx');
    const decoded = ModelProto.toObject(ModelProto.decode(file!.bytes)) as { metadata_props: Array<{ key: string; value: string }> };
    const config = JSON.parse(decoded.metadata_props.find((p) => p.key === 'rnnlab.config')!.value) as ForecastConfigJson;
    const [, configFile] = exportForecaster(c.model, c.meta, 'pytorch');
    expect(config).toEqual(JSON.parse(new TextDecoder().decode(configFile!.bytes)));
  });
});

describe('forecaster export refusals', () => {
  const c = randomCase('gru', 1, 5);

  it('refuses metadata that does not fit the model, naming the field', () => {
    const bad: Array<[Partial<ForecastExportMeta>, string]> = [
      [{ window: 0 }, 'window'],
      [{ horizon: 1.5 }, 'horizon'],
      [{ horizon: 2 }, 'horizon'], // the model predicts 1 step
      [{ targets: [0] }, 'targets'],
      [{ targets: [0, 3] }, 'targets'],
      [{ normalization: { mean: [0, 0], std: [1, 1] } }, 'normalization'],
      [{ normalization: { mean: [0, 0, 0], std: [1, 0, 1] } }, 'normalization.std'],
      [{ featureNames: ['a'] }, 'featureNames'],
    ];
    for (const [patch, field] of bad) {
      for (const format of ['pytorch', 'onnx'] as const) {
        let error: unknown;
        try { exportForecaster(c.model, { ...c.meta, ...patch }, format); } catch (e) { error = e; }
        expect(error).toBeInstanceOf(ExportError);
        expect((error as ExportError).details).toMatchObject({ field });
        expect((error as ExportError).message).toContain(field);
      }
    }
  });

  it('refuses a diverged model and an unknown format', () => {
    const broken = randomCase('lstm', 2, 6);
    broken.model.param('rnn.weight_hh_l1')[4] = NaN;
    expect(() => exportForecaster(broken.model, broken.meta, 'onnx')).toThrow(/rnn\.weight_hh_l1.*index 4/);
    expect(() => exportForecaster(broken.model, broken.meta, 'pytorch')).toThrow(/rnn\.weight_hh_l1/);
    expect(() => exportForecaster(c.model, c.meta, 'html' as 'onnx')).toThrow(/html/);
  });

  it('is deterministic: the same model and metadata give the same bytes', () => {
    for (const format of ['pytorch', 'onnx'] as const) {
      const a = exportForecaster(c.model, c.meta, format), b = exportForecaster(c.model, c.meta, format);
      expect(a.map((f) => f.name)).toEqual(b.map((f) => f.name));
      a.forEach((f, i) => expect(Buffer.from(f.bytes).equals(Buffer.from(b[i]!.bytes))).toBe(true));
    }
  });
});
