import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeTree } from '../../src/core/fs/fs-utils';
import { MemoryFileSystem } from '../../src/core/fs/memory-file-system';
import { NodeFileSystem } from '../../src/core/fs/node-file-system';
import { createDataHandlers } from '../../src/core/handlers/runs-handlers';
import { importDataset } from '../../src/core/datasets/import-dataset';
import { datasetDir, runDir, runsDir } from '../../src/core/store/layout';
import { createProject, deleteProject, removeStrays } from '../../src/core/store/project';
import { createRun, deleteRun } from '../../src/core/store/runs';
import { deleteDataset } from '../../src/core/store/datasets';
import { checkEvent, createDispatcher, type InvokeEventLike } from '../../src/main/router';
import type { Envelope } from '../../src/shared/errors';
import type { Handlers } from '../../src/shared/ipc/handlers';
import { unavailableHandlers } from '../helpers/unavailable-handlers';

const event: InvokeEventLike = { sender: { id: 1 }, senderFrame: { url: 'file:///app/index.html', parent: null } };

/** A tmp folder with a project inside it and, beside it, a folder of the user's own files. */
async function setup() {
  const root = mkdtempSync(join(tmpdir(), 'rnnlab-links-'));
  const fs = new NodeFileSystem();
  const projectDir = join(root, 'demo.rnnlab');
  await createProject(fs, projectDir, 'Demo');
  const outside = join(root, 'precious');
  mkdirSync(join(outside, 'nested'), { recursive: true });
  writeFileSync(join(outside, 'thesis.txt'), 'my only copy');
  writeFileSync(join(outside, 'nested', 'data.bin'), 'more');
  // stray-looking names, so a sweep that followed a link would delete them too
  writeFileSync(join(outside, '.notes.txt.tmp-0123456789ab'), 'draft');
  const handlers = { ...unavailableHandlers(), ...createDataHandlers({ fs, emit: (c, p) => void checkEvent(c, p) }) } as Handlers;
  const dispatch = createDispatcher(handlers, () => null);
  const call = <T>(channel: string, payload: unknown) => dispatch(event, channel, payload) as Promise<Envelope<T>>;
  const survives = () => {
    expect(readFileSync(join(outside, 'thesis.txt'), 'utf8')).toBe('my only copy');
    expect(readFileSync(join(outside, 'nested', 'data.bin'), 'utf8')).toBe('more');
    expect(readFileSync(join(outside, '.notes.txt.tmp-0123456789ab'), 'utf8')).toBe('draft');
  };
  return { root, fs, projectDir, outside, call, survives };
}

const gone = (path: string) => {
  expect(() => lstatSync(path)).toThrow();
};

