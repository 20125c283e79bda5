import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/index';
import { NodeFileSystem } from '../../src/core/fs/node-file-system';
import { listCheckpoints, loadCheckpoint } from '../../src/core/store/checkpoints';
import { METRICS_LOG, runFile } from '../../src/core/store/layout';
import { LOCK_DIR } from '../../src/core/store/project-lock';
import { readLog } from '../../src/core/store/record-log';
import { readRun, readRunConfig } from '../../src/core/store/runs';
import { corpus } from '../core/training-fixtures';
import { loadForecastRun } from '../../src/core/forecast/forecast-run';
import { recursiveForecast, WindowPredictor } from '../../src/engine/forecast/evaluate';

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err: err.join('\n'), json: () => out.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const MODEL = ['--cell', 'gru', '--hidden', '16', '--epochs', '5', '--lr', '0.01', '--batch', '16', '--seed', '3'];

let root: string;
let series: string;
let project: string;
let runId: string;
let lines: Record<string, unknown>[];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'rnnlab-forecast-'));
  series = join(root, 'series.csv');
  expect((await run(['demo-series', '--out', series, '--seed', '7'])).code).toBe(0);
  project = join(root, 'p.rnnlab');
  const r = await run(['train', '--task', 'forecast', '--data', series, '--target', 'x', '--window', '4', ...MODEL, '--project', project, '--json']);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  lines = r.json();
  runId = lines[0]!.run as string;
}, 120_000);

/** The demo CSV's x column, parsed independently of the importer. */
function demoValues(): number[] {
  return readFileSync(series, 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[1]));
}

describe('rnn-lab demo-series', () => {
  it("writes d2l's series: header t,x, t = 1…1000, x = sin(0.01 t) plus noise of std 0.2, the same for the same seed", async () => {
    const text = readFileSync(series, 'utf8');
    const rows = text.trim().split('\n');
    expect(rows[0]).toBe('t,x');
    expect(rows).toHaveLength(1001);
    const t = rows.slice(1).map((l) => Number(l.split(',')[0]));
    expect(t).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    const noise = demoValues().map((x, i) => x - Math.sin(0.01 * t[i]!));
    const mean = noise.reduce((a, b) => a + b, 0) / noise.length;
    const std = Math.sqrt(noise.reduce((a, b) => a + (b - mean) ** 2, 0) / noise.length);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(std).toBeGreaterThan(0.18);
    expect(std).toBeLessThan(0.22);

    const again = join(root, 'again.csv'), other = join(root, 'other.csv');
    expect((await run(['demo-series', '--out', again, '--seed', '7'])).code).toBe(0);
    expect((await run(['demo-series', '--out', other, '--seed', '8'])).code).toBe(0);
    expect(readFileSync(again, 'utf8')).toBe(text);
    expect(readFileSync(other, 'utf8')).not.toBe(text);
  });

  it('refuses to overwrite a file', async () => {
    const r = await run(['demo-series', '--out', series]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--out: .*series\.csv already exists/);
  });
});

