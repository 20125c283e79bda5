import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyDemoProject, demoBundlePaths } from '../../src/core/demo/demo-bundle';
import { DemoError } from '../../src/core/demo/demo-error';
import { DEMO_DATASET_ID, DEMO_PROJECT_NAME, DEMO_RUNS } from '../../src/core/demo/demo-recipe';
import { DEMO_DATA_FOLDER, demoCopyPath, ensureDemoCopy, openDemoProject } from '../../src/core/demo/open-demo-project';
import { createDemoHandlers } from '../../src/core/handlers/demo-handlers';
import { NodeFileSystem } from '../../src/core/fs/node-file-system';
import { RecentProjects } from '../../src/core/store/recent-projects';
import { renameRun } from '../../src/core/store/runs';
import { requests } from '../../src/shared/ipc/contract';
import { RESOURCES, tempDir, treeFiles, treeHash } from './demo-helpers';

const fs = new NodeFileSystem();
const bundle = demoBundlePaths(RESOURCES);
let bundleHashBefore: string;

beforeAll(() => {
  bundleHashBefore = treeHash(bundle.root);
});
afterAll(() => {
  // every test below reads the bundle; none may have written to it
  expect(treeHash(bundle.root)).toBe(bundleHashBefore);
});

const demoFolders = (appData: string): string[] => readdirSync(join(appData, DEMO_DATA_FOLDER)).filter((n) => !n.startsWith('.'));

describe('openDemoProject', () => {
  it('copies the bundled demo into <appData>/Demo on first use and opens it with both runs done', async () => {
    const appData = tempDir('appdata');
    const opened = await openDemoProject({ fs, appDataDir: appData, resourcesDir: RESOURCES });
    const dir = demoCopyPath(appData);
    expect(dir).toBe(join(appData, 'Demo', 'RNN Lab demo.rnnlab'));
    expect(opened.project).toMatchObject({ dir, name: DEMO_PROJECT_NAME });
    expect(opened.problems).toEqual([]);
    expect(opened.datasets.map((d) => d.id)).toEqual([DEMO_DATASET_ID]);
    expect(opened.runs).toEqual(DEMO_RUNS.map((r) => ({ id: r.id, name: r.config.name, state: 'done' })));
    expect(treeFiles(dir)).toEqual(treeFiles(bundle.project));
    expect(requests['demo:open'].response.safeParse(opened).success).toBe(true);

    const recent = await new RecentProjects(fs, appData).list();
    expect(recent[0]).toMatchObject({ dir, name: DEMO_PROJECT_NAME });
  });

  it('reopens the same copy afterwards, keeping what the user changed in it', async () => {
    const appData = tempDir('appdata');
    const first = await ensureDemoCopy(fs, appData, RESOURCES);
    expect(first.copied).toBe(true);
    await renameRun(fs, first.dir, 'demo-gru', 'my GRU');
    writeFileSync(join(first.dir, 'notes.txt'), 'mine');

    const again = await ensureDemoCopy(fs, appData, RESOURCES);
    expect(again).toEqual({ dir: first.dir, copied: false, damaged: [] });
    const opened = await openDemoProject({ fs, appDataDir: appData, resourcesDir: RESOURCES });
    expect(opened.runs.find((r) => r.id === 'demo-gru')?.name).toBe('my GRU');
    expect(readFileSync(join(first.dir, 'notes.txt'), 'utf8')).toBe('mine');
    expect(demoFolders(appData)).toEqual(['RNN Lab demo.rnnlab']);
  });

  it('makes a fresh copy beside a copy whose project.json is damaged, and leaves the damaged one alone', async () => {
    const appData = tempDir('appdata');
    const first = await ensureDemoCopy(fs, appData, RESOURCES);
    writeFileSync(join(first.dir, 'project.json'), '{"formatVersion": 1, "na');

    const opened = await openDemoProject({ fs, appDataDir: appData, resourcesDir: RESOURCES });
    const second = demoCopyPath(appData, 2);
    expect(opened.project.dir).toBe(second);
    expect(second).toBe(join(appData, 'Demo', 'RNN Lab demo (2).rnnlab'));
    expect(opened.problems).toEqual([]);
    expect(readFileSync(join(first.dir, 'project.json'), 'utf8')).toBe('{"formatVersion": 1, "na');
    expect(existsSync(join(first.dir, 'runs', 'demo-gru', 'checkpoints'))).toBe(true);

    // the fresh copy is the one reopened from now on
    expect(await ensureDemoCopy(fs, appData, RESOURCES)).toEqual({ dir: second, copied: false, damaged: [] });
    expect((await new RecentProjects(fs, appData).list())[0]?.dir).toBe(second);
  });

  it('treats a damaged bundled run or a changed corpus as a damaged copy', async () => {
    const appData = tempDir('appdata');
    const first = await ensureDemoCopy(fs, appData, RESOURCES);
    writeFileSync(join(first.dir, 'runs', 'demo-lstm', 'run.json'), 'not json');
    const second = await ensureDemoCopy(fs, appData, RESOURCES);
    expect(second).toEqual({ dir: demoCopyPath(appData, 2), copied: true, damaged: [first.dir] });

    const source = join(second.dir, 'datasets', DEMO_DATASET_ID, 'source.txt');
    writeFileSync(source, readFileSync(source, 'utf8').replace('time', 'tame'));
    const third = await ensureDemoCopy(fs, appData, RESOURCES);
    expect(third).toMatchObject({ dir: demoCopyPath(appData, 3), copied: true });
    expect(demoFolders(appData)).toEqual(['RNN Lab demo (2).rnnlab', 'RNN Lab demo (3).rnnlab', 'RNN Lab demo.rnnlab']);
  });

  it('reopens a copy whose bundled runs the user deleted (that is not damage)', async () => {
    const appData = tempDir('appdata');
    const first = await ensureDemoCopy(fs, appData, RESOURCES);
    rmSync(join(first.dir, 'runs', 'demo-lstm'), { recursive: true });
    expect(await ensureDemoCopy(fs, appData, RESOURCES)).toEqual({ dir: first.dir, copied: false, damaged: [] });
  });

  it('answers demo:open calls made at the same time with one copy', async () => {
    const appData = tempDir('appdata');
    const handlers = createDemoHandlers({ fs, appDataDir: appData, resourcesDir: RESOURCES });
    const [a, b] = await Promise.all([handlers['demo:open'](undefined), handlers['demo:open'](undefined)]);
    expect(a.project.dir).toBe(b.project.dir);
    expect(demoFolders(appData)).toEqual(['RNN Lab demo.rnnlab']);
    expect(readdirSync(join(appData, DEMO_DATA_FOLDER)).filter((n) => n.startsWith('.'))).toEqual([]);
  });
});

