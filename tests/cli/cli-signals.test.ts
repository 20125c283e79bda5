import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/index';
import { NodeFileSystem } from '../../src/core/fs/node-file-system';
import { listCheckpoints } from '../../src/core/store/checkpoints';
import { readLockHolder } from '../../src/core/store/project-lock';
import { readRun } from '../../src/core/store/runs';
import { corpus } from '../core/training-fixtures';
import { cli } from './cli-process';

const MODEL = ['--cell', 'gru', '--hidden', '12', '--steps', '8', '--batch', '4', '--seed', '5'];
const fs = new NodeFileSystem();

let root: string;
let data: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'rnnlab-signal-'));
  data = join(root, 'corpus.txt');
  writeFileSync(data, corpus(20000, 11));
});

describe('rnn-lab train stopped by a signal', () => {
  for (const [signal, status] of [['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    it(`checkpoints and leaves the run interrupted on ${signal}, and resume finishes it`, async () => {
      const project = join(root, `${signal}.rnnlab`);
      const child = cli(['train', '--data', data, '--project', project, ...MODEL, '--epochs', '400', '--json']);
      const runId = (await child.waitFor((l) => l.type === 'run')).run as string;
      await child.waitFor((l) => l.type === 'epoch');
      child.proc.kill(signal);
      const exit = await child.exit;
      expect(exit).toEqual({ code: status, signal: null });
      expect(child.stderr).toMatch(new RegExp(`received ${signal}; saving a checkpoint`));
      expect(child.lines.at(-1)).toMatchObject({ type: 'summary', run: runId, state: 'interrupted' });
      expect((await readRun(fs, project, runId)).state).toBe('interrupted');
      const { checkpoints } = await listCheckpoints(fs, project, runId);
      expect(checkpoints.length).toBeGreaterThan(0);
      const stoppedAt = (child.lines.at(-1) as { epochs: number }).epochs;
      expect(stoppedAt).toBeLessThan(400);
      expect(await readLockHolder(project)).toBeNull();

      const out: string[] = [];
      const resumed = await main(['resume', '--project', project, '--run', runId, '--epochs', String(stoppedAt + 2), '--json'], { out: (l) => out.push(l), err: () => {} });
      expect(resumed).toBe(0);
      expect(JSON.parse(out.at(-1)!)).toMatchObject({ type: 'summary', state: 'done', epochs: stoppedAt + 2 });
    }, 60_000);
  }
});
