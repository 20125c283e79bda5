/**
 * Hostile payloads through the real router with the app's access policy: a request naming another
 * project, a `..` traversal, a path the user never chose or a symlink is refused with
 * `ForbiddenPath` before its handler runs; what the user did (open a picked or recent project,
 * the demo, a new project, import a picked or dropped file) still reaches the handler.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createAccessPolicy, type AccessPolicy } from '../../src/main/access-policy';
import { createDispatcher, senderCheck, type Dispatch, type InvokeEventLike } from '../../src/main/router';
import { AppError } from '../../src/shared/errors';
import { requestChannels, requests, type RequestChannel } from '../../src/shared/ipc/contract';
import type { Handlers } from '../../src/shared/ipc/handlers';
import { defaultRunConfig } from '../../src/shared/run-config';

const APP = 'file:///opt/rnn-lab/out/renderer/index.html';
const fromApp: InvokeEventLike = { sender: { id: 7 }, senderFrame: { url: APP, parent: null } };

// Real folders and files, so the symlinks below point at something that exists.
const root = mkdtempSync(join(tmpdir(), 'rnnlab-policy-'));
const OPEN = join(root, 'open.rnnlab');
const OTHER = join(root, 'other.rnnlab');
const RECENT = join(root, 'recent.rnnlab');
const DEMO = join(root, 'appdata', 'Demo');
const PICKED = join(root, 'data', 'corpus.txt');
const WEIGHTS = join(root, 'data', 'model.safetensors');
const CONFIG = join(root, 'data', 'config.json');
const VOCAB = join(root, 'data', 'vocab.json');
const JSON_EXPORT = join(root, 'data', 'model.json');
const SECRET = join(root, 'secret.txt');
for (const dir of [OPEN, OTHER, RECENT, DEMO, join(root, 'data')]) mkdirSync(dir, { recursive: true });
for (const file of [PICKED, WEIGHTS, CONFIG, VOCAB, JSON_EXPORT, SECRET]) writeFileSync(file, 'x');
const LINK_TO_OPEN = join(root, 'link-to-open.rnnlab');
const LINK_TO_PICKED = join(root, 'link-to-corpus.txt');
symlinkSync(OPEN, LINK_TO_OPEN);
symlinkSync(PICKED, LINK_TO_PICKED);

const runRef = { projectDir: OPEN, runId: 'r1' };
const dataRef = { projectDir: OPEN, datasetId: 'd1' };

/** A valid request for every channel, naming only the open project and files the user picked. */
const SAMPLES: Record<RequestChannel, unknown[]> = {
  'app:info': [undefined],
  'projects:create': [{ parentDir: join(root, 'typed'), name: 'fresh' }],
  'projects:open': [{ dir: OPEN }],
  'projects:recent': [undefined],
  'projects:forget': [{ dir: RECENT }],
  'demo:open': [undefined],
  'dialog:pickFolder': [{ purpose: 'open-project' }],
  'datasets:import': [{ projectDir: OPEN, filePath: PICKED }],
  'datasets:get': [dataRef],
  'datasets:vocabulary': [{ ...dataRef, tokenizer: 'char', cleaning: 'none', minFreq: 1 }],
  'datasets:preview': [{ ...dataRef, cleaning: 'none', maxChars: 100 }],
  'datasets:rename': [{ ...dataRef, name: 'renamed' }],
  'datasets:delete': [dataRef],
  'dialog:pickFile': [{ purpose: 'dataset' }],
  'dialog:saveFile': [{ purpose: 'export-json', suggestedName: 'model.json' }],
  'files:save': [{ purpose: 'metrics-csv', suggestedName: 'm.csv', data: 'a,b', encoding: 'utf8' }],
  'runs:list': [{ projectDir: OPEN }],
  'runs:get': [runRef],
  'runs:create': [{ projectDir: OPEN, config: defaultRunConfig('d1') }],
  'runs:estimate': [{ projectDir: OPEN, config: defaultRunConfig('d1') }],
  'runs:start': [runRef],
  'runs:pause': [runRef],
  'runs:resume': [{ ...runRef, lr: 0.1 }],
  'runs:stop': [runRef],
  'runs:step': [runRef],
  'runs:rename': [{ ...runRef, name: 'renamed' }],
  'runs:delete': [runRef],
  'forecast:create': [{ projectDir: OPEN, config: { task: 'forecast', datasetId: 'd1', target: 'x' } }],
  'forecast:get': [runRef],
  'forecast:view': [runRef],
  'forecast:future': [{ ...runRef, steps: 10 }],
  'generate:text': [{ ...runRef, checkpoint: null, prefix: 'the', length: 5, decoding: { mode: 'greedy' }, seed: 1 }],
  'generate:score': [{ ...runRef, checkpoint: null, text: 'the' }],
  'export:run': [{ ...runRef, checkpoint: null, format: 'json' }],
  'import:weights': [
    { projectDir: OPEN, weightsPath: WEIGHTS, configPath: CONFIG, vocabPath: VOCAB },
    { projectDir: OPEN, jsonPath: JSON_EXPORT },
  ],
  'shell:openExternal': [{ url: 'https://d2l.ai/' }],
  'inspect:start': [{ ...runRef, checkpoint: null, jobId: 'j1', source: { kind: 'text', text: 'the' } }],
  'inspect:cancel': [{ jobId: 'j1' }],
  'inspect:saliency': [{ ...runRef, checkpoint: null, source: { kind: 'dataset', start: 0, count: 10 }, step: 3, target: null }],
  'inspect:saturation': [{ ...runRef, checkpoint: null, tokens: 100 }],
  'inspect:select': [{ ...runRef, checkpoint: null, source: { kind: 'text', text: 'the' }, layer: 0, from: 0, to: 2, threshold: 0.5 }],
  'inspect:match': [{ ...runRef, checkpoint: null, jobId: 'j2', layer: 0, units: [1], threshold: 0.5, length: 2 }],
  'export:pytorchRun': [runRef],
  'import:pytorchRun': [{ projectDir: OPEN }, { projectDir: OPEN, name: 'From the cluster' }],
  'sweeps:create': [{ projectDir: OPEN, config: { datasetId: 'd1', space: { lr: { low: 0.01, high: 1, log: true } } } }],
  'sweeps:list': [{ projectDir: OPEN }],
  'sweeps:get': [{ projectDir: OPEN, sweepId: 's1' }],
  'sweeps:stop': [{ projectDir: OPEN, sweepId: 's1' }],
  'sweeps:resume': [{ projectDir: OPEN, sweepId: 's1' }],
};

