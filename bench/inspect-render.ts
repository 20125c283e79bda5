/**
 * Inspector render bench: in headless Chromium (the built renderer; run `npx electron-vite build`
 * first), inspect a 2,000-token text with an LSTM-256 and time, inside the page,
 *   - request → painted: from pressing Inspect to the heatmap holding all 2,000 steps on screen
 *     (compute, transfer of the chunks, store and paint), and
 *   - received → painted: from the last chunk's arrival in the page to the same point (the
 *     renderer's own cost).
 * Median of 5 (after one warm-up).
 *
 *   npx tsx bench/inspect-render.ts [--backend real|fake] [--tokens 2000] [--repeats 5]
 *
 * `real` (default): the core's inspect handlers over a temporary project whose LSTM-256 run has a
 * checkpoint after a few updates (made through the same handlers the app uses). `fake`: chunks
 * generated in this process (no compute), to isolate transfer and rendering.
 * The e2e harness carries events through Playwright (typed arrays as base64), which is slower than
 * Electron's structured clone: the figures are an upper bound for the app.
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { launch, tempDir } from '../tests/e2e/harness';
import { realBackend } from '../tests/e2e/real-handlers';
import { BENCH_DIR, benchHandlers } from './frames-backend';
import { CELL_GATES, INSPECT_CHUNK_STEPS, type InspectRequest } from '../src/shared/inspect';
import type { EmitEvent, Handlers } from '../src/shared/ipc/handlers';
import { defaultRunConfig } from '../src/shared/run-config';

const { values } = parseArgs({ options: { backend: { type: 'string', default: 'real' }, tokens: { type: 'string', default: '2000' }, repeats: { type: 'string', default: '5' } } });
const TOKENS = Number(values.tokens);
const REPEATS = Number(values.repeats);
const H = 256;
const ROOT = resolve(import.meta.dirname, '..');

if (!existsSync(join(ROOT, 'out/renderer/index.html'))) {
  console.error('out/renderer is missing: run `npx electron-vite build` first.');
  process.exit(1);
}

/** Chunks as the core sends them, with made-up values: h, c, four gates, top-5. */
function fakeInspect(emit: () => EmitEvent): Pick<Handlers, 'inspect:start' | 'inspect:cancel'> {
  return {
    'inspect:start': (req) => {
      const r = req as InspectRequest;
      const text = r.source.kind === 'text' ? r.source.text : 'x'.repeat(r.source.count);
      const steps = [...text];
      setTimeout(() => {
        for (let from = 0; from < steps.length; from += INSPECT_CHUNK_STEPS) {
          const n = Math.min(INSPECT_CHUNK_STEPS, steps.length - from);
          const m = (seed: number) => ({ rows: n, cols: H, data: Float32Array.from({ length: n * H }, (_, i) => Math.tanh(Math.sin((i + seed) * 0.37))) });
          emit()('inspect:chunk', {
            jobId: r.jobId, start: from, tokens: steps.slice(from, from + n),
            layers: [{ h: m(1), c: m(2), gates: Object.fromEntries(CELL_GATES.lstm.map((g, k) => [g, m(3 + k)])) }],
            top: { k: r.topK, tokens: Array.from({ length: n * r.topK }, () => 'e'), probs: new Float32Array(n * r.topK).fill(0.1) },
          });
        }
        emit()('inspect:done', { jobId: r.jobId, status: 'done', processed: steps.length, error: null });
      }, 0);
      return { jobId: r.jobId, checkpoint: 'fake', cell: 'lstm', numLayers: 1, hiddenSize: H, gates: [...CELL_GATES.lstm], steps: steps.length, separator: '', start: 0, kernels: 'none (fake)' };
    },
    'inspect:cancel': () => ({ cancelled: false }),
  };
}