describe('rnn-lab train --task forecast', () => {
  it('prints epoch records in original units and ends near the 0.04 noise floor, below the last-value baseline', () => {
    const epochs = lines.filter((l) => l.type === 'epoch');
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5]);
    for (const e of epochs) expect(Object.keys(e).sort()).toEqual(['baseline_val_mae', 'epoch', 'train_loss', 'type', 'val_mae', 'val_mse']);
    const summary = lines.at(-1)!;
    expect(summary.type).toBe('summary');
    const valMse = summary.val_mse as number;
    expect(valMse).toBe(epochs.at(-1)!.val_mse);
    expect(valMse).toBeGreaterThan(0.03); // cannot beat the noise by much
    expect(valMse).toBeLessThan(0.08);
    expect(valMse).toBeLessThan(summary.baseline_val_mse as number);
    expect(summary.val_mae as number).toBeLessThan(summary.baseline_val_mae as number);
    expect(summary.test_mse as number).toBeLessThan(summary.baseline_test_mse as number);
  });

  it('reports the last-value baseline on the validation rows 700…899, in original units', () => {
    const x = demoValues();
    let ae = 0;
    for (let t = 700; t < 900; t++) ae += Math.abs(x[t]! - x[t - 1]!);
    const epoch = lines.find((l) => l.type === 'epoch')!;
    expect(epoch.baseline_val_mae as number).toBeCloseTo(ae / 200, 5);
  });

  it('stores the run like a text run: config.json (task forecast), run.json done, metrics.log, a checkpoint per epoch with the training-split normalisation', async () => {
    const fs = new NodeFileSystem();
    const config = await readRunConfig(fs, project, runId);
    expect(config).toMatchObject({ task: 'forecast', target: 'x', covariates: [], window: 4, cell: 'gru', hiddenSize: 16, epochs: 5 });
    expect((await readRun(fs, project, runId)).state).toBe('done');
    const log = await readLog(fs, runFile(project, runId, METRICS_LOG));
    const records = log.records as { kind: string; epoch: number; step: number }[];
    expect(records.filter((r) => r.kind === 'epoch').map((r) => r.epoch)).toEqual([1, 2, 3, 4, 5]);
    expect(records.filter((r) => r.kind === 'val').map((r) => r.epoch)).toEqual([1, 2, 3, 4, 5]);
    expect(records.filter((r) => r.kind === 'train').length).toBeGreaterThanOrEqual(5 * 14); // a record every 3 updates
    // 700 training rows → 696 windows → 44 minibatches of 16 per epoch; a checkpoint at the end of each
    const { checkpoints } = await listCheckpoints(fs, project, runId);
    expect(checkpoints.map((c) => c.step)).toEqual([44, 88, 132, 176, 220]);
    const bundle = await loadCheckpoint(fs, project, runId, checkpoints.at(-1)!.name);
    expect([...bundle.tensors.keys()].filter((k) => !k.startsWith('optim.'))).toEqual(['rnn.weight_ih_l0', 'rnn.weight_hh_l0', 'rnn.bias_ih_l0', 'rnn.bias_hh_l0', 'head.weight', 'head.bias']);
    const train = demoValues().slice(0, 700).map(Math.fround);
    const mean = train.reduce((a, b) => a + b, 0) / 700;
    const std = Math.sqrt(train.reduce((a, b) => a + (b - mean) ** 2, 0) / 700);
    expect(bundle.state).toMatchObject({ task: 'forecast', features: ['x'], window: 4, horizon: 1, targets: [0], trainEnd: 700, valEnd: 900 });
    const norm = (bundle.state as { normalization: { mean: number[]; std: number[] } }).normalization;
    expect(norm.mean[0]).toBeCloseTo(mean, 9);
    expect(norm.std[0]).toBeCloseTo(std, 9);
  });

  it('is listed by rnn-lab runs as a finished forecast run', async () => {
    const r = await run(['runs', '--project', project, '--json']);
    expect(r.code).toBe(0);
    const listed = r.json().find((l) => l.id === runId)!;
    expect(listed).toMatchObject({ state: 'done', name: 'forecast x' });
    expect(listed.message).toBe('Finished 5 epochs (update 220).');
  });
});

