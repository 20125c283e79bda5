import { describe, expect, it } from 'vitest';
import { stampKernels } from '../../src/core/training/run-lifecycle';
import { createRun, readRun, renameRun, setRunState } from '../../src/core/store/runs';
import { PROJECT, codeOf, memoryProject } from './helpers';

describe('one write queue per run.json', () => {
  it('keeps both a rename and a state change made at the same time', async () => {
    const fs = await memoryProject();
    const { id } = await createRun(fs, PROJECT, { config: {} });
    const [renamed, running] = await Promise.all([renameRun(fs, PROJECT, id, 'lr 0.1'), setRunState(fs, PROJECT, id, 'running')]);
    expect(renamed.name).toBe('lr 0.1');
    expect(running).toMatchObject({ name: 'lr 0.1', state: 'running' });
    expect(await readRun(fs, PROJECT, id)).toMatchObject({ name: 'lr 0.1', state: 'running' });
  });

  it('keeps a rename, state changes and the kernels note all made at once, in the order they were asked', async () => {
    const fs = await memoryProject();
    const { id } = await createRun(fs, PROJECT, { config: {} });
    await Promise.all([
      setRunState(fs, PROJECT, id, 'running'),
      renameRun(fs, PROJECT, id, 'first'),
      stampKernels(fs, PROJECT, id, 'ts (1 thread)'),
      setRunState(fs, PROJECT, id, 'paused'),
      renameRun(fs, PROJECT, id, 'second'),
    ]);
    expect(await readRun(fs, PROJECT, id)).toMatchObject({ name: 'second', state: 'paused', kernels: 'ts (1 thread)' });
  });

  it('goes on with later changes after one is refused', async () => {
    const fs = await memoryProject();
    const { id } = await createRun(fs, PROJECT, { config: {} });
    const [refused, renamed] = await Promise.all([codeOf(setRunState(fs, PROJECT, id, 'done')), renameRun(fs, PROJECT, id, 'kept')]);
    expect(refused).toBe('BadTransition');
    expect(renamed).toMatchObject({ name: 'kept', state: 'queued' });
  });
});