const opened = (dir: string) => ({ project: { dir, name: 'p', created: '2026-01-01T00:00:00.000Z', formatVersion: 1 }, datasets: [], runs: [], problems: [] });

/** Every handler throws `HandlerRan`, so an envelope tells whether the policy let the request through. */
function fakeHandlers(picks: { folders: string[]; files: string[] }): Handlers {
  const table = Object.fromEntries(
    requestChannels.map((c) => [
      c,
      vi.fn(async () => {
        throw new AppError('HandlerRan', `${c} ran`);
      }),
    ]),
  ) as unknown as Record<RequestChannel, ReturnType<typeof vi.fn>>;
  table['projects:open'].mockImplementation(async ({ dir }: { dir: string }) => opened(dir));
  table['demo:open'].mockImplementation(async () => opened(DEMO));
  table['projects:create'].mockImplementation(async ({ parentDir, name }: { parentDir: string; name: string }) => ({
    dir: join(parentDir, `${name}.rnnlab`),
    name,
    created: '2026-01-01T00:00:00.000Z',
    formatVersion: 1,
  }));
  table['projects:recent'].mockImplementation(async () => [{ dir: RECENT, name: 'recent', openedAt: '2026-01-01T00:00:00.000Z' }]);
  table['dialog:pickFolder'].mockImplementation(async () => ({ path: picks.folders.shift() ?? null }));
  table['dialog:pickFile'].mockImplementation(async () => ({ path: picks.files.shift() ?? null }));
  return table as unknown as Handlers;
}

interface Setup {
  handlers: Handlers;
  dispatch: Dispatch;
  call(channel: string, payload?: unknown): ReturnType<Dispatch>;
  picks: { folders: string[]; files: string[] };
  policy: AccessPolicy;
}

