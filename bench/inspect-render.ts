/**
 * Inspector render bench (issue 13: "inspecting 2,000 tokens of an LSTM-256 renders in under 1 s").
 * Built renderer in headless Chromium (run `npx electron-vite build` first). Three parts, each the
 * median of 5 after a warm-up:
 *   - compute: `inspect:start` through the real handlers (task worker, the run's kernels) until
 *     `inspect:done`, in this process (`--backend real`, default), for a 2,000-token text and an
 *     LSTM-256 trained for a few updates in a temporary project;
 *   - transfer: structuredClone of all chunks (what Electron's IPC does to them);
 *   - render: inside the page, from the moment the chunks arrive (replayed into the page's bridge
 *     at once, as IPC delivers them) to the heatmap holding all steps on screen (store, copy into
 *     place, paint, text, next frame). The e2e harness carries events through Playwright as base64,
 *     far slower than Electron; replaying inside the page keeps that out of the figure.
 *
 *   npx tsx bench/inspect-render.ts [--backend real|fake] [--tokens 2000] [--repeats 5]
 *
 * `fake` skips the compute and generates chunks of the same shape here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { launch, tempDir } from '../tests/e2e/harness';
import { realBackend } from '../tests/e2e/real-handlers';
import { BENCH_DIR, benchHandlers } from './frames-backend';
import { CELL_GATES, INSPECT_CHUNK_STEPS, type InspectChunk, type InspectHeader } from '../src/shared/inspect';
import type { EmitEvent, Handlers } from '../src/shared/ipc/handlers';
import { defaultRunConfig } from '../src/shared/run-config';

const { values } = parseArgs({ options: { backend: { type: 'string', default: 'real' }, tokens: { type: 'string', default: '2000' }, repeats: { type: 'string', default: '5' } } });
const TOKENS = Number(values.tokens);
const REPEATS = Number(values.repeats);
const H = 256;
const ROOT = resolve(import.meta.dirname, '..');
const CORPUS = join(ROOT, 'resources/demo/demo.rnnlab/datasets/demo-corpus/source.txt');
const TEXT = readFileSync(CORPUS, 'utf8').toLowerCase().replace(/[^a-z]+/g, ' ').slice(0, TOKENS);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const list = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');

if (!existsSync(join(ROOT, 'out/renderer/index.html'))) {
  console.error('out/renderer is missing: run `npx electron-vite build` first.');
  process.exit(1);
}

/** Chunks of the core's shape with made-up values: h, c, four gates, top-5. */
function fakeInspection(): { header: InspectHeader; chunks: InspectChunk[] } {
  const steps = [...TEXT];
  const chunks: InspectChunk[] = [];
  for (let from = 0; from < steps.length; from += INSPECT_CHUNK_STEPS) {
    const n = Math.min(INSPECT_CHUNK_STEPS, steps.length - from);
    const m = (seed: number) => ({ rows: n, cols: H, data: Float32Array.from({ length: n * H }, (_, i) => Math.tanh(Math.sin((i + seed) * 0.37))) });
    chunks.push({
      jobId: 'bench', start: from, tokens: steps.slice(from, from + n),
      layers: [{ h: m(1), c: m(2), gates: Object.fromEntries(CELL_GATES.lstm.map((g, k) => [g, m(3 + k)])) }],
      top: { k: 5, tokens: Array.from({ length: n * 5 }, () => 'e'), probs: new Float32Array(n * 5).fill(0.1) },
    });
  }
  return { header: { jobId: 'bench', checkpoint: 'fake', cell: 'lstm', numLayers: 1, hiddenSize: H, gates: [...CELL_GATES.lstm], steps: steps.length, separator: '', start: 0, kernels: 'none (fake)' }, chunks };
}

let handlers: Handlers | null = null;
const listeners = new Set<(channel: string, payload: unknown) => void>();
const tap: EmitEvent = (c, p) => {
  for (const l of listeners) l(c, p);
};
let projectDir = BENCH_DIR;
let projectName = 'frames';
const computeMs: number[] = [];
let recorded: { header: InspectHeader; chunks: InspectChunk[] } = fakeInspection();
let shutdown = async () => {};

const session = await launch((emit) => {
  if (values.backend === 'fake') return (handlers = benchHandlers(10));
  const backend = realBackend(tempDir('appdata'), tempDir('inspect-bench'));
  shutdown = () => backend.shutdown();
  // inspect events stay in this process: carrying 12 MB through Playwright would be timed as compute
  return (handlers = backend.handlers((c, p) => {
    tap(c, p);
    if (!c.startsWith('inspect:')) emit(c, p);
  }));
});

