import { describe, expect, it, vi } from 'vitest';
import { createDispatcher, isTrustedRendererUrl, registerIpc, senderCheck, type InvokeEventLike } from '../../src/main/router';
import { AppError } from '../../src/shared/errors';
import { preloadChannels, requestChannels } from '../../src/shared/ipc/contract';
import type { Handlers } from '../../src/shared/ipc/handlers';

const APP = 'file:///opt/rnn-lab/out/renderer/index.html';
const WINDOW_ID = 7;

function fakeHandlers(): Handlers {
  return {
    'app:info': vi.fn(() => ({ name: 'RNN Lab', version: '0', platform: 'linux', defaultProjectsDir: '/home/u/RNN Lab', pathSeparator: '/' as const })),
    'projects:create': vi.fn(async ({ parentDir, name }) => ({ dir: `${parentDir}/${name}.rnnlab`, name, created: '2026-01-01T00:00:00.000Z', formatVersion: 1 })),
    'projects:open': vi.fn(async () => {
      throw new AppError('NotAProject', 'That folder is not an RNN Lab project.', { dir: '/x' });
    }),
    'projects:recent': vi.fn(async () => []),
    'projects:forget': vi.fn(async () => []),
    'dialog:pickFolder': vi.fn(async () => ({ path: null })),
    'shell:openExternal': vi.fn(async () => ({ opened: false })),
  } as unknown as Handlers;
}

const fromApp = (over: Partial<InvokeEventLike> = {}): InvokeEventLike => ({ sender: { id: WINDOW_ID }, senderFrame: { url: APP, parent: null }, ...over });

function setup() {
  const handlers = fakeHandlers();
  const dispatch = createDispatcher(handlers, senderCheck({ webContentsId: () => WINDOW_ID, fileUrl: APP }));
  return { handlers, dispatch };
}

const validCreate = { parentDir: '/home/u/projects', name: 'demo' };

describe('IPC router', () => {
  it('runs the handler for our window main frame with a valid payload', async () => {
    const { handlers, dispatch } = setup();
    const res = await dispatch(fromApp(), 'projects:create', validCreate);
    expect(res).toEqual({ ok: true, value: expect.objectContaining({ name: 'demo', dir: '/home/u/projects/demo.rnnlab' }) });
    expect(handlers['projects:create']).toHaveBeenCalledOnce();
  });

  it('refuses a sender from a foreign origin without calling the handler', async () => {
    const { handlers, dispatch } = setup();
    for (const url of ['https://evil.example/index.html', 'file:///tmp/evil/index.html', 'http://localhost:5173/', 'data:text/html,x']) {
      const res = await dispatch(fromApp({ senderFrame: { url, parent: null } }), 'projects:create', validCreate);
      expect(res).toMatchObject({ ok: false, error: { code: 'ForbiddenSender' } });
    }
    expect(handlers['projects:create']).not.toHaveBeenCalled();
  });

  it('refuses a sub-frame sender even at our own URL', async () => {
    const { handlers, dispatch } = setup();
    const res = await dispatch(fromApp({ senderFrame: { url: APP, parent: { url: APP } } }), 'projects:create', validCreate);
    expect(res).toMatchObject({ ok: false, error: { code: 'ForbiddenSender' } });
    expect(handlers['projects:create']).not.toHaveBeenCalled();
  });

  it('refuses another webContents and a destroyed frame', async () => {
    const { handlers, dispatch } = setup();
    expect(await dispatch(fromApp({ sender: { id: 99 } }), 'projects:create', validCreate)).toMatchObject({ error: { code: 'ForbiddenSender' } });
    expect(await dispatch(fromApp({ senderFrame: null }), 'projects:create', validCreate)).toMatchObject({ error: { code: 'ForbiddenSender' } });
    expect(handlers['projects:create']).not.toHaveBeenCalled();
  });

  it.each([
    ['missing field', { parentDir: '/home/u' }],
    ['wrong type', { parentDir: 42, name: 'demo' }],
    ['extra field', { ...validCreate, evil: true }],
    ['name with a path separator', { parentDir: '/home/u', name: '../escape' }],
    ['empty name', { parentDir: '/home/u', name: '   ' }],
    ['not an object', 'projects'],
    ['null', null],
  ])('refuses a malformed payload (%s) without calling the handler', async (_label, payload) => {
    const { handlers, dispatch } = setup();
    const res = await dispatch(fromApp(), 'projects:create', payload);
    expect(res).toMatchObject({ ok: false, error: { code: 'InvalidPayload' } });
    expect(handlers['projects:create']).not.toHaveBeenCalled();
  });

  it('refuses an unknown channel, including prototype names', async () => {
    const { dispatch } = setup();
    expect(await dispatch(fromApp(), 'projects:drop', {})).toMatchObject({ error: { code: 'UnknownChannel' } });
    expect(await dispatch(fromApp(), '__proto__', {})).toMatchObject({ error: { code: 'UnknownChannel' } });
    expect(await dispatch(fromApp(), 'constructor', {})).toMatchObject({ error: { code: 'UnknownChannel' } });
  });

  it('passes coded errors through and hides nothing else', async () => {
    const { dispatch } = setup();
    expect(await dispatch(fromApp(), 'projects:open', { dir: '/x' })).toEqual({
      ok: false,
      error: { code: 'NotAProject', message: 'That folder is not an RNN Lab project.', details: { dir: '/x' } },
    });
  });

  it('maps an unexpected exception to Internal and a malformed response to InvalidResponse', async () => {
    const handlers = fakeHandlers();
    handlers['projects:recent'] = vi.fn(async () => {
      throw new TypeError('boom');
    }) as never;
    handlers['projects:forget'] = vi.fn(async () => [{ dir: 1 }]) as never;
    const dispatch = createDispatcher(handlers, senderCheck({ webContentsId: () => WINDOW_ID, fileUrl: APP }));
    expect(await dispatch(fromApp(), 'projects:recent', undefined)).toMatchObject({ ok: false, error: { code: 'Internal' } });
    expect(await dispatch(fromApp(), 'projects:forget', { dir: '/a' })).toMatchObject({ ok: false, error: { code: 'InvalidResponse' } });
  });

  it('registers every contract channel and the preload-only drop channel, and nothing else', () => {
    const handle = vi.fn();
    registerIpc({ handle }, setup().dispatch);
    expect(handle.mock.calls.map((c) => c[0]).sort()).toEqual([...requestChannels, ...preloadChannels].sort());
    expect(preloadChannels).toEqual(['files:dropped']);
  });

  it('has no drop channel without an access policy to record the path', async () => {
    const { dispatch } = setup();
    expect(await dispatch(fromApp(), 'files:dropped', { path: '/home/u/a.txt' })).toMatchObject({ ok: false, error: { code: 'UnknownChannel' } });
  });
});

describe('isTrustedRendererUrl', () => {
  it('accepts the built index.html, with a hash, and the dev server origin only', () => {
    expect(isTrustedRendererUrl(`${APP}#/runs`, { fileUrl: APP })).toBe(true);
    expect(isTrustedRendererUrl('file:///opt/rnn-lab/out/renderer/other.html', { fileUrl: APP })).toBe(false);
    expect(isTrustedRendererUrl('http://localhost:5173/src/x', { devOrigin: 'http://localhost:5173' })).toBe(true);
    expect(isTrustedRendererUrl('http://localhost:5174/', { devOrigin: 'http://localhost:5173' })).toBe(false);
    expect(isTrustedRendererUrl('http://localhost:5173/', { fileUrl: APP })).toBe(false);
  });
});
