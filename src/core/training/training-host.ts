/**
 * The training host: one trainer (worker thread) per training run, a queue in front of a fixed
 * number of concurrent runs, and run.json kept in step with what each trainer reports.
 *
 * - `start` queues a `queued` run; it trains as soon as a slot is free.
 * - `pause` lets the trainer finish its minibatch and checkpoint; the worker stays loaded (a paused
 *   run holds no slot), so `step` trains single minibatches and `resume` continues exactly.
 * - `resume` continues a paused, interrupted, diverged, failed or finished run from its newest
 *   good checkpoint, optionally with a new epoch total or learning rate (kept in training.json).
 * - `stop` checkpoints and marks the run done.
 * - A trainer that dies without reporting marks only its own run `failed`.
 * - A trainer that does not answer a command (stop, pause, step, release) within `commandTimeoutMs`
 *   is terminated: its run becomes `interrupted` (resume continues from its last checkpoint) and
 *   its slot is free again.
 * - `shutdown` (app quit) checkpoints every loaded run; running ones become `interrupted`.
 *
 * Progress reaches `emit` at most once per `eventIntervalMs` per run (state changes at once),
 * carrying every metric and sample record since the previous event.
 */
import { availableParallelism } from 'node:os';
import type { KernelChoice } from '../../engine/kernels/wasm';
import type { CheckpointInfo, MetricRecord, NonFiniteReportDto, RunEvent, RunProgress, RunState, SampleRecord } from '../../shared/runs';
import type { FileSystem } from '../fs/file-system';
import { readRun, readRunConfig, recordBestValPerplexity, setRunState } from '../store/runs';
import { IMPORTED_DATASET_ID } from '../export/import-weights';
import type { RunRecord } from '../store/schemas';
import { checkpointInfos, readCheckpointEntries, toMetricRecord } from '../services/run-files';
import type { LiveRuns } from '../services/runs-service';
import type { FinishOutcome, TrainerChannel, TrainerLauncher, WorkerMessage } from './protocol';
import { checkResumable } from './resume-point';
import { markRunning, RESUMABLE_STATES, stampKernels } from './run-lifecycle';
import { checkOverrides, writeOverrides, type TrainingOverrides } from './run-settings';
import { TrainingError } from './training-error';
import { workerLauncher } from './worker-launcher';

export interface TrainingHostOptions {
  fs: FileSystem;
  /** How trainers start (default: worker threads). */
  launcher?: TrainerLauncher;
  /** Runs training at the same time (default 1); paused runs do not count. */
  maxConcurrent?: number;
  /** Kernels for every run (default 'auto': WebAssembly SIMD when the runtime has it). */
  kernels?: KernelChoice;
  /** Threads per kernel call of one run (default: the cores shared out among `maxConcurrent` runs). */
  threadsPerRun?: number;
  emit?: (event: RunEvent) => void;
  eventIntervalMs?: number;
  /** How long `shutdown` waits for a trainer to checkpoint before killing it (ms). */
  shutdownTimeoutMs?: number;
  /** How long stop, pause, step and a relaunching resume wait for the trainer's answer before killing it (ms; default 10 s). */
  commandTimeoutMs?: number;
  /** Where failures that reach no caller are reported (a run.json that cannot be written). */
  onError?: (error: unknown) => void;
}

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

interface Active {
  key: string;
  projectDir: string;
  runId: string;
  channel: TrainerChannel;
  phase: 'starting' | 'running' | 'paused';
  progress: RunProgress | null;
  /** The trainer's last word (finished or failed); null while it is alive and well. */
  final: Extract<WorkerMessage, { type: 'finished' | 'failed' }> | null;
  /** Why the host asked it to release: the app quits, or a resume relaunches it with new settings. */
  releasing: 'shutdown' | 'relaunch' | null;
  /** The command it did not answer in time (it was then terminated). */
  unanswered: string | null;
  /** Resolved on the next `paused`/`ready` report or when the trainer is gone. */
  idle: Deferred;
  /** Which kernels train it, as the trainer described them once loaded. */
  kernels: string | null;
  /** run.json writes for this run, one after another. */
  writes: Promise<void>;
  /** Resolved once the trainer is gone and run.json says so. */
  settled: Deferred;
  events: { metrics: MetricRecord[]; samples: SampleRecord[]; checkpoints?: CheckpointInfo[]; lastEmit: number; timer: NodeJS.Timeout | null };
}

