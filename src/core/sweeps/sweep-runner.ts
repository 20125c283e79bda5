/**
 * Runs one sweep: K trials at a time on the training host until N have ended, each a normal run
 * in the project's runs/ (validating every epoch). Validation perplexity per epoch is the
 * trial's intermediate value; the pruner reads it as it arrives and a pruned trial's run is
 * stopped (checkpointed, `done`, its message saying why). sweep.json is rewritten atomically
 * after every change and the Optuna journal appended in the same order.
 *
 * - COMPLETE: the run trained every epoch; value = its best validation perplexity.
 * - PRUNED: value = its last intermediate value (what Optuna's tell records).
 * - FAIL: the run failed, diverged, could not be created, or was stopped with the sweep.
 * - `interrupt()` (Ctrl-C, app quit) leaves running trials RUNNING and the sweep `interrupted`;
 *   `resumeSweep` marks them FAIL and continues to N (Optuna's fail_stale_trials).
 */
import type { RunConfig } from '../../shared/run-config';
import type { RunEvent } from '../../shared/runs';
import { gridSize, spaceParams, type SpaceParam, type SweepEvent, type SweepState, type TrialState } from '../../shared/sweep';
import type { FileSystem } from '../fs/file-system';
import { writeFileAtomic } from '../fs/atomic-write';
import { RunsService } from '../services/runs-service';
import { readRun, setRunState, updateRunFile } from '../store/runs';
import type { TrainingHost } from '../training/training-host';
import { JournalOps, journalLines, type JournalOp } from './optuna-journal';
import { createPruner, type Pruner } from './pruner';
import { createSampler, type Sampler } from './sampler';
import { SweepError } from './sweep-error';
import { createSweepDir, journalPath, newSweepId, newSweepRecord, readSweep, trialDto, writeSweep, type SweepRecord, type TrialRecord } from './sweep-store';
import { sweepSummary } from './sweep-summary';

export interface SweepRunnerOptions {
  fs: FileSystem;
  host: TrainingHost;
  projectDir: string;
  /** Creates a trial's run (queued) and answers its id; default: RunsService.create on this thread. */
  createRun?: (projectDir: string, config: RunConfig) => Promise<string>;
  onEvent?: (event: SweepEvent) => void;
  now?: () => Date;
}

/** The run config of trial `number`: the base with the trial's params, validating every epoch. */
export function trialRunConfig(record: SweepRecord, trial: TrialRecord): RunConfig {
  return { ...record.config.base, ...trial.params, valEvery: 1, name: `${record.config.name} #${trial.number}`.slice(0, 80) } as RunConfig;
}

/** How many trials the sweep runs in all: N, or the grid's size when smaller. */
export function trialTotal(record: SweepRecord): number {
  const grid = record.config.method === 'grid' ? gridSize(record.config.space) : null;
  return grid === null ? record.config.trials : Math.min(grid, record.config.trials);
}

export class SweepRunner {
  readonly id: string;
  private readonly fs: FileSystem;
  private readonly host: TrainingHost;
  private readonly projectDir: string;
  private readonly createRun: (projectDir: string, config: RunConfig) => Promise<string>;
  private readonly onEvent: (event: SweepEvent) => void;
  private readonly now: () => Date;
  private readonly params: SpaceParam[];
  private readonly sampler: Sampler;
  private readonly pruner: Pruner;
  private readonly ops: JournalOps;
  private readonly byRun = new Map<string, TrialRecord>();
  private writes: Promise<void> = Promise.resolve();
  private writeError: unknown = null;
  private ending: 'stop' | 'interrupt' | null = null;
  private running: Promise<SweepRecord> | null = null;

  private constructor(options: SweepRunnerOptions, private record: SweepRecord) {
    this.id = record.id;
    this.fs = options.fs;
    this.host = options.host;
    this.projectDir = options.projectDir;
    const runs = new RunsService({ fs: options.fs });
    this.createRun = options.createRun ?? (async (dir, config) => (await runs.create(dir, config)).id);
    this.onEvent = options.onEvent ?? (() => {});
    this.now = options.now ?? (() => new Date());
    this.params = spaceParams(record.config.space);
    this.sampler = createSampler(record.config.method, this.params, record.config.seed);
    this.pruner = createPruner(record.config.prune);
    this.ops = new JournalOps(`rnn-lab-${record.id}`);
  }

  /** Creates `sweeps/<id>/` with sweep.json and a journal holding the study. */
  static async create(options: SweepRunnerOptions, config: SweepRecord['config']): Promise<SweepRunner> {
    const now = (options.now ?? (() => new Date()))();
    const record = newSweepRecord(newSweepId(now), config, now.toISOString());
    await createSweepDir(options.fs, options.projectDir, record);
    const runner = new SweepRunner(options, record);
    await writeFileAtomic(options.fs, journalPath(options.projectDir, record.id), journalLines([runner.ops.createStudy(record.id)]));
    return runner;
  }

