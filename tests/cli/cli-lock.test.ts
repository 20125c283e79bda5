import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/index';
import { NodeFileSystem } from '../../src/core/fs/node-file-system';
import { readMetrics } from '../../src/core/services/run-files';
import { LOCK_DIR, readLockHolder } from '../../src/core/store/project-lock';
import { readRun } from '../../src/core/store/runs';
import { corpus } from '../core/training-fixtures';
import { cli } from './cli-process';

// Real processes: the package bin, as a user runs it, against one project folder.
const MODEL = ['--cell', 'gru', '--hidden', '12', '--steps', '8', '--batch', '4', '--seed', '5'];
const fs = new NodeFileSystem();

let root: string;
let data: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'rnnlab-lock-'));
  data = join(root, 'corpus.txt');
  writeFileSync(data, corpus(20000, 11));
});

describe('one writer per project, between processes', () => {
  it('refuses a second train and a resume with exit 3 naming the holder, and the first run finishes with every epoch', async () => {
    const project = join(root, 'shared.rnnlab');
    const EPOCHS = 80;
    const first = cli(['train', '--data', data, '--project', project, ...MODEL, '--epochs', String(EPOCHS), '--json']);
    const runId = (await first.waitFor((l) => l.type === 'run')).run as string;
    await first.waitFor((l) => l.type === 'epoch');

    const resume = cli(['resume', '--project', project, '--run', runId, '--json']);
    const train = cli(['train', '--data', data, '--project', project, ...MODEL, '--epochs', '2', '--json']);
    const [resumed, trained] = await Promise.all([resume.exit, train.exit]);
    // the refusals must have happened while the first was still training, or they prove nothing
    expect(first.exited).toBe(false);
    for (const [child, exit, command] of [[resume, resumed, 'resume'], [train, trained, 'train']] as const) {
      expect(exit.code).toBe(3);
      expect(child.lines).toEqual([]);
      expect(child.stderr).toMatch(new RegExp(`^rnn-lab ${command}: Another RNN Lab process \\(pid ${first.proc.pid} on host ${hostname()}, since \\d{4}-\\d\\d-\\d\\d [0-9:]+ UTC\\) is writing to the project`));
    }

    expect((await first.exit).code).toBe(0);
    expect(first.stderr).toBe('');
    expect(first.lines.at(-1)).toMatchObject({ type: 'summary', run: runId, state: 'done', epochs: EPOCHS });
    expect((await readRun(fs, project, runId)).state).toBe('done');
    const epochs = (await readMetrics(fs, project, runId)).filter((m) => m.kind === 'epoch').map((m) => m.epoch);
    expect(epochs).toEqual(Array.from({ length: EPOCHS }, (_, i) => i + 1));
    // the refused train created no run, and the lock is gone with its holder
    const runs = await main(['runs', '--project', project, '--json'], { out: () => {}, err: () => {} });
    expect(runs).toBe(0);
    expect(await readLockHolder(project)).toBeNull();
  }, 120_000);

  it('refuses an import of weights into a project another live process writes to, with exit 3 naming it', async () => {
    const project = join(root, 'import.rnnlab');
    expect(await main(['train', '--data', data, '--project', project, ...MODEL, '--epochs', '1'], { out: () => {}, err: () => {} })).toBe(0);
    // the holder: a live process on this host (vitest's parent), with a fresh lock
    mkdirSync(join(project, LOCK_DIR));
    writeFileSync(join(project, LOCK_DIR, 'owner.json'), JSON.stringify({ pid: process.ppid, host: hostname(), since: new Date().toISOString() }));
    const err: string[] = [];
    const code = await main(['import', '--project', project, '--from-json', join(root, 'model.json')], { out: () => {}, err: (l) => err.push(l) });
    expect(code).toBe(3);
    expect(err.join('\n')).toMatch(new RegExp(`Another RNN Lab process \\(pid ${process.ppid} on host`));
  });

  it('takes over a lock left by a process that died on this host', async () => {
    const project = join(root, 'stale.rnnlab');
    const made = await main(['train', '--data', data, '--project', project, ...MODEL, '--epochs', '1'], { out: () => {}, err: () => {} });
    expect(made).toBe(0);
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    mkdirSync(join(project, LOCK_DIR));
    writeFileSync(join(project, LOCK_DIR, 'owner.json'), JSON.stringify({ pid: dead, host: hostname(), since: new Date().toISOString() }));

    const err: string[] = [];
    const code = await main(['train', '--data', data, '--project', project, ...MODEL, '--epochs', '1', '--json'], { out: () => {}, err: (l) => err.push(l) });
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(await readLockHolder(project)).toBeNull();
  });
});
