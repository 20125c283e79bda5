import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryFileSystem } from '../../src/core/fs/memory-file-system';
import { NodeFileSystem } from '../../src/core/fs/node-file-system';
import { containedPath, isValidId } from '../../src/core/store/ids';
import { runDir } from '../../src/core/store/layout';
import {
  createProject,
  deleteProject,
  openProject,
  removeStrays,
  renameProject,
  updateProjectSettings,
} from '../../src/core/store/project';
import { RecentProjects } from '../../src/core/store/recent-projects';
import { createRun, deleteRun, markInterruptedRuns, readRun, readRunConfig, renameRun, setRunState, updateRunConfig } from '../../src/core/store/runs';
import { PROJECT, codeOf, memoryProject } from './helpers';

describe('projects', () => {
  it('creates a project folder with project.json and opens it empty', async () => {
    const fs = await memoryProject();
    const opened = await openProject(fs, PROJECT);
    expect(opened.project).toMatchObject({ dir: PROJECT, name: 'Demo', formatVersion: 1, settings: {} });
    expect(opened).toMatchObject({ datasets: [], runs: [], problems: [] });
    const json = JSON.parse(new TextDecoder().decode(await fs.readFile(`${PROJECT}/project.json`)));
    expect(Object.keys(json).sort()).toEqual(['created', 'formatVersion', 'name', 'settings']);
  });

  it('refuses a non-empty folder, a file, a missing parent, a relative path and a bad name', async () => {
    const fs = new MemoryFileSystem();
    fs.seedFile('/home/u/full/notes.txt', 'x');
    fs.seedFile('/home/u/file', 'x');
    expect(await codeOf(createProject(fs, '/home/u/full', 'A'))).toBe('NotEmpty');
    expect(await codeOf(createProject(fs, '/home/u/file', 'A'))).toBe('NotADirectory');
    expect(await codeOf(createProject(fs, '/nowhere/x.rnnlab', 'A'))).toBe('ParentMissing');
    expect(await codeOf(createProject(fs, 'rel/x.rnnlab', 'A'))).toBe('RelativePath');
    expect(await codeOf(createProject(fs, '/home/u/y.rnnlab', ' '))).toBe('InvalidName');
    expect(await codeOf(createProject(fs, '/home/u/y.rnnlab', 'a/b'))).toBe('InvalidName');
    fs.seedDir('/home/u/empty');
    expect(await codeOf(createProject(fs, '/home/u/empty', 'Fine'))).toBe('ok');
    expect(await codeOf(createProject(fs, '/home/u/empty', 'Again'))).toBe('NotEmpty');
  });

  it('refuses to open folders that are not projects, damaged ones and newer formats', async () => {
    const fs = new MemoryFileSystem();
    fs.seedDir('/a');
    fs.seedFile('/b/project.json', '{"formatVersion":1,');
    fs.seedFile('/c/project.json', JSON.stringify({ formatVersion: 99, name: 'x' }));
    fs.seedFile('/d/project.json', JSON.stringify({ formatVersion: 1, name: 'x' }));
    expect(await codeOf(openProject(fs, '/a'))).toBe('NotAProject');
    expect(await codeOf(openProject(fs, '/b'))).toBe('CorruptProject');
    expect(await codeOf(openProject(fs, '/c'))).toBe('UnsupportedVersion');
    expect(await codeOf(openProject(fs, '/d'))).toBe('CorruptProject');
    expect(await codeOf(openProject(fs, '/zzz'))).toBe('NotFound');
  });

  it('renames, updates settings and deletes a project, but never deletes a non-project folder', async () => {
    const fs = await memoryProject();
    expect((await renameProject(fs, PROJECT, 'Renamed')).name).toBe('Renamed');
    await updateProjectSettings(fs, PROJECT, { seed: 7 });
    expect((await openProject(fs, PROJECT)).project).toMatchObject({ name: 'Renamed', settings: { seed: 7 } });
    fs.seedFile('/home/u/docs/a.txt', 'x');
    expect(await codeOf(deleteProject(fs, '/home/u/docs'))).toBe('NotAProject');
    await deleteProject(fs, PROJECT);
    expect(await fs.readdir('/home/u')).toEqual(['docs']);
  });

  it('works on the real disk through NodeFileSystem', async () => {
    const root = await mkdtemp(join(tmpdir(), 'rnnlab-store-'));
    try {
      const fs = new NodeFileSystem();
      const dir = join(root, 'demo.rnnlab');
      await createProject(fs, dir, 'Demo');
      const run = await createRun(fs, dir, { config: { hidden: 32 } });
      expect(await readdir(join(dir, 'runs', run.id))).toEqual(['checkpoints', 'config.json', 'metrics.log', 'run.json', 'samples.log']);
      expect(JSON.parse(await readFile(join(dir, 'runs', run.id, 'config.json'), 'utf8'))).toEqual({ hidden: 32 });
      expect((await openProject(fs, dir)).runs.map((r) => r.id)).toEqual([run.id]);
      await writeFile(join(root, 'other.txt'), 'x');
      expect(await codeOf(createProject(fs, root, 'X'))).toBe('NotEmpty');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('ids', () => {
  it('accepts generated ids and refuses anything that could escape or collide', () => {
    expect(isValidId('run-20250101-120000-abcdef')).toBe(true);
    for (const bad of ['', '.', '..', '../x', 'a/b', 'a\\b', '.hidden', 'UPPER', 'con', 'nul', 'a'.repeat(65), 'a b', 'é']) expect(isValidId(bad), bad).toBe(false);
    expect(() => runDir(PROJECT, '../../etc')).toThrow(expect.objectContaining({ code: 'InvalidId' }));
    expect(() => containedPath('/p', '..', 'q')).toThrow(expect.objectContaining({ code: 'OutsideProject' }));
    expect(() => containedPath('/p', '/etc')).toThrow(expect.objectContaining({ code: 'OutsideProject' }));
    expect(containedPath('/p', 'runs', 'a')).toBe('/p/runs/a');
  });
});

describe('runs', () => {
  it('creates a queued run with its files, and lists runs oldest first', async () => {
    const fs = await memoryProject();
    const a = await createRun(fs, PROJECT, { config: { model: 'lstm' }, name: 'first', id: 'run-a' });
    const b = await createRun(fs, PROJECT, { config: { model: 'gru' }, id: 'run-b' });
    expect(a).toMatchObject({ state: 'queued', name: 'first', started: null, finished: null });
    expect((await openProject(fs, PROJECT)).runs.map((r) => r.id)).toEqual([a.id, b.id]);
    expect(await readRunConfig(fs, PROJECT, 'run-a')).toEqual({ model: 'lstm' });
    expect(await codeOf(createRun(fs, PROJECT, { config: {}, id: 'run-a' }))).toBe('Exists');
    expect(await codeOf(createRun(fs, PROJECT, { config: {}, id: '../x' }))).toBe('InvalidId');
  });

  it('moves through the allowed states and refuses the others', async () => {
    const fs = await memoryProject();
    const { id } = await createRun(fs, PROJECT, { config: {} });
    expect(await codeOf(setRunState(fs, PROJECT, id, 'done'))).toBe('BadTransition');
    const running = await setRunState(fs, PROJECT, id, 'running');
    expect(running.started).not.toBeNull();
    expect(await codeOf(updateRunConfig(fs, PROJECT, id, { changed: true }))).toBe('ConfigLocked');
    await setRunState(fs, PROJECT, id, 'paused');
    await setRunState(fs, PROJECT, id, 'running');
    const diverged = await setRunState(fs, PROJECT, id, 'diverged', { message: 'loss became NaN at step 40' });
    expect(diverged).toMatchObject({ state: 'diverged', message: 'loss became NaN at step 40' });
    expect(diverged.finished).not.toBeNull();
    expect(await codeOf(setRunState(fs, PROJECT, id, 'paused'))).toBe('BadTransition');
    const resumed = await setRunState(fs, PROJECT, id, 'running');
    expect(resumed).toMatchObject({ state: 'running', finished: null });
    expect(resumed.message).toBeUndefined();
    expect((await renameRun(fs, PROJECT, id, 'lr 0.1')).name).toBe('lr 0.1');
  });

  it('marks runs left running by a crash as interrupted, and lets them resume', async () => {
    const fs = await memoryProject();
    const { id } = await createRun(fs, PROJECT, { config: {} });
    await createRun(fs, PROJECT, { config: {}, id: 'run-q' });
    await setRunState(fs, PROJECT, id, 'running');
    expect(await markInterruptedRuns(fs, PROJECT)).toEqual([id]);
    expect((await readRun(fs, PROJECT, id)).state).toBe('interrupted');
    expect((await setRunState(fs, PROJECT, id, 'running')).state).toBe('running');
  });

  it('reports a corrupt run and still opens the other runs', async () => {
    const fs = await memoryProject();
    for (const id of ['run-a', 'run-b', 'run-c', 'run-d', 'run-e']) await createRun(fs, PROJECT, { config: { id }, id });
    fs.seedFile(`${PROJECT}/runs/run-b/run.json`, '{"formatVersion":1,"id":"run-b",');
    await fs.unlink(`${PROJECT}/runs/run-c/config.json`);
    fs.seedFile(`${PROJECT}/runs/run-d/run.json`, JSON.stringify({ formatVersion: 1, id: 'run-d', state: 'exploded' }));
    fs.seedFile(`${PROJECT}/runs/.staging-run-x-1234/run.json`, 'leftover');
    fs.seedFile(`${PROJECT}/runs/NOT_AN_ID/run.json`, 'x');
    const opened = await openProject(fs, PROJECT);
    expect(opened.runs.map((r) => r.id)).toEqual(['run-a', 'run-e']);
    expect(opened.problems.map((p) => [p.kind, p.id, p.code])).toEqual([
      ['run', 'run-b', 'CorruptRun'],
      ['run', 'run-c', 'CorruptRun'],
      ['run', 'run-d', 'CorruptRun'],
    ]);
    expect(opened.problems[0]!.message).toMatch(/damaged/);
    await deleteRun(fs, PROJECT, 'run-b');
    expect((await openProject(fs, PROJECT)).problems).toHaveLength(2);
    expect(await removeStrays(fs, PROJECT)).toEqual([`${PROJECT}/runs/.staging-run-x-1234`]);
  });
});

describe('recent projects', () => {
  it('keeps the most recently opened first, without duplicates, capped', async () => {
    const fs = new MemoryFileSystem();
    fs.seedDir('/appdata');
    const recent = new RecentProjects(fs, '/appdata/rnn-lab', 3);
    expect(await recent.list()).toEqual([]);
    await Promise.all(['/a', '/b', '/c', '/d'].map((dir) => recent.touch({ dir, name: dir.slice(1) })));
    await recent.touch({ dir: '/b', name: 'b2' });
    expect((await recent.list()).map((p) => [p.dir, p.name])).toEqual([
      ['/b', 'b2'],
      ['/d', 'd'],
      ['/c', 'c'],
    ]);
    await recent.remove('/d');
    expect((await recent.list()).map((p) => p.dir)).toEqual(['/b', '/c']);
  });

  it('reads a damaged list as empty and repairs it on the next change', async () => {
    const fs = new MemoryFileSystem();
    fs.seedFile('/appdata/recent-projects.json', '{oops');
    const recent = new RecentProjects(fs, '/appdata');
    expect(await recent.list()).toEqual([]);
    await recent.touch({ dir: '/x', name: 'x' });
    expect((await recent.list()).map((p) => p.dir)).toEqual(['/x']);
  });
});