describe('rnn-lab evaluate / forecast', () => {
  it("evaluate gives d2l's k-step MSE on the validation and test part, growing with k", async () => {
    const r = await run(['evaluate', '--project', project, '--run', runId, '--k', '1,4,16,64', '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const out = r.json()[0]!;
    expect(out.k).toEqual([1, 4, 16, 64]);
    const mse = out.mse as number[];
    expect(mse).toHaveLength(4);
    for (let i = 1; i < 4; i++) expect(mse[i]).toBeGreaterThan(mse[i - 1]!);
    expect(mse[0]).toBeLessThan(0.08);
    expect(out.from).toBe(700);
  });

  it('forecast returns N recursive values in original units, past the end by default or from a chosen row', async () => {
    const r = await run(['forecast', '--project', project, '--run', runId, '--steps', '7', '--json']);
    expect(r.code).toBe(0);
    const out = r.json()[0]!;
    expect(out.index).toEqual([1000, 1001, 1002, 1003, 1004, 1005, 1006]);
    const values = out.forecast as number[];
    expect(values).toHaveLength(7);
    for (const v of values) expect(Math.abs(v)).toBeLessThan(2);

    const mid = (await run(['forecast', '--project', project, '--run', runId, '--steps', '3', '--from', '600', '--json'])).json()[0]!;
    expect(mid.index).toEqual([600, 601, 602]);
    // one step after row 599 the model tracks the sine: within a few noise std of sin(0.01·601)
    expect(Math.abs((mid.forecast as number[])[0]! - Math.sin(6.01))).toBeLessThan(0.3);
    // recursion: the second value depends on the first, so starting one row later differs from it
    const later = (await run(['forecast', '--project', project, '--run', runId, '--steps', '1', '--from', '601', '--json'])).json()[0]!;
    expect((later.forecast as number[])[0]).not.toBe((mid.forecast as number[])[1]);
  });

  it('forecast from a horizon-2 run feeds both predicted steps back, as the engine\'s recursive forecast does', async () => {
    const p2 = join(root, 'h2.rnnlab');
    const trained = await run(['train', '--task', 'forecast', '--data', series, '--target', 'x', '--window', '4', '--horizon', '2', ...MODEL, '--project', p2, '--json']);
    expect(trained.err).toBe('');
    expect(trained.code).toBe(0);
    const id = trained.json()[0]!.run as string;
    const out = (await run(['forecast', '--project', p2, '--run', id, '--steps', '6', '--from', '600', '--json'])).json()[0]!;
    const loaded = await loadForecastRun(new NodeFileSystem(), p2, id);
    const expected = recursiveForecast(loaded.model, loaded.windows, loaded.norm, 600, 6);
    expect(out.index).toEqual(expected.index);
    expect(out.forecast).toEqual(Array.from(expected.forecast));
    // the second value is the model's own 2-step-ahead output from the observed window, not a one-step prediction fed back
    const x = new Float32Array(4);
    loaded.windows.fill([596], 0, 1, x, null);
    const direct = new WindowPredictor(loaded.model, 4).predict(x, 1);
    expect((out.forecast as number[])[1]).toBeCloseTo(direct[1]! * loaded.norm.std[0]! + loaded.norm.mean[0]!, 10);
  });

  it('refuses bad --k, --steps and --from with the flag named', async () => {
    const k = await run(['evaluate', '--project', project, '--run', runId, '--k', '1,0']);
    expect(k.code).toBe(2);
    expect(k.err).toMatch(/--k: must be positive whole numbers/);
    const steps = await run(['forecast', '--project', project, '--run', runId, '--steps', '0']);
    expect(steps.code).toBe(2);
    expect(steps.err).toMatch(/--steps: must be a whole number/);
    const from = await run(['forecast', '--project', project, '--run', runId, '--steps', '2', '--from', '2']);
    expect(from.code).toBe(2);
    expect(from.err).toMatch(/--from: must be a row index in 4\.\.1000/);
    const missing = await run(['evaluate', '--project', project, '--run', 'run-20200101-000000-abcdef']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/--run: no run/);
  });

  it('generate and score refuse a forecast run in words, naming the commands that work on it', async () => {
    for (const argv of [
      ['generate', '--project', project, '--run', runId, '--prefix', 'a', '--length', '5'],
      ['score', '--project', project, '--run', runId, '--text', 'a b'],
    ]) {
      const r = await run(argv);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`--run: ${runId} is a forecast run; this command works on text runs (rnn-lab evaluate and rnn-lab forecast work on forecast runs)`);
    }
    expect((await readRun(new NodeFileSystem(), project, runId)).state).toBe('done');
  });

  it('trains with a covariate as a second input; evaluate and forecast refuse it (they feed predictions back in)', async () => {
    const cp = join(root, 'covariate.rnnlab');
    const r = await run(['train', '--task', 'forecast', '--data', series, '--target', 'x', '--covariates', 't', '--project', cp, '--hidden', '8', '--epochs', '1', '--json']);
    expect(r.code).toBe(0);
    const lines = r.json();
    expect(lines[0]!.config).toMatchObject({ target: 'x', covariates: ['t'] });
    const id = lines[0]!.run as string;
    const bundle = await loadCheckpoint(new NodeFileSystem(), cp, id, (await listCheckpoints(new NodeFileSystem(), cp, id)).checkpoints[0]!.name);
    expect(bundle.tensors.get('rnn.weight_ih_l0')!.shape).toEqual([24, 2]); // GRU: 3·hidden rows, 2 input features
    for (const argv of [['evaluate', '--project', cp, '--run', id], ['forecast', '--project', cp, '--run', id, '--steps', '2']]) {
      const refused = await run(argv);
      expect(refused.code).toBe(2);
      expect(refused.err).toMatch(/has covariates; .* feeds? predictions back in/);
    }
  });

  it('refuses a text run', async () => {
    const text = join(root, 'corpus.txt');
    writeFileSync(text, corpus(2400, 11));
    const tp = join(root, 'text.rnnlab');
    expect((await run(['train', '--data', text, '--project', tp, '--cell', 'gru', '--hidden', '8', '--steps', '8', '--batch', '4', '--epochs', '1'])).code).toBe(0);
    const id = readdirSync(join(tp, 'runs'))[0]!;
    const r = await run(['evaluate', '--project', tp, '--run', id]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--run: Run .* is a text run; this works on forecast runs only/);
  }, 60_000);
});

describe('refusals of train --task forecast', () => {
  let n = 0;
  /** Runs train on `csv` into a fresh folder: exit 2, and the folder never appears. */
  const refuse = async (csv: string, flags: string[]) => {
    const data = join(root, `bad-${++n}.csv`);
    writeFileSync(data, csv);
    const dir = join(root, `refused-${n}.rnnlab`);
    const r = await run(['train', '--task', 'forecast', '--data', data, '--project', dir, '--epochs', '1', ...flags]);
    expect(r.code).toBe(2);
    expect(existsSync(dir)).toBe(false); // nothing half-created
    return r.err;
  };
  const rows = (n: number) => ['t,x,city', ...Array.from({ length: n }, (_, i) => `${i},${Math.sin(i)},c${i}`)].join('\n');

  it('an unknown --target, naming the numeric columns', async () => {
    expect(await refuse(rows(50), ['--target', 'y'])).toMatch(/--target: There is no column "y" in the data \(numeric columns: t, x\)/);
  });

  it('a text column as --target or covariate', async () => {
    expect(await refuse(rows(50), ['--target', 'city'])).toMatch(/--target: Column "city" is not numeric/);
    expect(await refuse(rows(50), ['--target', 'x', '--covariates', 'city'])).toMatch(/--covariates: Column "city" is not numeric/);
  });

  it('a file with no numeric column', async () => {
    expect(await refuse('name,city\nann,rome\nbob,oslo\n', ['--target', 'name'])).toMatch(/--data: .* has no numeric column/);
  });

  it('fewer rows than window + horizon', async () => {
    expect(await refuse(rows(4), ['--target', 'x', '--window', '4'])).toMatch(/--data: 4 rows are too few for a window of 4 plus a horizon of 1/);
    // enough rows in total, but the 70% training part holds no whole window
    expect(await refuse(rows(10), ['--target', 'x', '--window', '8'])).toMatch(/--data: 10 rows are too few for a window of 8/);
  });

  it('a missing value under --missing refuse, naming the column, row and line (the default interpolates it)', async () => {
    const csv = rows(50).split('\n');
    csv[13] = '12,,c12';
    expect(await refuse(csv.join('\n'), ['--target', 'x', '--missing', 'refuse'])).toMatch(/--data: Column "x" has a missing value in row 13 \(line 14\)/);
    expect(await refuse(csv.join('\n'), ['--target', 'x', '--missing', 'zero'])).toMatch(/--missing: /);
  });

  it('bad settings, naming the flag', async () => {
    expect(await refuse(rows(50), ['--target', 'x', '--cell', 'tcn'])).toMatch(/--cell: /);
    expect(await refuse(rows(50), ['--target', 'x', '--window', '0'])).toMatch(/--window: /);
  });

  it('an unknown --task', async () => {
    const r = await run(['train', '--task', 'vision', '--data', series, '--project', join(root, 'vision.rnnlab')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--task: must be language or forecast \(got "vision"\)/);
  });

  it('a project another live process holds: exit 3, no run added', async () => {
    mkdirSync(join(project, LOCK_DIR));
    writeFileSync(join(project, LOCK_DIR, 'owner.json'), JSON.stringify({ pid: process.ppid, host: hostname(), since: new Date().toISOString() }));
    try {
      const r = await run(['train', '--task', 'forecast', '--data', series, '--target', 'x', '--project', project, '--epochs', '1']);
      expect(r.code).toBe(3);
      expect(r.err).toMatch(/Another RNN Lab process/);
      expect(readdirSync(join(project, 'runs'))).toEqual([runId]);
    } finally {
      rmSync(join(project, LOCK_DIR), { recursive: true });
    }
  });
});

describe('the package bin', () => {
  it('runs evaluate and forecast on the stored run as a child process', async () => {
    const { cli } = await import('./cli-process');
    const child = cli(['forecast', '--project', project, '--run', runId, '--steps', '3', '--json']);
    expect((await child.exit).code).toBe(0);
    expect(child.lines).toEqual([(await run(['forecast', '--project', project, '--run', runId, '--steps', '3', '--json'])).json()[0]]);
  }, 60_000);
});