let handlers: Handlers | null = null;
let shutdown = async () => {};
let projectDir = BENCH_DIR;
let runName = 'live';
if (values.backend === 'fake') {
  let emitter: EmitEvent = () => {};
  const session = await launch((emit) => {
    emitter = emit;
    return (handlers = { ...benchHandlers(10), ...fakeInspect(() => emitter) });
  });
  await measure(session);
} else {
  const home = tempDir('inspect-bench');
  const backend = realBackend(tempDir('appdata'), home);
  shutdown = () => backend.shutdown();
  let emitter: EmitEvent = () => {};
  const updates: Array<{ runId: string; state: string }> = [];
  const session = await launch((emit) => {
    emitter = emit;
    return (handlers = backend.handlers((c, p) => {
      if (c === 'runs:update') updates.push(p as { runId: string; state: string });
      emit(c, p);
    }));
  });
  void emitter;
  // a project with the demo corpus and an LSTM-256 trained for a few updates (a checkpoint)
  const h = handlers!;
  const project = await h['projects:create']({ parentDir: home, name: 'bench' });
  projectDir = project.dir;
  const corpus = join(ROOT, 'resources/demo/demo.rnnlab/datasets/demo-corpus/source.txt');
  const dataset = await h['datasets:import']({ projectDir, filePath: corpus } as never);
  runName = 'lstm-256';
  const config = { ...defaultRunConfig(dataset.id), name: runName, cell: 'lstm' as const, hiddenSize: H, numLayers: 1, maxTokens: 3000, epochs: 1, checkpointEvery: 1 };
  const run = await h['runs:create']({ projectDir, config } as never);
  await h['runs:start']({ projectDir, runId: run.id });
  const started = Date.now();
  while (!updates.some((u) => u.runId === run.id && u.state === 'done')) {
    if (Date.now() - started > 120_000) throw new Error('The bench run did not finish training within 2 minutes.');
    await new Promise((ok) => setTimeout(ok, 200));
  }
  await measure(session);
}

async function measure(session: Awaited<ReturnType<typeof launch>>): Promise<void> {
  const { page } = session;
  try {
    await page.evaluate(`window.rnnlab.projects.open({ dir: ${JSON.stringify(projectDir)} })`);
    await page.reload();
    await page.getByRole('button', { name: values.backend === 'fake' ? /frames/ : /bench/ }).first().click();
    await page.getByRole('button', { name: 'Inspect hidden state' }).click();
    await page.getByRole('heading', { name: 'Inspect hidden state' }).waitFor();
    const text = readFileSync(join(ROOT, 'resources/demo/demo.rnnlab/datasets/demo-corpus/source.txt'), 'utf8').toLowerCase().replace(/[^a-z]+/g, ' ').slice(0, TOKENS);
    await page.getByTestId('inspect-text').fill(text);
    // the page records when chunks arrive and when the canvas says it painted all steps
    await page.evaluate(`(() => {
      const emit = window.__rnnlabEmit;
      window.__rnnlabEmit = (c, p) => { if (c === 'inspect:chunk') window.__lastChunk = performance.now(); emit(c, p); };
    })()`);
    const results: Array<{ total: number; render: number }> = [];
    for (let i = 0; i <= REPEATS; i++) {
      const r = (await page.evaluate(`new Promise((done) => {
        const t0 = performance.now();
        const watch = () => {
          const c = document.querySelector('[data-testid="heatmap-canvas"]');
          if (c && c.dataset.painted === '${TOKENS}' && window.__lastChunk > t0) {
            requestAnimationFrame(() => { const t = performance.now(); done({ total: t - t0, render: t - window.__lastChunk }); });
          } else requestAnimationFrame(watch);
        };
        document.querySelector('[data-testid="inspect-run"]').click();
        requestAnimationFrame(watch);
      })`)) as { total: number; render: number };
      if (i > 0) results.push(r); // the first is a warm-up (code paths, worker start)
      await page.waitForTimeout(300);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const kernels = await page.locator('.heat-head .small').textContent();
    console.log(`inspect-render (${values.backend}, ${TOKENS} tokens, LSTM-${H}; ${kernels?.trim()}) load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    console.log(`  request → painted: median ${median(results.map((r) => r.total)).toFixed(0)} ms  (${results.map((r) => r.total.toFixed(0)).join(', ')})`);
    console.log(`  received → painted: median ${median(results.map((r) => r.render)).toFixed(0)} ms  (${results.map((r) => r.render.toFixed(0)).join(', ')})`);
  } finally {
    await shutdown();
    await session.close();
  }
}