  /**
   * Reopens a stopped or interrupted sweep to continue it: trials left RUNNING (their process
   * ended under them) become FAIL, and the journal is rewritten whole from sweep.json, so a torn
   * last line from the crash is gone and the journal matches the trials exactly.
   */
  static async resume(options: SweepRunnerOptions, id: string): Promise<SweepRunner> {
    const record = await readSweep(options.fs, options.projectDir, id);
    if (record.state === 'done') throw new SweepError('Finished', `Sweep ${id} has run all its ${record.config.trials} trials; there is nothing to resume.`, { sweepId: id });
    const runner = new SweepRunner(options, record);
    const at = runner.now().toISOString();
    for (const t of record.trials) {
      if (t.state !== 'RUNNING' && t.state !== 'WAITING') continue;
      Object.assign(t, { state: 'FAIL', finished: at, value: null, message: 'The sweep was interrupted while this trial trained; it was marked failed when the sweep resumed.' });
      if (t.runId !== null && (await readRun(options.fs, options.projectDir, t.runId).catch(() => null))?.state === 'interrupted') {
        await setRunState(options.fs, options.projectDir, t.runId, 'done', { message: 'Stopped: its sweep was interrupted and the trial marked failed.' }).catch(() => {});
      }
    }
    record.state = 'running';
    record.finished = null;
    record.message = null;
    const ops = [runner.ops.createStudy(record.id), ...record.trials.flatMap((t) => runner.ops.trial(t, runner.params, at))];
    await writeFileAtomic(options.fs, journalPath(options.projectDir, id), journalLines(ops));
    await writeSweep(options.fs, options.projectDir, record);
    return runner;
  }

  snapshot(): SweepRecord {
    return structuredClone(this.record);
  }

  /** Runs trials until N have ended (or the sweep is stopped or interrupted); resolves with the final record. */
  run(): Promise<SweepRecord> {
    this.running ??= this.loop();
    return this.running;
  }

  /** Stops sampling and stops the running trials (marked FAIL); the sweep becomes `stopped`, resumable. */
  async stop(): Promise<SweepRecord> {
    this.ending ??= 'stop';
    await Promise.all([...this.byRun.entries()].filter(([, t]) => t.state === 'RUNNING').map(([runId]) => this.host.stop(this.projectDir, runId).catch(() => {})));
    return this.running ?? this.snapshot();
  }

  /** The process is going away (Ctrl-C, quit): start nothing more; the host checkpoints the runs. */
  interrupt(): void {
    this.ending ??= 'interrupt';
  }

  private async loop(): Promise<SweepRecord> {
    const unsubscribe = this.host.subscribe((e) => this.onRunEvent(e));
    const inFlight = new Set<Promise<void>>();
    try {
      this.publish(null);
      const total = trialTotal(this.record);
      while (this.ending === null && this.record.trials.length < total) {
        if (inFlight.size >= this.record.config.parallel) {
          await Promise.race(inFlight);
          continue;
        }
        const p: Promise<void> = this.runTrial().finally(() => inFlight.delete(p));
        inFlight.add(p);
        await this.writes; // the trial is on disk before the next one is sampled
      }
      await Promise.all(inFlight);
      const state: SweepState = this.ending === 'interrupt' ? 'interrupted' : this.ending === 'stop' ? 'stopped' : 'done';
      this.record.state = state;
      this.record.finished = state === 'done' ? this.now().toISOString() : null;
      this.record.message = state === 'interrupted' ? 'The sweep was interrupted; resume it to mark the unfinished trials failed and continue.' : state === 'stopped' ? 'Stopped; resume continues to the planned number of trials.' : null;
      this.save([]);
      await this.writes;
      this.publish(null);
      if (this.writeError) throw this.writeError;
      return this.snapshot();
    } finally {
      unsubscribe();
    }
  }