try {
  if (values.backend !== 'fake') {
    const h = handlers!;
    const home = tempDir('inspect-bench-home');
    projectDir = (await h['projects:create']({ parentDir: home, name: 'bench' })).dir;
    projectName = 'bench';
    const dataset = await h['datasets:import']({ projectDir, filePath: CORPUS } as never);
    const config = { ...defaultRunConfig(dataset.id), name: 'lstm-256', cell: 'lstm' as const, hiddenSize: H, numLayers: 1, maxTokens: 3000, epochs: 1, checkpointEvery: 1 };
    const run = await h['runs:create']({ projectDir, config } as never);
    const trained = new Promise<void>((ok) => listeners.add((c, p) => c === 'runs:update' && (p as { runId: string; state: string }).runId === run.id && (p as { state: string }).state === 'done' && ok()));
    await h['runs:start']({ projectDir, runId: run.id });
    await trained;
    for (let i = 0; i <= REPEATS; i++) {
      const jobId = `bench-${i}`;
      const chunks: InspectChunk[] = [];
      const done = new Promise<void>((ok) => listeners.add((c, p) => {
        if (c === 'inspect:chunk' && (p as InspectChunk).jobId === jobId) chunks.push(p as InspectChunk);
        if (c === 'inspect:done' && (p as { jobId: string }).jobId === jobId) ok();
      }));
      const t0 = performance.now();
      const header = await h['inspect:start']({ projectDir, runId: run.id, checkpoint: null, jobId, source: { kind: 'text', text: TEXT }, topK: 5 });
      await done;
      if (i > 0) computeMs.push(performance.now() - t0);
      recorded = { header, chunks };
    }
  }
  const cloneMs = Array.from({ length: REPEATS }, () => {
    const t0 = performance.now();
    structuredClone(recorded.chunks);
    return performance.now() - t0;
  });

  const { page } = session;
  await page.evaluate(`window.rnnlab.projects.open({ dir: ${JSON.stringify(projectDir)} })`);
  await page.reload();
  await page.getByRole('button', { name: new RegExp(projectName) }).first().click();
  await page.getByRole('button', { name: 'Inspect hidden state' }).click();
  await page.getByRole('heading', { name: 'Inspect hidden state' }).waitFor();
  await page.getByTestId('inspect-text').fill(TEXT);
  // the recorded inspection goes into the page once; `inspect:start` then answers from it and its chunks arrive at once
  await page.evaluate(([rec]) => {
    const w = globalThis as unknown as Record<string, unknown>;
    w['__recorded'] = rec;
    const invoke = w['__rnnlabInvoke'] as (c: string, p: unknown) => Promise<unknown>;
    w['__rnnlabInvoke'] = (channel: string, payload: { jobId: string }) => {
      if (channel !== 'inspect:start') return invoke(channel, payload);
      const r = w['__recorded'] as { header: object; chunks: Array<{ jobId: string }> };
      setTimeout(() => {
        w['__received'] = performance.now();
        const emit = w['__rnnlabEmit'] as (c: string, p: unknown) => void;
        for (const c of r.chunks) emit('inspect:chunk', { ...c, jobId: payload.jobId });
        emit('inspect:done', { jobId: payload.jobId, status: 'done', processed: r.chunks.length, error: null });
      }, 0);
      return Promise.resolve({ ok: true, value: { ...r.header, jobId: payload.jobId } });
    };
  }, [recorded] as const);
  const renderMs: number[] = [];
  for (let i = 0; i <= REPEATS; i++) {
    const ms = (await page.evaluate(`new Promise((done) => {
      window.__received = 0;
      const watch = () => {
        const c = document.querySelector('[data-testid="heatmap-canvas"]');
        if (window.__received > 0 && c && c.dataset.painted === '${TOKENS}') requestAnimationFrame(() => done(performance.now() - window.__received));
        else requestAnimationFrame(watch);
      };
      document.querySelector('[data-testid="inspect-run"]').click();
      requestAnimationFrame(watch);
    })`)) as number;
    if (i > 0) renderMs.push(ms);
    await page.waitForTimeout(300);
  }
  const kernels = recorded.header.kernels;
  console.log(`inspect-render: ${TOKENS} tokens, LSTM-${H} (${kernels}), ${values.backend} backend, load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  if (computeMs.length > 0) console.log(`  compute (inspect:start → done)  median ${median(computeMs).toFixed(0)} ms  (${list(computeMs)})`);
  console.log(`  transfer (structuredClone)      median ${median(cloneMs).toFixed(0)} ms  (${list(cloneMs)})`);
  console.log(`  render (received → painted)     median ${median(renderMs).toFixed(0)} ms  (${list(renderMs)})`);
  const total = (computeMs.length > 0 ? median(computeMs) : 0) + median(cloneMs) + median(renderMs);
  console.log(`  total                           ${total.toFixed(0)} ms${computeMs.length > 0 ? '' : ' (no compute: fake backend)'}`);
} finally {
  await shutdown();
  await session.close();
}
