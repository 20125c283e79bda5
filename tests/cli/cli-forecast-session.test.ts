/** rnn-lab train --task forecast through the training host: signals, resume, refused settings. */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/index';
import { NodeFileSystem } from '../../src/core/fs/node-file-system';
import { listCheckpoints } from '../../src/core/store/checkpoints';
import { readLockHolder } from '../../src/core/store/project-lock';
import { readRun } from '../../src/core/store/runs';
import { cli } from './cli-process';

const fs = new NodeFileSystem();
const MODEL = ['--cell', 'gru', '--hidden', '8', '--batch', '16', '--seed', '3'];

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err: err.join('\n'), json: () => out.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

let root: string;
let series: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'rnnlab-forecast-session-'));
  series = join(root, 'series.csv');
  expect((await run(['demo-series', '--out', series, '--seed', '7'])).code).toBe(0);
});

describe('rnn-lab train --task forecast stopped by Ctrl-C', () => {
  it('checkpoints, exits 130 with the run interrupted, and rnn-lab resume finishes it', async () => {
    const project = join(root, 'sigint.rnnlab');
    const child = cli(['train', '--task', 'forecast', '--data', series, '--target', 'x', '--project', project, ...MODEL, '--epochs', '2000', '--json']);
    const runId = (await child.waitFor((l) => l.type === 'run')).run as string;
    const first = await child.waitFor((l) => l.type === 'epoch');
    expect(Object.keys(first).sort()).toEqual(['baseline_val_mae', 'epoch', 'train_loss', 'type', 'val_mae', 'val_mse']);
    child.proc.kill('SIGINT');
    expect(await child.exit).toEqual({ code: 130, signal: null });
    expect(child.stderr).toMatch(/interrupted; saving a checkpoint \(resume with rnn-lab resume\)/);
    const summary = child.lines.at(-1) as Record<string, unknown>;
    expect(summary).toMatchObject({ type: 'summary', run: runId, state: 'interrupted' });
    const stoppedAt = summary.epochs as number;
    expect(stoppedAt).toBeGreaterThanOrEqual(1);
    expect(stoppedAt).toBeLessThan(2000);
    expect((await readRun(fs, project, runId)).state).toBe('interrupted');
    const { checkpoints } = await listCheckpoints(fs, project, runId);
    expect(checkpoints.length).toBeGreaterThan(0);
    expect(checkpoints.at(-1)!.step).toBe(summary.steps); // saved where it stopped, between two minibatches
    expect(await readLockHolder(project)).toBeNull();

    const resumed = await run(['resume', '--project', project, '--run', runId, '--epochs', String(stoppedAt + 2), '--json']);
    expect(resumed.err).toBe('');
    expect(resumed.code).toBe(0);
    const lines = resumed.json();
    expect(lines.filter((l) => l.type === 'epoch').at(-1)!.epoch).toBe(stoppedAt + 2);
    const done = lines.at(-1)!;
    expect(done).toMatchObject({ type: 'summary', state: 'done', epochs: stoppedAt + 2, message: expect.stringMatching(/^Finished \d+ epochs/) });
    for (const key of ['val_mse', 'val_mae', 'baseline_val_mse', 'baseline_val_mae', 'test_mse', 'baseline_test_mse']) expect(typeof done[key]).toBe('number');
    expect((await readRun(fs, project, runId)).state).toBe('done');
  }, 90_000);
});

describe('rnn-lab resume of a forecast run', () => {
  it('refuses a learning rate outside the forecast range, naming the flag', async () => {
    const project = join(root, 'resume-range.rnnlab');
    const r = await run(['train', '--task', 'forecast', '--data', series, '--target', 'x', '--project', project, ...MODEL, '--epochs', '1', '--json']);
    expect(r.code).toBe(0);
    const runId = r.json()[0]!.run as string;
    const refused = await run(['resume', '--project', project, '--run', runId, '--lr', '50']);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/--lr: .* for a forecast run \(got 50\)/);
    expect((await readRun(fs, project, runId)).state).toBe('done');
  });

  it('prints plain epoch lines without --json', async () => {
    const project = join(root, 'plain.rnnlab');
    const r = await run(['train', '--task', 'forecast', '--data', series, '--target', 'x', '--project', project, ...MODEL, '--epochs', '2']);
    expect(r.code).toBe(0);
    expect(r.out.filter((l) => l.startsWith('epoch '))).toEqual([
      expect.stringMatching(/^epoch 1 {2}train loss [\d.e-]+ {2}val mse [\d.e-]+ {2}val mae [\d.e-]+ {2}\(last value mae [\d.e-]+\)$/),
      expect.stringMatching(/^epoch 2 /),
    ]);
    expect(r.out.at(-1)).toMatch(/2 epochs, \d+ updates, .*val mse .* \(last value .*\), test mse /);
  });
});

describe('rnn-lab train --task forecast settings', () => {
  for (const [flags, message] of [
    [['--loss', 'l2'], /--loss: .*(got "l2")/],
    [['--missing', 'guess'], /--missing: .*(got "guess")/],
    [['--stride', '0'], /--stride: .*(got 0)/],
  ] as const) {
    it(`refuses ${flags.join(' ')} naming the flag, before touching the project`, async () => {
      const project = join(root, `refused-${flags[0]!.slice(2)}.rnnlab`);
      const r = await run(['train', '--task', 'forecast', '--data', series, '--target', 'x', '--project', project, ...MODEL, ...flags]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
      expect(existsSync(project)).toBe(false);
    });
  }

  it('trains --horizon 3 with --loss mae: epoch lines and a summary over all three steps', async () => {
    const project = join(root, 'horizon.rnnlab');
    const r = await run(['train', '--task', 'forecast', '--data', series, '--target', 'x', '--project', project, ...MODEL, '--epochs', '2', '--horizon', '3', '--loss', 'mae', '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.json();
    expect(lines[0]!.config).toMatchObject({ horizon: 3, loss: 'mae' });
    expect(lines.filter((l) => l.type === 'epoch').map((l) => l.epoch)).toEqual([1, 2]);
    const summary = lines.at(-1)!;
    expect(summary).toMatchObject({ type: 'summary', state: 'done', epochs: 2 });
    for (const key of ['val_mse', 'val_mae', 'baseline_val_mae', 'test_mse', 'baseline_test_mse']) expect(summary[key]).toBeGreaterThan(0);
  });

  it('maps --clip, --stride, --seasonal-period and --missing into config.json', async () => {
    const project = join(root, 'mapped.rnnlab');
    const r = await run(['train', '--task', 'forecast', '--data', series, '--target', 'x', '--project', project, ...MODEL, '--epochs', '1',
      '--clip', '0.5', '--stride', '2', '--seasonal-period', '12', '--missing', 'ffill', '--loss', 'mse', '--horizon', '1', '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.json()[0]!.config).toMatchObject({ clip: 0.5, stride: 2, seasonalPeriod: 12, missing: 'ffill', loss: 'mse', horizon: 1 });
    // stride 2 halves the 696 training windows: 348 → 22 minibatches of 16
    expect(r.json().at(-1)).toMatchObject({ type: 'summary', steps: 22 });
  });
});