describe('copyDemoProject', () => {
  it('refuses a bundle file that does not match the manifest and leaves nothing behind', async () => {
    const resources = tempDir('resources');
    cpSync(bundle.root, join(resources, 'demo'), { recursive: true });
    const vocab = join(resources, 'demo', 'demo.rnnlab', 'runs', 'demo-gru', 'vocab.json');
    writeFileSync(vocab, `${readFileSync(vocab, 'utf8')} `);
    const parent = tempDir('target');
    const target = join(parent, 'demo.rnnlab');
    await expect(copyDemoProject(fs, resources, target)).rejects.toMatchObject({ code: 'BundleDamaged', details: { file: 'runs/demo-gru/vocab.json' } });
    expect(readdirSync(parent)).toEqual([]);
  });

  it('reports a missing bundle with its own code', async () => {
    const resources = tempDir('resources');
    const err = await copyDemoProject(fs, resources, join(tempDir('target'), 'x.rnnlab')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DemoError);
    expect(err).toMatchObject({ code: 'BundleMissing' });
  });

  it('writes into an empty folder but refuses a folder with anything in it', async () => {
    const empty = tempDir('empty');
    await copyDemoProject(fs, RESOURCES, empty);
    expect(treeFiles(empty)).toEqual(treeFiles(bundle.project));

    const busy = tempDir('busy');
    mkdirSync(join(busy, 'x'));
    await expect(copyDemoProject(fs, RESOURCES, busy)).rejects.toMatchObject({ code: 'NotEmpty' });
    expect(readdirSync(busy)).toEqual(['x']);
  });
});
