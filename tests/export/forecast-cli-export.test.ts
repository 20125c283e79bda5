/**
 * `rnn-lab export` on a forecast run trained by the CLI: the files land where a text export's
 * would (folder or NAME.safetensors), and PyTorch and ONNX Runtime, fed the series' last window,
 * predict the same next value as `rnn-lab forecast --steps 1`.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/index';
import type { ForecastConfigJson } from '../../src/engine/export';
import { ModelProto } from '../../src/engine/export/onnx-proto';
import { python } from './torch-runner';

const FORECAST_FIXTURES = resolve(import.meta.dirname, '../fixtures/forecast');

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err: err.join('\n') };
}

let root: string;
let series: string;
let project: string;
let runId: string;
/** `rnn-lab forecast --steps 1`: the next value after the series, in original units. */
let expected: number;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'rnnlab-forecast-export-'));
  series = join(root, 'series.csv');
  expect((await run(['demo-series', '--out', series, '--seed', '5'])).code).toBe(0);
  project = join(root, 'p.rnnlab');
  const trained = await run(['train', '--task', 'forecast', '--data', series, '--target', 'x', '--window', '5', '--cell', 'lstm', '--hidden', '8', '--epochs', '1', '--seed', '2', '--project', project, '--json']);
  expect(trained.err).toBe('');
  expect(trained.code).toBe(0);
  runId = (JSON.parse(trained.out[0]!) as { run: string }).run;
  const f = await run(['forecast', '--project', project, '--run', runId, '--steps', '1', '--json']);
  expect(f.code).toBe(0);
  expected = (JSON.parse(f.out[0]!) as { forecast: number[] }).forecast[0]!;
}, 120_000);

/** The last `window` values of the demo CSV's x column, read independently of the importer. */
function lastWindow(window: number): number[] {
  return readFileSync(series, 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[1])).slice(-window);
}

const exportArgs = (format: string, out: string) => ['export', '--project', project, '--run', runId, '--format', format, '--out', out];

describe('rnn-lab export on a forecast run', () => {
  it('safetensors to a folder writes model.safetensors + config.json; PyTorch predicts what rnn-lab forecast --steps 1 does', async () => {
    const dir = join(root, 'torch-export');
    const r = await run(exportArgs('safetensors', dir));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.map((l) => l.split('  ')[0])).toEqual([join(dir, 'model.safetensors'), join(dir, 'config.json')]);
    expect(existsSync(join(dir, 'vocab.json'))).toBe(false);
    const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as ForecastConfigJson;
    expect(cfg).toMatchObject({ format: 'rnnlab.forecast', cell: 'lstm', hidden_size: 8, input_size: 1, window: 5, horizon: 1 });
    expect(cfg.normalization.feature_names).toEqual(['x']);

    const raw = lastWindow(cfg.window);
    const { mean, std } = cfg.normalization;
    const x = raw.map((v) => (v - mean[0]!) / std[0]!);
    writeFileSync(join(root, 'jobs.json'), JSON.stringify([{ dir, seq: cfg.window, batch: 1, x, raw }]));
    python('forecast_torch.py', [join(root, 'jobs.json'), join(root, 'out.json')], FORECAST_FIXTURES);
    const [torch] = JSON.parse(readFileSync(join(root, 'out.json'), 'utf8')) as Array<{ y_original: number[] }>;
    expect(torch!.y_original).toHaveLength(1);
    expect(Math.abs(torch!.y_original[0]! - expected)).toBeLessThan(1e-4);
  }, 120_000);

  it('safetensors to NAME.safetensors writes NAME.config.json beside it, and refuses a config that belongs to something else', async () => {
    const dir = join(root, 'named');
    const r = await run(exportArgs('safetensors', join(dir, 'sine.safetensors')));
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'sine.safetensors'))).toBe(true);
    expect((JSON.parse(readFileSync(join(dir, 'sine.config.json'), 'utf8')) as ForecastConfigJson).format).toBe('rnnlab.forecast');
    // exporting again over the same weights file replaces both
    expect((await run(exportArgs('safetensors', join(dir, 'sine.safetensors')))).code).toBe(0);

    const foreign = join(root, 'foreign');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'config.json'), '{"mine": true}');
    const refused = await run(exportArgs('safetensors', foreign));
    expect(refused.code).not.toBe(0);
    expect(refused.err).toMatch(/"config\.json" already exists .*not part of an earlier export of model\.safetensors/);
    expect(readFileSync(join(foreign, 'config.json'), 'utf8')).toBe('{"mine": true}');
    expect(existsSync(join(foreign, 'model.safetensors'))).toBe(false);
  });

  it("onnx writes the .onnx file; ONNX Runtime's y on the last window, denormalised, is rnn-lab forecast --steps 1", async () => {
    const out = join(root, 'sine.onnx');
    const r = await run(exportArgs('onnx', out));
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(1);
    const bytes = readFileSync(out);
    // the normalisation travels inside the .onnx file (metadata_props), so it alone is enough
    const decoded = ModelProto.toObject(ModelProto.decode(bytes)) as { metadata_props: Array<{ key: string; value: string }> };
    const cfg = JSON.parse(decoded.metadata_props.find((p) => p.key === 'rnnlab.config')!.value) as ForecastConfigJson;
    const session = await ort.InferenceSession.create(bytes);
    const { mean, std } = cfg.normalization;
    const x = lastWindow(cfg.window).map((v) => (v - mean[0]!) / std[0]!);
    const zeros = () => new ort.Tensor('float32', new Float32Array(cfg.num_layers * cfg.hidden_size), [cfg.num_layers, 1, cfg.hidden_size]);
    const result = await session.run({ x: new ort.Tensor('float32', Float32Array.from(x), [cfg.window, 1, 1]), h0: zeros(), c0: zeros() });
    const y = (result.y!.data as Float32Array)[0]! * std[0]! + mean[0]!;
    expect(Math.abs(y - expected)).toBeLessThan(1e-4);
  });

  it('refuses json and html in words, with exit code 2, writing nothing', async () => {
    for (const format of ['json', 'html']) {
      const out = join(root, `refused.${format}`);
      const r = await run(exportArgs(format, out));
      expect(r.code).toBe(2);
      expect(r.err).toContain(`forecast run, which exports as safetensors or onnx, not ${format}`);
      expect(existsSync(out)).toBe(false);
    }
  });

  it('refuses "Train elsewhere" for a forecast run in words, writing nothing', async () => {
    const out = join(root, 'refused-pytorch-run');
    const r = await run(exportArgs('pytorch-run', out));
    expect(r.code).toBe(1);
    expect(r.err).toContain('Train elsewhere exports language-model (text) runs');
    expect(existsSync(out)).toBe(false);
  });
});
