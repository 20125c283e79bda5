/**
 * Trainers as worker_threads. Which file a worker loads depends on how the app runs:
 *
 * - Built (Electron, `out/main/`): the bundled host sits in `out/main/index.js`, and
 *   electron.vite.config.ts builds `src/core/trainer/worker.ts` as a second main-process entry,
 *   `out/main/trainer-worker.js`, next to it.
 * - From sources (tests, `npx rnn-lab`, bench): this module is a `.ts` file run by tsx or vitest;
 *   a worker does not inherit those loaders and Node 20 does not apply `--import tsx` in
 *   `execArgv` to a worker's `.ts` entry, so the worker starts from a tiny `.mjs` bootstrap that
 *   registers tsx's loader and then imports `worker.ts`.
 *
 * The relative paths are variables so the bundler leaves them alone (a literal
 * `new URL('…', import.meta.url)` would be copied as an asset).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { HostMessage, TrainerChannel, TrainerLauncher, TrainJob, WorkerMessage } from './protocol';

export interface TrainerWorkerSpec {
  url: URL;
  /** Extra workerData (the dev bootstrap reads `entry`). */
  workerData: Record<string, unknown>;
}

const DEV_BOOTSTRAP = '../trainer/dev-bootstrap.mjs';

/**
 * A worker entry seen from the module at `moduleUrl` (a file in src/core/<folder>/ or the bundle
 * in out/main/): from sources, the dev bootstrap loading `dev` (relative to `moduleUrl`); built,
 * `built` (e.g. `./trainer-worker.js`) beside the bundle or one folder up.
 */
export function workerEntrySpec(moduleUrl: string, entry: { built: string; dev: string }): TrainerWorkerSpec {
  if (/\.[cm]?ts$/.test(new URL(moduleUrl).pathname)) {
    return { url: new URL(DEV_BOOTSTRAP, moduleUrl), workerData: { entry: new URL(entry.dev, moduleUrl).href } };
  }
  // next to the bundle that holds this code, or one up if the bundler moved it into chunks/
  const beside = new URL(entry.built, moduleUrl);
  const above = new URL(`.${entry.built}`, moduleUrl);
  return { url: existsSync(fileURLToPath(beside)) || !existsSync(fileURLToPath(above)) ? beside : above, workerData: {} };
}

/** Where the trainer worker is, seen from the module at `moduleUrl` (this one by default). */
export function trainerWorkerSpec(moduleUrl: string = import.meta.url): TrainerWorkerSpec {
  return workerEntrySpec(moduleUrl, { built: './trainer-worker.js', dev: '../trainer/worker.ts' });
}

export interface WorkerLauncherOptions {
  spec?: TrainerWorkerSpec;
  /** Called with each worker as it starts (tests keep them to kill one). */
  onSpawn?: (worker: Worker, job: TrainJob) => void;
}

export function workerLauncher(options: WorkerLauncherOptions = {}): TrainerLauncher {
  const spec = options.spec ?? trainerWorkerSpec();
  return (job: TrainJob): TrainerChannel => {
    const worker = new Worker(spec.url, { workerData: { ...spec.workerData, job }, stderr: false });
    options.onSpawn?.(worker, job);
    let error: Error | null = null;
    const exitListeners: ((e: Error | null) => void)[] = [];
    worker.on('error', (e) => (error = e instanceof Error ? e : new Error(String(e))));
    worker.on('exit', (code) => {
      const e = error ?? (code === 0 ? null : new Error(`The trainer exited with code ${code}.`));
      for (const l of exitListeners) l(e);
    });
    return {
      send: (message: HostMessage) => worker.postMessage(message),
      onMessage: (l) => worker.on('message', (m: WorkerMessage) => l(m)),
      onExit: (l) => exitListeners.push(l),
      terminate: async () => {
        await worker.terminate();
      },
    };
  };
}