function setup(): Setup {
  const picks = { folders: [] as string[], files: [] as string[] };
  const handlers = fakeHandlers(picks);
  const policy = createAccessPolicy({ recentDirs: async () => (await handlers['projects:recent'](undefined)).map((r) => r.dir) });
  const dispatch = createDispatcher(handlers, senderCheck({ webContentsId: () => 7, fileUrl: APP }), policy);
  return { handlers, dispatch, picks, policy, call: (channel, payload) => dispatch(fromApp, channel, payload) };
}

/** The user picks OPEN in the folder dialog and opens it, then picks every file the samples name. */
async function userOpensAndPicks(s: Setup): Promise<void> {
  s.picks.folders.push(OPEN);
  expect(await s.call('dialog:pickFolder', { purpose: 'open-project' })).toEqual({ ok: true, value: { path: OPEN } });
  expect(await s.call('projects:open', { dir: OPEN })).toMatchObject({ ok: true });
  s.picks.files.push(PICKED, WEIGHTS, CONFIG, VOCAB, JSON_EXPORT);
  for (let i = 0; i < 5; i++) expect(await s.call('dialog:pickFile', { purpose: 'dataset' })).toMatchObject({ ok: true });
}

const ran = { ok: false, error: { code: 'HandlerRan' } };
const refused = { ok: false, error: { code: 'ForbiddenPath' } };

/** Path-like fields (`…Dir`, `…Path`, `dir`) of a channel's request schema, read from the contract. */
function contractPathFields(channel: RequestChannel): string[] {
  const schema = requests[channel].request as z.ZodType;
  const objects = schema instanceof z.ZodUnion ? (schema.options as z.ZodType[]) : [schema];
  return objects.flatMap((o) => (o instanceof z.ZodObject ? Object.keys(o.shape).filter((k) => /(?:dir|path)$/i.test(k)) : []));
}

/** For each path field of each sample: the hostile values a compromised page could send instead. */
function hostileCases(): Array<[string, string, Record<string, unknown>, string]> {
  const cases: Array<[string, string, Record<string, unknown>, string]> = [];
  for (const channel of requestChannels) {
    for (const sample of SAMPLES[channel]) {
      if (typeof sample !== 'object' || sample === null) continue;
      for (const [field, value] of Object.entries(sample)) {
        if (!/(?:dir|path)$/i.test(field) || field === 'parentDir') continue;
        const isFile = field.endsWith('Path');
        const variants: Array<[string, string]> = isFile
          ? [
              ['a path never chosen', SECRET],
              ['a .. traversal out of a chosen file', `${String(value)}/../../secret.txt`],
              ['a symlink to a chosen file', LINK_TO_PICKED],
              ['a file inside the open project', join(OPEN, 'project.json')],
            ]
          : [
              ["another project's folder", OTHER],
              ['a .. traversal from the open project', `${OPEN}/../other.rnnlab`],
              ['a symlink to the open project', LINK_TO_OPEN],
              ['the open project with a trailing slash', `${OPEN}/`],
            ];
        for (const [label, path] of variants) cases.push([channel, `${field}: ${label}`, { ...sample, [field]: path }, field]);
      }
    }
  }
  return cases;
}

