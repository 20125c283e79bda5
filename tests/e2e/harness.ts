/**
 * End-to-end harness: serves the built renderer (out/renderer) over loopback, opens it in
 * Debian's Chromium through playwright-core, and binds `window.rnnlab` to the real core handlers
 * in this process. The bridge object in the page is built by the preload's own `buildBridge`
 * (bundled for the browser here), and every call goes through the real router with its sender,
 * payload and path checks (the app's access policy). Only the native dialogs are scripted.
 */
import { createServer, type Server } from 'node:http';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { createDispatcher, checkEvent, senderCheck } from '../../src/main/router';
import { createAccessPolicy } from '../../src/main/access-policy';
import type { EmitEvent, Handlers } from '../../src/shared/ipc/handlers';

const ROOT = resolve(import.meta.dirname, '../..');
const RENDERER = join(ROOT, 'out/renderer');
export const ARTIFACTS = join(ROOT, 'tests/e2e/.artifacts');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

function serveRenderer(): Promise<{ server: Server; origin: string }> {
  if (!existsSync(join(RENDERER, 'index.html'))) throw new Error('out/renderer is missing: run `npm run test:e2e`, which builds it first.');
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = join(RENDERER, path === sep || path === '/' ? 'index.html' : path);
    if (!file.startsWith(RENDERER + sep) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => {
    const addr = server.address();
    ok({ server, origin: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}` });
  }));
}

/** The preload's buildBridge, bundled as a browser script that defines `window.__buildBridge`. */
async function bridgeScript(): Promise<string> {
  const out = await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      write: false,
      minify: false,
      lib: { entry: join(ROOT, 'src/preload/build-bridge.ts'), formats: ['iife'], name: '__rnnlabPreload' },
    },
  });
  const chunk = (Array.isArray(out) ? out[0]! : out) as { output: Array<{ type: string; code?: string }> };
  const code = chunk.output.find((o) => o.type === 'chunk')!.code!;
  return `${code}
;(() => {
  const listeners = new Map();
  window.__rnnlabEmit = (channel, payload) => { for (const fn of listeners.get(channel) ?? []) fn(payload); };
  // Chromium gives pages no file paths; tests drop files from the folder they name here. As in the
  // preload, a dropped path is registered with main before the next request goes out.
  const drops = __rnnlabPreload.createDropPaths(
    (file) => (window.__rnnlabDropDir ?? '') + '/' + file.name,
    (path) => window.__rnnlabInvoke('files:dropped', { path }),
  );
  window.rnnlab = __rnnlabPreload.buildBridge(
    drops.ordered((channel, payload) => window.__rnnlabInvoke(channel, payload)),
    (channel, fn) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel).add(fn);
      return () => listeners.get(channel).delete(fn);
    },
    { files: { pathFor: (file) => drops.pathFor(file) } },
  );
})();`;
}

export interface Session {
  page: Page;
  origin: string;
  emit: EmitEvent;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function launch(makeHandlers: (emit: EmitEvent) => Handlers, options: { colorScheme?: 'light' | 'dark' } = {}): Promise<Session> {
  const { server, origin } = await serveRenderer();
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: options.colorScheme ?? 'light' });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(`${m.text()} ${m.location().url}`);
  });

  let sendToPage: EmitEvent = () => {};
  const emit: EmitEvent = (channel, payload) => sendToPage(channel, payload);
  const handlers = makeHandlers(emit);
  const policy = createAccessPolicy({ recentDirs: async () => (await handlers['projects:recent'](undefined)).map((r) => r.dir) });
  const dispatch = createDispatcher(handlers, senderCheck({ webContentsId: () => 1, devOrigin: origin }), policy);
  await page.exposeBinding('__rnnlabInvoke', (source, channel: string, payload: unknown) =>
    dispatch({ sender: { id: 1 }, senderFrame: { url: source.frame.url(), parent: source.frame.parentFrame() } }, channel, payload),
  );
  await page.addInitScript({ content: await bridgeScript() });
  sendToPage = (channel, payload) => {
    if (page.isClosed()) return; // a backend still finishing after the window closed, as in the app
    page
      .evaluate(([c, p]) => (globalThis as unknown as { __rnnlabEmit: (c: string, p: unknown) => void }).__rnnlabEmit(c, p), [channel, checkEvent(channel, payload)] as const)
      .catch((e: unknown) => {
        if (!page.isClosed()) throw e;
      });
  };
  await page.goto(`${origin}/index.html`);

  return {
    page,
    origin,
    emit,
    async screenshot(name) {
      const file = join(ARTIFACTS, `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    async close() {
      await browser.close();
      server.close();
      if (pageErrors.length > 0) throw new Error(`The page reported errors:\n${pageErrors.join('\n')}`);
    },
  };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `rnnlab-${prefix}-`));
}

/** A screenshot for tests/e2e/.artifacts/ that is also a README picture: copied to docs/screenshots/ with UPDATE_SCREENSHOTS=1. */
export async function publishShot(session: Session, name: string): Promise<void> {
  const file = await session.screenshot(name);
  if (process.env['UPDATE_SCREENSHOTS'] === '1') {
    mkdirSync('docs/screenshots', { recursive: true });
    copyFileSync(file, join('docs/screenshots', `${name}.png`));
  }
}