describe('deletes never follow symbolic links (real disk)', () => {
  it('runs:delete of a run folder that is a link to a folder outside the project removes the link only', async () => {
    const { fs, projectDir, outside, call, survives } = await setup();
    await createRun(fs, projectDir, { config: { a: 1 }, id: 'run-real' }); // creates runs/
    const linked = join(runsDir(projectDir), 'run-linked');
    symlinkSync(outside, linked, 'dir');
    const res = await call<{ deleted: boolean }>('runs:delete', { projectDir, runId: 'run-linked' });
    expect(res).toEqual({ ok: true, value: { deleted: true } });
    gone(linked);
    survives();
    expect(readdirSync(runsDir(projectDir))).toEqual(['run-real']);
  });

  it('runs:delete of a run whose checkpoints folder links outside deletes the run and leaves the target whole', async () => {
    const { fs, projectDir, outside, call, survives } = await setup();
    await createRun(fs, projectDir, { config: { a: 1 }, id: 'run-a' });
    const checkpoints = join(runDir(projectDir, 'run-a'), 'checkpoints');
    await fs.rmdir(checkpoints);
    symlinkSync(outside, checkpoints, 'dir');
    writeFileSync(join(runDir(projectDir, 'run-a'), 'notes'), 'x');
    symlinkSync(join(outside, 'thesis.txt'), join(runDir(projectDir, 'run-a'), 'file-link'));
    expect((await call('runs:delete', { projectDir, runId: 'run-a' })).ok).toBe(true);
    gone(runDir(projectDir, 'run-a'));
    expect(readdirSync(runsDir(projectDir))).toEqual([]);
    survives();
  });

  it('datasets:delete of a dataset folder that is a link, or holds one, leaves the target whole', async () => {
    const { root, fs, projectDir, outside, call, survives } = await setup();
    writeFileSync(join(root, 'corpus.txt'), 'some text to import. '.repeat(20));
    const dataset = await importDataset(fs, projectDir, join(root, 'corpus.txt'));
    symlinkSync(outside, join(datasetDir(projectDir, dataset.id), 'extra'), 'dir');
    symlinkSync(outside, join(projectDir, 'datasets', 'ds-linked'), 'dir');
    expect(await call('datasets:delete', { projectDir, datasetId: 'ds-linked' })).toEqual({ ok: true, value: { deleted: true } });
    expect(await call('datasets:delete', { projectDir, datasetId: dataset.id })).toEqual({ ok: true, value: { deleted: true } });
    expect(readdirSync(join(projectDir, 'datasets'))).toEqual([]);
    survives();
  });

  it('deleteProject and removeStrays unlink links instead of descending them', async () => {
    const { fs, projectDir, outside, survives } = await setup();
    await createRun(fs, projectDir, { config: { a: 1 }, id: 'run-a' });
    const checkpoints = join(runDir(projectDir, 'run-a'), 'checkpoints');
    await fs.rmdir(checkpoints);
    symlinkSync(outside, checkpoints, 'dir');
    const strayLink = join(projectDir, '.trash-run-b-00000000');
    symlinkSync(outside, strayLink, 'dir');
    expect(await removeStrays(fs, projectDir)).toEqual([strayLink]);
    gone(strayLink);
    survives();
    await deleteProject(fs, projectDir);
    expect(existsSync(projectDir)).toBe(false);
    survives();
  });

  it('deleteProject of a project folder that is a link removes the link and keeps the project it points to', async () => {
    const { root, fs, projectDir } = await setup();
    await createRun(fs, projectDir, { config: { a: 1 }, id: 'run-a' });
    const link = join(root, 'shortcut.rnnlab');
    symlinkSync(projectDir, link, 'dir');
    await deleteProject(fs, link);
    gone(link);
    expect(readdirSync(runsDir(projectDir))).toEqual(['run-a']);
    expect(existsSync(join(projectDir, 'project.json'))).toBe(true);
  });

  it('the store refuses a run or dataset id that is neither folder nor link, and removes a dangling link', async () => {
    const { fs, projectDir, outside } = await setup();
    await createRun(fs, projectDir, { config: { a: 1 }, id: 'run-a' });
    writeFileSync(join(runsDir(projectDir), 'run-file'), 'x');
    await expect(deleteRun(fs, projectDir, 'run-file')).rejects.toMatchObject({ code: 'NotFound' });
    symlinkSync(join(outside, 'missing'), join(runsDir(projectDir), 'run-dangling'), 'dir');
    await deleteRun(fs, projectDir, 'run-dangling');
    gone(join(runsDir(projectDir), 'run-dangling'));
    await expect(deleteDataset(fs, projectDir, 'ds-none')).rejects.toMatchObject({ code: 'NotFound' });
  });
});

describe('symbolic links in the memory file system', () => {
  function withLink() {
    const fs = new MemoryFileSystem();
    fs.seedFile('/outside/keep.txt', 'keep');
    fs.seedFile('/outside/sub/deep.txt', 'deep');
    fs.seedFile('/p/tree/own.txt', 'own');
    fs.seedSymlink('/p/tree/link', '/outside');
    fs.seedSymlink('/p/tree/rel', '../../outside/keep.txt');
    return fs;
  }

  it('follows links for stat and reads, and reports them as links from lstat', async () => {
    const fs = withLink();
    expect(await fs.stat('/p/tree/link')).toEqual({ kind: 'directory', size: 0 });
    expect((await fs.lstat('/p/tree/link'))?.kind).toBe('symlink');
    expect(new TextDecoder().decode(await fs.readFile('/p/tree/link/sub/deep.txt'))).toBe('deep');
    expect(new TextDecoder().decode(await fs.readFile('/p/tree/rel'))).toBe('keep');
    expect(await fs.readdir('/p/tree/link')).toEqual(['keep.txt', 'sub']);
    await expect(fs.rmdir('/p/tree/link')).rejects.toMatchObject({ code: 'NotDirectory' });
  });

  it('a link loop fails instead of hanging', async () => {
    const fs = new MemoryFileSystem();
    fs.seedDir('/p');
    fs.seedSymlink('/p/a', '/p/b');
    fs.seedSymlink('/p/b', '/p/a');
    await expect(fs.stat('/p/a')).rejects.toMatchObject({ code: 'Io' });
    expect((await fs.lstat('/p/a'))?.kind).toBe('symlink');
  });

  it('removeTree unlinks a link inside the tree and keeps its target', async () => {
    const fs = withLink();
    await removeTree(fs, '/p/tree');
    expect(await fs.stat('/p/tree')).toBeUndefined();
    expect([...fs.snapshot('/outside').keys()]).toEqual(['/outside/keep.txt', '/outside/sub/', '/outside/sub/deep.txt']);
  });

  it('removeTree of a link to a folder removes the link only', async () => {
    const fs = withLink();
    await removeTree(fs, '/p/tree/link');
    expect(await fs.lstat('/p/tree/link')).toBeUndefined();
    expect(await fs.readdir('/outside')).toEqual(['keep.txt', 'sub']);
  });
});