describe('access policy through the router', () => {
  let s: Setup;
  beforeEach(async () => {
    s = setup();
    await userOpensAndPicks(s);
    for (const channel of requestChannels) vi.mocked(s.handlers[channel]).mockClear();
  });

  it('has a valid sample for every channel that names every path field of the contract', () => {
    for (const channel of requestChannels) {
      const named = new Set(SAMPLES[channel].flatMap((p) => (typeof p === 'object' && p !== null ? Object.keys(p) : [])));
      for (const field of contractPathFields(channel)) expect(named.has(field), `${channel}.${field}`).toBe(true);
      for (const payload of SAMPLES[channel]) expect(requests[channel].request.safeParse(payload).success, channel).toBe(true);
    }
  });

  it('lets every channel reach its handler when it names only the open project and chosen files', async () => {
    for (const channel of requestChannels) {
      if (channel === 'dialog:pickFolder' || channel === 'dialog:pickFile') continue; // they answer, not throw
      for (const payload of SAMPLES[channel]) {
        const res = await s.call(channel, payload);
        expect(res.ok ? 'ok' : res.error.code, channel).toMatch(/^(?:ok|HandlerRan)$/);
        await s.call('projects:open', { dir: OPEN }); // create and the demo open another project
      }
    }
    expect(s.handlers['datasets:import']).toHaveBeenCalledWith({ projectDir: OPEN, filePath: PICKED });
    expect(s.handlers['runs:delete']).toHaveBeenCalledWith(runRef);
    expect(s.handlers['import:weights']).toHaveBeenCalledTimes(2);
  });

  const cases = hostileCases();
  it('covers every channel that takes a project folder or a file path', () => {
    const covered = new Set(cases.map(([c]) => c));
    for (const channel of requestChannels) {
      const fields = contractPathFields(channel).filter((f) => f !== 'parentDir');
      expect(covered.has(channel), channel).toBe(fields.length > 0);
    }
    expect(covered).toContain('datasets:import');
    expect(covered).toContain('datasets:preview');
    expect(covered).toContain('runs:delete');
    expect(covered).toContain('import:weights');
  });

  it.each(cases)('refuses %s with %s without calling the handler', async (channel, _label, payload, field) => {
    const res = await s.call(channel, payload);
    expect(res).toMatchObject(refused);
    expect(res).toMatchObject({ error: { details: { channel, field } } });
    expect(s.handlers[channel as RequestChannel]).not.toHaveBeenCalled();
  });

  it('refuses a project folder before any project is open, even one picked for a new project location', async () => {
    const fresh = setup();
    expect(await fresh.call('runs:list', { projectDir: OPEN })).toMatchObject(refused);
    expect(await fresh.call('datasets:import', { projectDir: OPEN, filePath: PICKED })).toMatchObject(refused);
    expect(fresh.handlers['runs:list']).not.toHaveBeenCalled();
  });

  it('refuses the previous project once another is open', async () => {
    s.picks.folders.push(OTHER);
    await s.call('dialog:pickFolder', { purpose: 'open-project' });
    expect(await s.call('projects:open', { dir: OTHER })).toMatchObject({ ok: true });
    expect(await s.call('runs:delete', runRef)).toMatchObject(refused);
    expect(await s.call('runs:delete', { ...runRef, projectDir: OTHER })).toMatchObject(ran);
  });

  it('keeps the open project when opening another fails', async () => {
    s.picks.folders.push(OTHER);
    await s.call('dialog:pickFolder', { purpose: 'open-project' });
    vi.mocked(s.handlers['projects:open']).mockRejectedValueOnce(new AppError('NotAProject', 'not a project'));
    expect(await s.call('projects:open', { dir: OTHER })).toMatchObject({ ok: false, error: { code: 'NotAProject' } });
    expect(await s.call('runs:list', { projectDir: OPEN })).toMatchObject(ran);
    expect(await s.call('runs:list', { projectDir: OTHER })).toMatchObject(refused);
  });

  it('opens a folder only when it was picked, is in the recent list, or is already open', async () => {
    const fresh = setup();
    expect(await fresh.call('projects:open', { dir: OPEN })).toMatchObject(refused);
    expect(fresh.handlers['projects:open']).not.toHaveBeenCalled();
    expect(await fresh.call('projects:open', { dir: RECENT })).toMatchObject({ ok: true });
    expect(await fresh.call('runs:list', { projectDir: RECENT })).toMatchObject(ran);
    expect(await fresh.call('projects:open', { dir: RECENT })).toMatchObject({ ok: true });
  });

  it('opens a project named on the command line of a launch, and no other', async () => {
    const fresh = setup();
    fresh.policy.chooseFolder(OPEN);
    expect(await fresh.call('projects:open', { dir: OPEN })).toMatchObject({ ok: true });
    expect(await fresh.call('runs:list', { projectDir: OPEN })).toMatchObject(ran);
    expect(await fresh.call('projects:open', { dir: OTHER })).toMatchObject(refused);
  });

  it('ignores a cancelled folder or file dialog', async () => {
    const fresh = setup();
    expect(await fresh.call('dialog:pickFolder', { purpose: 'open-project' })).toEqual({ ok: true, value: { path: null } });
    expect(await fresh.call('dialog:pickFile', { purpose: 'dataset' })).toEqual({ ok: true, value: { path: null } });
    expect(await fresh.call('projects:open', { dir: OPEN })).toMatchObject(refused);
  });

  it('works on the demo project once demo:open answered it', async () => {
    const fresh = setup();
    expect(await fresh.call('runs:list', { projectDir: DEMO })).toMatchObject(refused);
    expect(await fresh.call('demo:open')).toMatchObject({ ok: true, value: { project: { dir: DEMO } } });
    expect(await fresh.call('runs:list', { projectDir: DEMO })).toMatchObject(ran);
    expect(await fresh.call('projects:open', { dir: DEMO })).toMatchObject({ ok: true });
  });

  it('works on a project it just created, wherever the user typed its location', async () => {
    const fresh = setup();
    const created = await fresh.call('projects:create', { parentDir: join(root, 'typed'), name: 'fresh' });
    const dir = join(root, 'typed', 'fresh.rnnlab');
    expect(created).toMatchObject({ ok: true, value: { dir } });
    expect(await fresh.call('projects:open', { dir })).toMatchObject({ ok: true });
    expect(await fresh.call('datasets:get', { projectDir: dir, datasetId: 'd1' })).toMatchObject(ran);
  });

  it('imports a file dropped on the window once the preload registered it, and no other', async () => {
    const dropped = join(root, 'dropped.txt');
    expect(await s.call('datasets:import', { projectDir: OPEN, filePath: dropped })).toMatchObject(refused);
    expect(await s.call('files:dropped', { path: dropped })).toEqual({ ok: true, value: { registered: true } });
    expect(await s.call('datasets:import', { projectDir: OPEN, filePath: dropped })).toMatchObject(ran);
    expect(s.handlers['datasets:import']).toHaveBeenCalledOnce();
  });

  it('checks the drop registration like any request: our window only, an absolute path only', async () => {
    expect(await s.call('files:dropped', { path: 'relative.txt' })).toMatchObject({ ok: false, error: { code: 'InvalidPayload' } });
    expect(await s.call('files:dropped', { path: '/x', extra: 1 })).toMatchObject({ ok: false, error: { code: 'InvalidPayload' } });
    const foreign = await s.dispatch({ sender: { id: 7 }, senderFrame: { url: 'https://evil.example/', parent: null } }, 'files:dropped', { path: SECRET });
    expect(foreign).toMatchObject({ ok: false, error: { code: 'ForbiddenSender' } });
    expect(await s.call('datasets:import', { projectDir: OPEN, filePath: SECRET })).toMatchObject(refused);
  });

  it('forgets only entries of the recent list', async () => {
    expect(await s.call('projects:forget', { dir: RECENT })).toMatchObject(ran);
    expect(await s.call('projects:forget', { dir: OTHER })).toMatchObject(refused);
  });
});

describe('access policy (pure)', () => {
  it('refuses a path-like field it has no rule for, so a new path field fails closed', async () => {
    const policy = createAccessPolicy({ recentDirs: async () => [] });
    expect(await policy.check('runs:list', { outputPath: '/tmp/x' })).toMatchObject({ code: 'ForbiddenPath', details: { field: 'outputPath' } });
    expect(await policy.check('runs:list', { runId: 'r1', name: 'n' })).toBeNull();
  });

  it('records the open project from the answers of open, create and the demo', () => {
    const policy = createAccessPolicy({ recentDirs: async () => [] });
    expect(policy.openProject()).toBeNull();
    policy.record('projects:create', {}, { dir: '/a/new.rnnlab', name: 'new', created: '', formatVersion: 1 });
    expect(policy.openProject()).toBe('/a/new.rnnlab');
    policy.record('demo:open', undefined, opened('/app/Demo'));
    expect(policy.openProject()).toBe('/app/Demo');
    policy.record('projects:open', { dir: '/b.rnnlab' }, opened('/b.rnnlab'));
    expect(policy.openProject()).toBe('/b.rnnlab');
  });
});
