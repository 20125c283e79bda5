import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/index';
import { NodeFileSystem } from '../../src/core/fs/node-file-system';
import { readSweep } from '../../src/core/sweeps/sweep-store';
import { readRun } from '../../src/core/store/runs';
import { corpus } from '../core/training-fixtures';
import { cli } from './cli-process';

const MODEL = ['--cell', 'gru', '--steps', '8', '--batch', '4', '--seed', '5', '--checkpoint-every', '1'];
const fs = new NodeFileSystem();

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err, json: () => out.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

let root: string;
let data: string;
let space: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'rnnlab-sweep-cli-'));
  data = join(root, 'corpus.txt');
  writeFileSync(data, corpus(2400, 11));
  space = join(root, 'space.json');
  writeFileSync(space, JSON.stringify({ lr: { low: 0.1, high: 3, log: true }, hiddenSize: { values: [4, 8, 12] } }));
});

describe('rnn-lab sweep', () => {
  it('prints one line per finished trial and a summary with the best trial and the journal', async () => {
    const project = join(root, 'ok.rnnlab');
    const r = await run(['sweep', '--data', data, '--project', project, '--space', space, '--method', 'random', '--trials', '3', '--parallel', '1', '--prune', 'none', '--epochs', '2', ...MODEL, '--json']);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    const lines = r.json();
    const trials = lines.filter((l) => l.type === 'trial');
    expect(trials.map((t) => Object.keys(t))).toEqual(new Array(3).fill(['type', 'number', 'params', 'value', 'state']));
    expect(trials.map((t) => t.state)).toEqual(['COMPLETE', 'COMPLETE', 'COMPLETE']);
    for (const t of trials) expect([4, 8, 12]).toContain((t.params as { hiddenSize: number }).hiddenSize);
    const summary = lines.at(-1)!;
    const bestValue = Math.min(...trials.map((t) => t.value as number));
    expect(summary).toMatchObject({ type: 'summary', state: 'done', best: { value: bestValue } });
    expect(existsSync(summary.journal as string)).toBe(true);
    // the best trial is a normal run of the project
    const best = summary.best as { run: string; params: Record<string, number> };
    expect((await readRun(fs, project, best.run)).state).toBe('done');
  }, 60_000);

  it('refuses a bad space file naming the file and the field, before anything is written', async () => {
    const bad = join(root, 'bad-space.json');
    writeFileSync(bad, JSON.stringify({ learningRate: { low: 0.1, high: 1 } }));
    const project = join(root, 'refused.rnnlab');
    let r = await run(['sweep', '--data', data, '--project', project, '--space', bad]);
    expect(r.code).toBe(2);
    expect(r.err).toEqual([`rnn-lab sweep: --space: ${bad}: learningRate: "learningRate" is not a run-config field.`]);
    writeFileSync(bad, '{"lr": {"low": 0.1,');
    r = await run(['sweep', '--data', data, '--project', project, '--space', bad]);
    expect(r.code).toBe(2);
    expect(r.err[0]).toMatch(new RegExp(`^rnn-lab sweep: --space: ${bad} is not valid JSON`));
    r = await run(['sweep', '--data', data, '--project', project, '--space', space, '--method', 'grid']);
    expect(r.err).toEqual([`rnn-lab sweep: --space: ${space}: lr: A grid sweep needs lists; give lr a list of values instead of a range.`]);
    r = await run(['sweep', '--data', data, '--project', project, '--space', space, '--prune', 'hyperband']);
    expect(r.err).toEqual(['rnn-lab sweep: --prune: must be one of none, median, asha (got "hyperband")']);
    r = await run(['sweep', '--data', data, '--project', project, '--space', space, '--val-fraction', '0']);
    expect(r.err).toEqual(['rnn-lab sweep: --val-fraction: A sweep minimises validation perplexity; set the validation fraction above 0']);
    r = await run(['sweep', '--data', data, '--project', project]);
    expect(r.err).toEqual(['rnn-lab sweep: --space is required (or --resume to continue a sweep)']);
    expect(existsSync(project)).toBe(false);
  });

  it('leaves the sweep resumable on Ctrl-C, and --resume runs it to N', async () => {
    const project = join(root, 'ctrlc.rnnlab');
    const child = cli(['sweep', '--data', data, '--project', project, '--space', space, '--trials', '4', '--parallel', '2', '--epochs', '30', ...MODEL, '--json']);
    const id = (await child.waitFor((l) => l.type === 'sweep')).sweep as string;
    // both first trials are training once the sweep file shows an intermediate value for each
    for (let i = 0; i < 600; i++) {
      const rec = await readSweep(fs, project, id).catch(() => null);
      if (rec && rec.trials.length >= 2 && rec.trials.slice(0, 2).every((t) => t.intermediate.length > 0)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    child.proc.kill('SIGINT');
    expect(await child.exit).toEqual({ code: 130, signal: null });
    expect(child.stderr).toMatch(new RegExp(`interrupted; saving the running trials \\(continue with rnn-lab sweep --project .* --resume ${id}\\)`));
    expect(child.lines.at(-1)).toMatchObject({ type: 'summary', sweep: id, state: 'interrupted' });
    const stopped = await readSweep(fs, project, id);
    expect(stopped.trials.filter((t) => t.state === 'RUNNING').length).toBeGreaterThan(0);

    const r = await run(['sweep', '--project', project, '--resume', id, '--json']);
    expect(r.code).toBe(0);
    const lines = r.json();
    const trials = lines.filter((l) => l.type === 'trial');
    const done = await readSweep(fs, project, id);
    expect(done.state).toBe('done');
    expect(done.trials).toHaveLength(4);
    // the resumed command reports the trials it marked or ran, not the ones already reported
    const before = new Set(stopped.trials.filter((t) => t.state !== 'RUNNING').map((t) => t.number));
    expect(trials.map((t) => t.number).sort()).toEqual(done.trials.map((t) => t.number).filter((n) => !before.has(n)));
    expect(lines.at(-1)).toMatchObject({ type: 'summary', sweep: id, state: 'done' });
  }, 180_000);
});
