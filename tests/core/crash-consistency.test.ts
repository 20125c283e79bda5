import { describe, expect, it } from 'vitest';
import { FsError } from '../../src/core/fs/file-system';
import { MemoryFileSystem } from '../../src/core/fs/memory-file-system';
import { listCheckpoints, loadCheckpoint, saveCheckpoint } from '../../src/core/store/checkpoints';
import { openProject, removeStrays } from '../../src/core/store/project';
import { createRun, deleteRun, readRunConfig } from '../../src/core/store/runs';
import type { CheckpointBundle } from '../../src/engine/formats';
import { PROJECT, memoryProject } from './helpers';

const bundle = (step: number): CheckpointBundle => ({
  step,
  valPerplexity: 10 - step,
  created: '2025-01-01T00:00:00.000Z',
  tensors: new Map([['w', { shape: [3], data: new Float32Array([step, 2, 3]) }]]),
  state: { step },
});

/** The observable state of a project: what a reopened app would show and could load. */
async function observe(fs: MemoryFileSystem): Promise<unknown> {
  const opened = await openProject(fs, PROJECT);
  const runs = [];
  for (const run of opened.runs) {
    const { checkpoints, problems } = await listCheckpoints(fs, PROJECT, run.id);
    const loaded = [];
    for (const c of checkpoints) {
      const { step, state } = await loadCheckpoint(fs, PROJECT, run.id, c.name);
      loaded.push({ step, state });
    }
    runs.push({ id: run.id, state: run.state, config: await readRunConfig(fs, PROJECT, run.id), checkpoints: loaded, problems });
  }
  return { runs, problems: opened.problems };
}

async function base(): Promise<MemoryFileSystem> {
  const fs = await memoryProject();
  await createRun(fs, PROJECT, { config: { model: 'rnn' }, id: 'run-a' });
  await saveCheckpoint(fs, PROJECT, 'run-a', bundle(1));
  return fs;
}

const operations: [string, (fs: MemoryFileSystem) => Promise<unknown>][] = [
  ['create-run', (fs) => createRun(fs, PROJECT, { config: { model: 'gru', hidden: 64 }, id: 'run-b' })],
  ['save-checkpoint', (fs) => saveCheckpoint(fs, PROJECT, 'run-a', bundle(2))],
  ['overwrite-checkpoint', (fs) => saveCheckpoint(fs, PROJECT, 'run-a', { ...bundle(1), state: { again: true } })],
  ['delete-run', (fs) => deleteRun(fs, PROJECT, 'run-a')],
];

describe('crash consistency', () => {
  it('keeps the base project intact across a power cut (everything was synced)', async () => {
    const fs = await base();
    expect(await observe(fs.afterCrash('lose-unsynced'))).toEqual(await observe(fs));
  });

  it.each(operations)('leaves the old or the new state, never a mix, when %s crashes after any number of operations', async (_name, op) => {
    const before = await base();
    const oldState = await observe(before);
    const after = await base();
    after.setFaults({});
    await op(after);
    const total = after.ops;
    const newState = await observe(after);
    expect(newState).not.toEqual(oldState);

    const seen = { old: 0, new: 0 };
    for (let n = 0; n <= total; n++) {
      for (const tornWrites of [false, true]) {
        const fs = await base();
        fs.setFaults({ crashAfter: n, tornWrites });
        try {
          await op(fs);
          expect(n).toBe(total);
        } catch (e) {
          expect(e).toBeInstanceOf(FsError);
          expect((e as FsError).code).toBe('Crashed');
        }
        for (const mode of ['keep-all', 'lose-unsynced'] as const) {
          const rebooted = fs.afterCrash(mode);
          const state = await observe(rebooted);
          const label = `crash after ${n}/${total} ops, ${mode}, torn=${tornWrites}`;
          if (JSON.stringify(state) === JSON.stringify(oldState)) seen.old++;
          else {
            expect(state, label).toEqual(newState);
            seen.new++;
          }
          // sweeping leftovers never changes what the project shows
          await removeStrays(rebooted, PROJECT);
          expect(await observe(rebooted), label).toEqual(state);
        }
      }
    }
    expect(seen.old).toBeGreaterThan(0);
    expect(seen.new).toBeGreaterThan(0);
  });
});