interface Waiting {
  key: string;
  projectDir: string;
  runId: string;
  resume: boolean;
}

const formatSeconds = (ms: number): string => (ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`);

const keyOf = (projectDir: string, runId: string): string => `${projectDir}\u0000${runId}`;

export class TrainingHost implements LiveRuns {
  readonly fs: FileSystem;
  private readonly launcher: TrainerLauncher;
  private readonly maxConcurrent: number;
  private readonly kernels: KernelChoice;
  private readonly threadsPerRun: number;
  private readonly emit: (event: RunEvent) => void;
  private readonly eventIntervalMs: number;
  private readonly shutdownTimeoutMs: number;
  private readonly commandTimeoutMs: number;
  private readonly onError: (error: unknown) => void;
  private readonly active = new Map<string, Active>();
  private readonly queue: Waiting[] = [];
  /** Taken off the queue, not yet in `active` (run.json being updated). */
  private readonly launching = new Set<string>();
  private readonly listeners = new Set<(event: RunEvent) => void>();
  private closing = false;
  private pumping: Promise<void> = Promise.resolve();
  private readonly idleWaiters = new Map<string, Deferred[]>();
  private readonly kernelsUsed = new Map<string, string>();

  constructor(options: TrainingHostOptions) {
    this.fs = options.fs;
    this.launcher = options.launcher ?? workerLauncher();
    this.maxConcurrent = Math.max(1, Math.floor(options.maxConcurrent ?? 1));
    this.kernels = options.kernels ?? 'auto';
    this.threadsPerRun = Math.max(1, Math.floor(options.threadsPerRun ?? availableParallelism() / this.maxConcurrent));
    this.emit = options.emit ?? (() => {});
    this.eventIntervalMs = options.eventIntervalMs ?? 100;
    this.shutdownTimeoutMs = options.shutdownTimeoutMs ?? 15_000;
    this.commandTimeoutMs = options.commandTimeoutMs ?? 10_000;
    this.onError = options.onError ?? ((e) => console.error('[training host]', e));
  }

  /** The kernels and threads each trainer gets (a time estimate measures with the same). */
  trainerKernels(): { kernels: KernelChoice; threads: number } {
    return { kernels: this.kernels, threads: this.threadsPerRun };
  }

  /** Also receives every event (the command line prints from it). Returns an unsubscribe. */
  subscribe(listener: (event: RunEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  status(projectDir: string, runId: string): { progress: RunProgress | null } | null {
    const key = keyOf(projectDir, runId);
    const a = this.active.get(key);
    if (a) return { progress: a.progress };
    return this.queue.some((w) => w.key === key) || this.launching.has(key) ? { progress: null } : null;
  }

  /** The kernels that trained the run last in this host ("wasm-relaxed-simd (2 threads)"), if any. */
  kernelsOf(projectDir: string, runId: string): string | null {
    return this.kernelsUsed.get(keyOf(projectDir, runId)) ?? null;
  }

  /** Runs training or waiting to train, in every project (paused ones do not count). */
  trainingCount(): number {
    let n = this.queue.length + this.launching.size;
    for (const a of this.active.values()) if (a.phase !== 'paused') n++;
    return n;
  }

  isActive(projectDir: string, runId: string): boolean {
    return this.active.has(keyOf(projectDir, runId));
  }

  /** True while a run of the project trains, is paused in memory, or waits to train. */
  isProjectBusy(projectDir: string): boolean {
    const prefix = keyOf(projectDir, '');
    return [...this.active.keys(), ...this.launching, ...this.queue.map((w) => w.key)].some((key) => key.startsWith(prefix));
  }

  async start(projectDir: string, runId: string): Promise<RunRecord> {
    this.assertOpen();
    const key = keyOf(projectDir, runId);
    this.assertIdle(key);
    const run = await readRun(this.fs, projectDir, runId);
    if (run.state !== 'queued') throw new TrainingError('NotStartable', `This run is ${run.state}; only a new run can start (resume continues the others).`, { runId, state: run.state });
    this.queue.push({ key, projectDir, runId, resume: false });
    await this.pump();
    return readRun(this.fs, projectDir, runId);
  }

  async resume(projectDir: string, runId: string, overrides: TrainingOverrides = {}): Promise<RunRecord> {
    this.assertOpen();
    const key = keyOf(projectDir, runId);
    const live = this.active.get(key);
    const changes = overrides.epochs !== undefined || overrides.lr !== undefined;
    if (changes) await checkOverrides(this.fs, projectDir, runId, overrides); // before a paused trainer is released
    let fresh = false;
    if (live) {
      if (live.phase !== 'paused') throw new TrainingError('AlreadyActive', 'This run is already training.', { runId });
      if (!changes && this.runningCount() < this.maxConcurrent) {
        live.phase = 'running';
        live.channel.send({ type: 'resume' });
        await this.writeState(live, 'running');
        this.publish(live, 'running', null, null);
        return readRun(this.fs, projectDir, runId);
      }
      // new settings, or no free slot: checkpoint, unload, and queue a resume from that checkpoint
      live.releasing = 'relaunch';
      live.channel.send({ type: 'release' });
      await this.answer(live, live.settled.promise, 'release');
      if (live.unanswered) return readRun(this.fs, projectDir, runId);
    } else {
      if (this.queue.some((w) => w.key === key)) throw new TrainingError('AlreadyActive', 'This run is already waiting to train.', { runId });
      const run = await readRun(this.fs, projectDir, runId);
      if (run.state !== 'queued' && !RESUMABLE_STATES.includes(run.state)) throw new TrainingError('NotResumable', `A ${run.state} run cannot be resumed.`, { runId, state: run.state });
      const config = (await readRunConfig(this.fs, projectDir, runId)) as { datasetId?: unknown };
      if (config.datasetId === IMPORTED_DATASET_ID) {
        throw new TrainingError('ImportedRun', 'This run holds weights imported from another tool, without its training data or optimizer state, so it cannot train further here. Start a new run to train.', { runId });
      }
      fresh = run.state === 'queued';
      if (!fresh) await checkResumable(this.fs, projectDir, runId); // refuses when the checkpoints are damaged or gone
    }
    await writeOverrides(this.fs, projectDir, runId, overrides);
    this.queue.push({ key, projectDir, runId, resume: !fresh });
    await this.pump();
    return readRun(this.fs, projectDir, runId);
  }

  async pause(projectDir: string, runId: string): Promise<RunRecord> {
    const a = this.active.get(keyOf(projectDir, runId));
    if (!a) throw new TrainingError('NotRunning', 'This run is not training.', { runId });
    if (a.phase === 'starting') await a.idle.promise;
    if (a.phase === 'running') {
      a.idle = deferred();
      a.channel.send({ type: 'pause' });
      await this.answer(a, a.idle.promise, 'pause');
      if (this.active.get(a.key) === a) {
        a.phase = 'paused';
        await this.writeState(a, 'paused');
        this.publish(a, 'paused', null, null);
        void this.pump();
      }
    }
    return readRun(this.fs, projectDir, runId);
  }

  /** One minibatch of a paused (or not yet loaded queued/paused/interrupted) run; it stays paused. */
  async step(projectDir: string, runId: string): Promise<RunRecord> {
    this.assertOpen();
    const key = keyOf(projectDir, runId);
    let a = this.active.get(key);
    if (!a) {
      if (this.queue.some((w) => w.key === key)) throw new TrainingError('Busy', 'This run is waiting to train; wait for it or stop it first.', { runId });
      const run = await readRun(this.fs, projectDir, runId);
      if (!['queued', 'paused', 'interrupted'].includes(run.state)) throw new TrainingError('NotResumable', `A ${run.state} run cannot be stepped.`, { runId, state: run.state });
      a = await this.launch({ key, projectDir, runId, resume: run.state !== 'queued' }, true);
      await a.idle.promise;
      if (this.active.get(key) !== a) return readRun(this.fs, projectDir, runId); // it failed to load
    }
    if (a.phase !== 'paused') throw new TrainingError('Busy', 'Pause the run before stepping it one minibatch at a time.', { runId });
    if (this.active.get(key) === a) {
      a.idle = deferred();
      a.channel.send({ type: 'step' });
      await this.answer(a, a.idle.promise, 'step');
    }
    return readRun(this.fs, projectDir, runId);
  }

  async stop(projectDir: string, runId: string): Promise<RunRecord> {
    const key = keyOf(projectDir, runId);
    const a = this.active.get(key);
    if (a) {
      // a stop must end the run: a trainer stuck loading or training is killed after the timeout
      const stopped = (async () => {
        if (a.phase === 'starting') await a.idle.promise;
        if (this.active.get(key) === a) a.channel.send({ type: 'stop' });
        await a.settled.promise;
      })();
      await this.answer(a, stopped, 'stop');
      return readRun(this.fs, projectDir, runId);
    }
    const waiting = this.queue.findIndex((w) => w.key === key);
    if (waiting >= 0) this.queue.splice(waiting, 1);
    const run = await readRun(this.fs, projectDir, runId);
    if (run.state === 'paused' || run.state === 'interrupted') return setRunState(this.fs, projectDir, runId, 'done', { message: 'Stopped.' });
    if (waiting >= 0) return run;
    throw new TrainingError('NotRunning', 'This run is not training.', { runId });
  }

  /** Resolves when the run is neither training, paused in memory, nor waiting; returns run.json. */
  async wait(projectDir: string, runId: string): Promise<RunRecord> {
    const key = keyOf(projectDir, runId);
    while (this.isBusy(key)) {
      const d = deferred();
      const list = this.idleWaiters.get(key) ?? [];
      list.push(d);
      this.idleWaiters.set(key, list);
      await d.promise;
    }
    return readRun(this.fs, projectDir, runId);
  }

  /**
   * App quit: nothing new starts, every loaded trainer checkpoints and unloads (running runs become
   * `interrupted`, paused ones stay paused), and one that does not answer in time is killed (its
   * newest checkpoint on disk is where it resumes).
   */
  async shutdown(): Promise<void> {
    this.closing = true;
    this.queue.length = 0;
    await this.pumping;
    const all = [...this.active.values()];
    await Promise.all(
      all.map(async (a) => {
        if (a.final === null) {
          a.releasing = 'shutdown';
          a.channel.send({ type: 'release' });
        }
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), this.shutdownTimeoutMs)));
        const result = await Promise.race([a.settled.promise, timedOut]);
        clearTimeout(timer);
        if (result === 'timeout') {
          await a.channel.terminate();
          await a.settled.promise;
        }
      }),
    );
    for (const list of this.idleWaiters.values()) for (const d of list) d.resolve();
    this.idleWaiters.clear();
  }

  /**
   * Waits for a trainer's answer to `command`; when none comes within the command timeout, the
   * trainer is terminated and the run left `interrupted` (see onExit), so nothing waits forever
   * and the slot is freed.
   */
  private async answer(a: Active, answered: Promise<void>, command: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), this.commandTimeoutMs)));
    const result = await Promise.race([answered.then(() => 'answered' as const), timedOut]);
    clearTimeout(timer);
    if (result === 'answered' || this.active.get(a.key) !== a) return;
    a.unanswered = command;
    await a.channel.terminate();
    await a.settled.promise;
  }

  private assertOpen(): void {
    if (this.closing) throw new TrainingError('ShuttingDown', 'RNN Lab is quitting; training cannot start now.');
  }

  private isBusy(key: string): boolean {
    return this.active.has(key) || this.launching.has(key) || this.queue.some((w) => w.key === key);
  }

  private assertIdle(key: string): void {
    if (this.isBusy(key)) throw new TrainingError('AlreadyActive', 'This run is already training or waiting to train.');
  }

  private runningCount(): number {
    let n = 0;
    for (const a of this.active.values()) if (a.phase !== 'paused') n++;
    return n;
  }

  /** Launches waiting runs while slots are free (one pump at a time). */
  private pump(): Promise<void> {
    this.pumping = this.pumping.then(async () => {
      while (!this.closing && this.queue.length > 0 && this.runningCount() < this.maxConcurrent) {
        const next = this.queue.shift()!;
        try {
          await this.launch(next, false);
        } catch (e) {
          this.onError(e);
          this.notifyIdle(next.key);
        }
      }
    });
    return this.pumping;
  }

  private async launch(w: Waiting, startPaused: boolean): Promise<Active> {
    this.launching.add(w.key);
    try {
      await markRunning(this.fs, w.projectDir, w.runId);
    } finally {
      this.launching.delete(w.key);
    }
    const channel = this.launcher({ projectDir: w.projectDir, runId: w.runId, resume: w.resume, startPaused, kernels: this.kernels, threads: this.threadsPerRun });
    const a: Active = {
      key: w.key, projectDir: w.projectDir, runId: w.runId, channel, phase: 'starting', progress: null, final: null, releasing: null, unanswered: null, kernels: null, writes: Promise.resolve(),
      idle: deferred(), settled: deferred(), events: { metrics: [], samples: [], lastEmit: -Infinity, timer: null },
    };
    this.active.set(w.key, a);
    channel.onMessage((m) => this.onMessage(a, m, startPaused));
    channel.onExit((error) => void this.onExit(a, error));
    this.publish(a, 'running', null, null);
    return a;
  }

  private onMessage(a: Active, m: WorkerMessage, startPaused: boolean): void {
    switch (m.type) {
      case 'ready':
        a.progress = m.progress;
        a.kernels = m.kernels;
        this.kernelsUsed.set(a.key, m.kernels);
        void this.writeState(a, null);
        if (startPaused) {
          a.phase = 'paused';
          void this.writeState(a, 'paused').then(() => {
            this.publish(a, 'paused', null, null);
            a.idle.resolve();
          });
        } else {
          a.phase = 'running';
          a.idle.resolve();
        }
        break;
      case 'progress':
        a.progress = m.progress;
        for (const r of m.metrics) {
          const dto = toMetricRecord(r);
          if (dto) a.events.metrics.push(dto);
        }
        a.events.samples.push(...m.samples);
        this.noteBestVal(a, m.metrics);
        this.scheduleEvent(a);
        break;
      case 'paused':
        a.progress = m.progress;
        a.idle.resolve();
        break;
      case 'checkpoint':
        this.noteCheckpoint(a);
        break;
      case 'finished':
      case 'failed':
        a.final = m;
        if (m.type === 'finished') a.progress = m.progress;
        break;
    }
  }

  private async onExit(a: Active, error: Error | null): Promise<void> {
    let state: RunState;
    let message: string | undefined;
    let divergence: NonFiniteReportDto | null = null;
    const final = a.final;
    if (final?.type === 'finished') {
      ({ state, message } = this.finishedState(a, final.outcome, final.message));
      divergence = final.divergence;
    } else if (final?.type === 'failed' && final.code === 'DiskFull') {
      // nothing is wrong with the run: its temp files are gone and its last checkpoint is whole
      state = 'interrupted';
      message = `Training stopped: ${final.message} Resume continues from the last good checkpoint.`;
    } else if (final?.type === 'failed') {
      state = 'failed';
      message = `Training failed: ${final.message}`;
    } else if (a.unanswered !== null) {
      state = 'interrupted';
      message = `The trainer did not answer “${a.unanswered}” within ${formatSeconds(this.commandTimeoutMs)} and was stopped; the run keeps its last checkpoint, and resume continues from there.`;
    } else if (a.releasing === 'shutdown') {
      state = a.phase === 'paused' ? 'paused' : 'interrupted';
      message = 'RNN Lab quit while this run was training; resume continues from its last checkpoint.';
    } else {
      state = 'failed';
      message = `The trainer stopped unexpectedly: ${error?.message ?? 'it exited without reporting'}`;
    }
    await this.writeState(a, state, message);
    if (a.events.timer) clearTimeout(a.events.timer);
    this.active.delete(a.key);
    this.publish(a, state, message ?? null, divergence);
    a.idle.resolve();
    a.settled.resolve();
    if (a.releasing !== 'relaunch' || a.unanswered !== null) this.notifyIdle(a.key);
    void this.pump();
  }

  private finishedState(a: Active, outcome: FinishOutcome, sentence: string): { state: RunState; message?: string } {
    switch (outcome) {
      case 'done':
        return { state: 'done', message: sentence };
      case 'stopped':
        return { state: 'done', message: sentence };
      case 'diverged':
        return { state: 'diverged', message: sentence.replace(/\s+/g, ' ') };
      case 'released':
        if (a.releasing === 'shutdown') {
          return a.phase === 'paused' ? { state: 'paused' } : { state: 'interrupted', message: `RNN Lab quit while this run was training. ${sentence}` };
        }
        return { state: 'paused' };
    }
  }

  /** Moves the run to `state` (null: only the kernels note), queued behind its earlier writes. */
  private writeState(a: Active, state: RunState | null, message?: string): Promise<void> {
    const { projectDir, runId } = a;
    a.writes = a.writes.then(async () => {
      try {
        if (state !== null) {
          const current = await readRun(this.fs, projectDir, runId);
          if (current.state !== state) await setRunState(this.fs, projectDir, runId, state, message === undefined ? {} : { message });
        }
        if (a.kernels !== null) await stampKernels(this.fs, projectDir, runId, a.kernels);
      } catch (e) {
        this.onError(e);
      }
    });
    return a.writes;
  }

  /** Keeps run.json's best validation perplexity current (the trainer logged the records already). */
  private noteBestVal(a: Active, metrics: readonly MetricRecord[]): void {
    let best = Infinity;
    for (const r of metrics) if (r.kind === 'val' && typeof r.perplexity === 'number' && r.perplexity < best) best = r.perplexity;
    if (!Number.isFinite(best)) return;
    a.writes = a.writes.then(async () => {
      try {
        await recordBestValPerplexity(this.fs, a.projectDir, a.runId, best);
      } catch (e) {
        this.onError(e);
      }
    });
  }

  /** Sends the run's checkpoint list (read after the trainer pruned it) so views offer it at once. */
  private noteCheckpoint(a: Active): void {
    a.writes = a.writes.then(async () => {
      try {
        a.events.checkpoints = checkpointInfos(await readCheckpointEntries(this.fs, a.projectDir, a.runId), []);
        if (this.active.get(a.key) === a) this.scheduleEvent(a); // with the next batch of records, or its own within eventIntervalMs
      } catch (e) {
        this.onError(e);
      }
    });
  }

  private notifyIdle(key: string): void {
    const list = this.idleWaiters.get(key);
    this.idleWaiters.delete(key);
    for (const d of list ?? []) d.resolve();
  }

  private scheduleEvent(a: Active): void {
    const ev = a.events;
    if (ev.timer) return;
    const wait = ev.lastEmit + this.eventIntervalMs - performance.now();
    if (wait <= 0) {
      this.publish(a, a.phase === 'paused' ? 'paused' : 'running', null, null);
      return;
    }
    ev.timer = setTimeout(() => {
      ev.timer = null;
      if (this.active.get(a.key) === a) this.publish(a, a.phase === 'paused' ? 'paused' : 'running', null, null);
    }, wait);
  }

  /** Sends the pending records with the run's state now (state changes go out at once). */
  private publish(a: Active, state: RunState, message: string | null, divergence: NonFiniteReportDto | null): void {
    const ev = a.events;
    if (ev.timer) {
      clearTimeout(ev.timer);
      ev.timer = null;
    }
    const event: RunEvent = { projectDir: a.projectDir, runId: a.runId, state, progress: a.progress, metrics: ev.metrics, samples: ev.samples, message, divergence };
    if (ev.checkpoints) event.checkpoints = ev.checkpoints;
    ev.metrics = [];
    ev.samples = [];
    ev.checkpoints = undefined;
    ev.lastEmit = performance.now();
    for (const send of [this.emit, ...this.listeners]) {
      try {
        send(event);
      } catch (e) {
        this.onError(e);
      }
    }
  }
}
