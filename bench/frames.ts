/**
 * Frame-time bench for the training view: serves the built renderer (run `npx electron-vite build`
 * first), opens it in headless Chromium with an in-memory backend, streams a run's metrics as
 * `runs:update` events at the contract's rate (10 per second) until it holds 100,000 steps, and
 * measures every frame with requestAnimationFrame inside the page.
 *
 *   npx tsx bench/frames.ts [--steps 100000] [--hz 10] [--per-event 500] [--view training|overview]
 *
 * Prints p50/p95/p99/max frame time and how many frames took longer than 50 ms. `--view overview`
 * streams the same events with the charts closed: a control for what the machine itself costs
 * (frame times on a loaded machine say little without it; the load average is printed too).
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { launch } from '../tests/e2e/harness';
import { BENCH_DIR, BENCH_RUN, benchHandlers, benchMetrics } from './frames-backend';
import type { EmitEvent } from '../src/shared/ipc/handlers';
import type { RunEvent } from '../src/shared/runs';

const { values } = parseArgs({ options: { steps: { type: 'string', default: '100000' }, hz: { type: 'string', default: '10' }, 'per-event': { type: 'string', default: '500' }, view: { type: 'string', default: 'training' } } });
const TOTAL = Number(values.steps);
const HZ = Number(values.hz);
const PER_EVENT = Number(values['per-event']);
const DIR = BENCH_DIR;
const RUN = BENCH_RUN;

if (!existsSync(resolve(import.meta.dirname, '../out/renderer/index.html'))) {
  console.error('out/renderer is missing: run `npx electron-vite build` first.');
  process.exit(1);
}

let emitEvent: EmitEvent = () => {};
const session = await launch(
  (emit) => {
    emitEvent = emit;
    return benchHandlers(Math.ceil(TOTAL / 100));
  },
  { colorScheme: 'light' },
);
const { page } = session;

try {
  await page.getByRole('button', { name: /frames/ }).first().click();
  if (values.view === 'training') {
    await page.locator('.sidebar button.open', { hasText: 'live' }).click();
    await page.getByRole('heading', { name: 'live' }).waitFor();
  }
  await page.waitForTimeout(500);

  // A string, not a function: tsx's name helpers do not exist inside the page.
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__stop = false;
    let last = 0;
    const tick = (t) => {
      window.__frames.push(t - last);
      last = t;
      if (!window.__stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame((t) => { last = t; requestAnimationFrame(tick); });
  })()`);

  const started = Date.now();
  let sent = 0;
  for (let from = 0; from < TOTAL; from += PER_EVENT) {
    const to = Math.min(TOTAL, from + PER_EVENT);
    const metrics = benchMetrics(from, to);
    const samples = Math.floor(to / 5000) > Math.floor(from / 5000) ? [{ step: to, epoch: to / 100, prefix: 'time traveller', text: ' for so it will be convenient to speak of him' }] : [];
    const last = metrics[metrics.length - 1]!;
    const event: RunEvent = {
      projectDir: DIR,
      runId: RUN,
      state: to >= TOTAL ? 'done' : 'running',
      progress: { epoch: last.epoch, totalEpochs: Math.ceil(TOTAL / 100), step: last.step, elapsedSec: last.time, etaSec: ((TOTAL - to) * 0.02) },
      metrics,
      samples,
      message: null,
      divergence: null,
    };
    emitEvent('runs:update', event);
    sent++;
    const due = started + (sent * 1000) / HZ;
    await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
  }
  await page.waitForTimeout(1000);

  const frames = (await page.evaluate('(() => { window.__stop = true; return window.__frames; })()')) as number[];
  const drawn = (await page.evaluate("document.querySelector('.facts')?.textContent ?? ''")) as string;
  const sorted = [...frames].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  const over = frames.filter((f) => f > 50).length;
  console.log(`streamed ${TOTAL.toLocaleString('en-US')} steps in ${sent} events at ${HZ}/s (${PER_EVENT} steps per event) over ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`view: ${values.view}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  if (drawn) console.log(`view shows: ${drawn.replace(/\s+/g, ' ').trim()}`);
  console.log(`frames: ${frames.length}`);
  console.log(`frame time ms  p50 ${q(0.5).toFixed(1)}  p95 ${q(0.95).toFixed(1)}  p99 ${q(0.99).toFixed(1)}  max ${sorted[sorted.length - 1]!.toFixed(1)}`);
  console.log(`frames over 50 ms: ${over}`);
  // where the long frames fall: seconds into the stream (the stream starts at 0)
  let at = 0;
  const long: string[] = [];
  for (const f of frames) {
    at += f;
    if (f > 50) long.push(`${f.toFixed(0)} ms at ${(at / 1000).toFixed(1)} s`);
  }
  if (long.length > 0) console.log(`long frames: ${long.join(', ')}`);
} finally {
  await session.close();
}
