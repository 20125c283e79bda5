/**
 * How long "Train a new run" takes to show its first epoch on the demo corpus, for each d2l preset:
 * the demo project is copied to a temp folder, a run is created from the preset as the run-setup
 * screen does (defaults + preset values), and a training host set up like the app's (trainer
 * worker threads, the app's concurrency and kernel choice) starts it; the clock runs from `start`
 * to the first epoch record the host emits.
 *
 *   npx tsx build/demo/first-epoch.ts [--presets d2l-gru,d2l-lstm] [--max-tokens N] [--kernels auto|ts|wasm] [--json]
 *
 * --max-tokens overrides the presets' 10,000 (0 = the whole corpus); --kernels ts times the
 * TypeScript fallback the app uses where WebAssembly SIMD is unavailable.
 *
 * From sources the trainer worker also compiles its TypeScript on start (the built app does not),
 * so these times are an upper bound for the app.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyDemoProject } from '../../src/core/demo/demo-bundle';
import { DEMO_DATASET_ID } from '../../src/core/demo/demo-recipe';
import { NodeFileSystem } from '../../src/core/fs/node-file-system';
import { RunsService } from '../../src/core/services/runs-service';
import { TrainingHost } from '../../src/core/training/training-host';
import { defaultRunConfig, presets } from '../../src/shared/run-config';
import type { KernelChoice } from '../../src/engine/kernels/wasm/select-kernels';
import type { MetricRecord } from '../../src/shared/runs';

const RESOURCES = fileURLToPath(new URL('../../resources', import.meta.url));
const LIMIT_SEC = 60;

interface Timing {
  preset: string;
  label: string;
  firstEpochSec: number | null;
  /** The executor's own clock for the epoch (excludes starting the worker and loading data). */
  epochTrainSec: number | null;
  tokensPerSec: number | null;
  kernels: string | null;
}

interface Options {
  maxTokens: number | undefined;
  kernels: KernelChoice;
}

async function timeFirstEpoch(fs: NodeFileSystem, projectDir: string, presetId: string, options: Options): Promise<Timing> {
  const preset = presets.find((p) => p.id === presetId);
  if (!preset) throw new Error(`unknown preset ${presetId} (${presets.map((p) => p.id).join(', ')})`);
  const config = { ...defaultRunConfig(DEMO_DATASET_ID), ...preset.values, name: preset.label, ...(options.maxTokens !== undefined && { maxTokens: options.maxTokens }) };
  const run = await new RunsService({ fs }).create(projectDir, config);
  // as in src/main/index.ts: leave a core for the window
  const host = new TrainingHost({ fs, kernels: options.kernels, maxConcurrent: Math.max(1, Math.min(4, availableParallelism() - 1)) });
  let first: MetricRecord | null = null;
  let arrived = 0;
  const got = new Promise<void>((resolve) => {
    host.subscribe((event) => {
      const epoch = event.runId === run.id ? event.metrics.find((m) => m.kind === 'epoch') : undefined;
      if (epoch && first === null) {
        first = epoch;
        arrived = performance.now();
        resolve();
      }
    });
  });
  const started = performance.now();
  await host.start(projectDir, run.id);
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 5 * LIMIT_SEC * 1000).unref());
  const outcome = await Promise.race([got, timeout]);
  await host.shutdown();
  const record = first as MetricRecord | null;
  return {
    preset: preset.id,
    label: preset.label,
    firstEpochSec: outcome === 'timeout' ? null : (arrived - started) / 1000,
    epochTrainSec: record?.time ?? null,
    tokensPerSec: record?.tokensPerSec ?? null,
    kernels: host.kernelsOf(projectDir, run.id),
  };
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const json = argv.includes('--json');
  const i = argv.indexOf('--presets');
  const ids = i >= 0 ? (argv[i + 1] ?? '').split(',').filter(Boolean) : presets.map((p) => p.id);
  const m = argv.indexOf('--max-tokens');
  const k = argv.indexOf('--kernels');
  const options: Options = { maxTokens: m >= 0 ? Number(argv[m + 1]) : undefined, kernels: k >= 0 ? (argv[k + 1] as KernelChoice) : 'auto' };
  const fs = new NodeFileSystem();
  const scratch = mkdtempSync(join(tmpdir(), 'rnnlab-first-epoch-'));
  const projectDir = join(scratch, 'demo.rnnlab');
  try {
    await copyDemoProject(fs, RESOURCES, projectDir);
    if (!json) console.log(`${availableParallelism()} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    let slow = 0;
    for (const id of ids) {
      const t = await timeFirstEpoch(fs, projectDir, id, options);
      if (t.firstEpochSec === null || t.firstEpochSec > LIMIT_SEC) slow++;
      if (json) console.log(JSON.stringify(t));
      else {
        const sec = t.firstEpochSec === null ? `over ${5 * LIMIT_SEC} s` : `${t.firstEpochSec.toFixed(1)} s`;
        console.log(`${t.label.padEnd(30)} first epoch after ${sec.padStart(8)}  (epoch ${t.epochTrainSec?.toFixed(1) ?? '-'} s, ${Math.round(t.tokensPerSec ?? 0)} tok/s, ${t.kernels ?? '?'})`);
      }
    }
    return slow === 0 ? 0 : 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

process.exitCode = await main();