  private async runTrial(): Promise<void> {
    const number = this.record.trials.length;
    const started = this.now().toISOString();
    const params = this.sampler.sample(number, this.record.trials);
    const trial: TrialRecord = { number, params, state: 'RUNNING', value: null, intermediate: [], runId: null, started, finished: null, message: null, rungs: {} };
    this.record.trials.push(trial);
    this.save([this.ops.createTrial(started), ...this.params.map((p) => this.ops.param(number, p, params[p.field]!))], trial);
    let runId: string;
    try {
      runId = await this.createRun(this.projectDir, trialRunConfig(this.record, trial));
      trial.runId = runId;
      this.byRun.set(runId, trial);
      this.save([], trial);
      if (this.ending !== null) throw new SweepError('NotRunning', 'The sweep was stopped before this trial started.');
      await this.host.start(this.projectDir, runId);
    } catch (e) {
      if ((e as { code?: unknown }).code === 'ShuttingDown') {
        this.ending ??= 'interrupt'; // the app quits: the trial stays RUNNING, resume marks it
        return;
      }
      this.finish(trial, 'FAIL', null, e instanceof Error ? e.message : String(e));
      return;
    }
    const run = await this.host.wait(this.projectDir, runId);
    if (trial.state !== 'RUNNING') {
      // pruned: say so on the run, which the stop left `done`
      if (trial.state === 'PRUNED') {
        const said = `${trial.message ?? 'Pruned by the sweep.'}${run.message ? ` ${run.message}` : ''}`;
        await updateRunFile(this.fs, this.projectDir, runId, (r) => ({ ...r, message: said.slice(0, 2000) })).catch(() => {});
      }
      return;
    }
    const epochs = (this.record.config.base.epochs as number) ?? 0;
    const target = typeof params['epochs'] === 'number' ? params['epochs'] : epochs;
    const last = trial.intermediate.at(-1);
    if (run.state === 'done' && last && last.step >= target) {
      this.finish(trial, 'COMPLETE', Math.min(...trial.intermediate.map((v) => v.value)), null);
    } else if (run.state === 'interrupted' || (this.ending === 'interrupt' && run.state === 'paused')) {
      // the process is quitting (or the trainer stopped answering): the trial stays RUNNING, resume marks it
      this.ending ??= 'interrupt';
      return;
    } else if (this.ending === 'stop' && run.state === 'done') {
      this.finish(trial, 'FAIL', null, 'Stopped with the sweep before it trained every epoch.');
    } else if (run.state === 'done') {
      this.finish(trial, 'FAIL', null, 'The run ended without a validation perplexity for its last epoch.');
    } else {
      this.finish(trial, 'FAIL', null, run.message ?? `The run ended ${run.state}.`);
    }
  }

  private onRunEvent(e: RunEvent): void {
    if (e.projectDir !== this.projectDir) return;
    const trial = this.byRun.get(e.runId);
    if (!trial) return;
    for (const m of e.metrics) {
      if (trial.state !== 'RUNNING') return;
      if (m.kind !== 'val' || typeof m.perplexity !== 'number' || !Number.isFinite(m.perplexity)) continue;
      const step = Math.round(m.epoch);
      if (trial.intermediate.some((v) => v.step === step)) continue;
      trial.intermediate.push({ step, value: m.perplexity });
      const ops: JournalOp[] = [this.ops.intermediate(trial.number, step, m.perplexity)];
      const decision = this.pruner.check(trial, this.record.trials);
      for (const [key, value] of Object.entries(decision.rungs)) {
        trial.rungs[key] = value;
        ops.push(this.ops.systemAttr(trial.number, key, value));
      }
      this.save(ops, trial);
      if (decision.prune) {
        const how = this.record.config.prune === 'asha' ? 'ASHA' : 'the median rule';
        this.finish(trial, 'PRUNED', m.perplexity, `Pruned by ${how} at epoch ${step} (validation perplexity ${m.perplexity.toPrecision(4)}).`);
        void this.host.stop(this.projectDir, e.runId).catch(() => {});
      }
    }
  }

  private finish(trial: TrialRecord, state: TrialState, value: number | null, message: string | null): void {
    trial.state = state;
    trial.value = value;
    trial.message = message;
    trial.finished = this.now().toISOString();
    this.save([this.ops.finish(trial.number, state, value, trial.finished)], trial);
  }

  /** Queues sweep.json (whole, atomic) and the journal ops (appended), in order; then tells listeners. */
  private save(ops: JournalOp[], trial: TrialRecord | null = null): void {
    const record = this.snapshot();
    const lines = journalLines(ops);
    this.writes = this.writes.then(async () => {
      try {
        if (lines) await appendDurable(this.fs, journalPath(this.projectDir, this.id), lines);
        await writeSweep(this.fs, this.projectDir, record);
      } catch (e) {
        this.writeError ??= e;
        this.ending ??= 'interrupt';
      }
    });
    this.publish(trial);
  }

  private publish(trial: TrialRecord | null): void {
    try {
      this.onEvent({ projectDir: this.projectDir, sweepId: this.id, sweep: sweepSummary(this.record), trial: trial ? trialDto(trial) : null });
    } catch {
      // a listener's failure is not the sweep's
    }
  }
}

async function appendDurable(fs: FileSystem, path: string, text: string): Promise<void> {
  const handle = await fs.openWrite(path, 'append');
  try {
    await handle.write(new TextEncoder().encode(text));
    await handle.sync();
  } finally {
    await handle.close();
  }
}
