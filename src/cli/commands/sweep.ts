/**
 * `rnn-lab sweep`: a hyperparameter sweep from the command line. Each trial is a normal run in
 * the project (the run-config flags set the base every trial starts from); one line per finished
 * trial, then a summary naming the best trial and the Optuna journal. K trials train at once in
 * worker threads, the machine's cores split between them. Ctrl-C (SIGTERM, SIGHUP) checkpoints the
 * running trials and leaves the sweep resumable with `--resume ID`.
 */
import { constants as osConstants } from 'node:os';
import { readFileSync } from 'node:fs';
import { NodeFileSystem } from '../../core/fs/node-file-system';
import { SweepService } from '../../core/sweeps/sweep-service';
import { journalPath, readSweep, type SweepRecord } from '../../core/sweeps/sweep-store';
import { sweepSummary } from '../../core/sweeps/sweep-summary';
import { sweepTrainingHost } from '../../core/sweeps/sweep-host';
import { PRUNERS, searchSpaceSchema, SWEEP_METHODS, sweepConfigSchema, type SweepConfig, type SweepEvent, type TrialDto } from '../../shared/sweep';
import { bool, flagHelp, num, parseFlags, str, type FlagTable } from '../args';
import type { Command } from '../command';
import type { CliIo } from '../io';
import { datasetForFile, lockProject, openOrCreateProject, openProjectDir } from '../project-access';
import { RUN_CONFIG_FLAGS, runConfigFlagTable, runConfigFromFlags } from '../run-flags';
import { UsageError } from '../usage-error';

const { name: _runName, ...baseFlags } = runConfigFlagTable;

const flags: FlagTable = {
  data: { kind: 'string', help: 'Text file to train on (imported into the project; reused if already there). Required for a new sweep.' },
  project: { kind: 'string', help: 'Project folder (created when missing).', required: true },
  space: { kind: 'string', help: 'JSON file: {"field": {"values": [...]}} lists, {"field": {"low": a, "high": b}} ranges, "log": true for log ranges. Required for a new sweep.' },
  method: { kind: 'string', help: `Search method: ${SWEEP_METHODS.join('|')} (default random).` },
  trials: { kind: 'number', help: 'Trials in all, N (default 20; a grid runs at most its size).' },
  parallel: { kind: 'number', help: 'Trials training at once, K (default 1); the cores are split between them.' },
  prune: { kind: 'string', help: `Early stopping: ${PRUNERS.join('|')} (default none).` },
  'sweep-seed': { kind: 'number', help: 'Seed of the parameter draws (default 0): the same seed tries the same parameters.' },
  name: { kind: 'string', help: 'Sweep name (trials are named "NAME #n").' },
  resume: { kind: 'string', help: 'Continue the sweep with this id (printed when it started) instead of starting one.' },
  ...baseFlags,
  json: { kind: 'boolean', help: 'One JSON object per line on stdout.' },
};

const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

const SWEEP_FLAG_OF: Record<string, string> = { space: 'space', method: 'method', trials: 'trials', parallel: 'parallel', prune: 'prune', seed: 'sweep-seed', name: 'name', datasetId: 'data' };
const runFlagOf = new Map(Object.entries(RUN_CONFIG_FLAGS).map(([flag, f]) => [f.key as string, flag]));

/** The search space file, validated; errors name the file and the field. */
function readSpace(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`--space: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--space: ${path} is not valid JSON (${(e as Error).message})`);
  }
  const parsed = searchSpaceSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.map(String).join('.');
    throw new UsageError(`--space: ${path}: ${field ? `${field}: ` : ''}${issue.message}`);
  }
  return parsed.data;
}

/** Validates the whole sweep config; the first problem names its flag. */
function sweepConfig(raw: Record<string, unknown>, spacePath: string): SweepConfig {
  const parsed = sweepConfigSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const [head, key] = issue.path.map(String);
  if (head === 'base' && key !== undefined) throw new UsageError(`--${runFlagOf.get(key) ?? key}: ${issue.message.replace(/\.$/, '')}`);
  if (head === 'space') throw new UsageError(`--space: ${spacePath}: ${key ? `${key}: ` : ''}${issue.message}`);
  const flag = SWEEP_FLAG_OF[head ?? ''] ?? head;
  const options = head === 'method' ? SWEEP_METHODS : head === 'prune' ? PRUNERS : null;
  throw new UsageError(`--${flag}: ${options && issue.code === 'invalid_value' ? `must be one of ${options.join(', ')}` : issue.message.replace(/\.$/, '')} (got ${JSON.stringify(raw[head ?? ''])})`);
}

export const sweepCommand: Command = {
  summary: 'Search hyperparameters: N trials (grid, random or TPE), K at a time, with optional pruning',
  usage: [
    'Usage: rnn-lab sweep --data FILE --project DIR --space SPACE.json [--method random|grid|tpe] [--trials N] [--parallel K] [--prune none|median|asha] [run settings] [--json]',
    '       rnn-lab sweep --project DIR --resume SWEEP_ID [--json]',
    '',
    ...flagHelp(flags),
  ].join('\n'),
  async run(args, io) {
    const f = parseFlags(args, flags);
    const json = bool(f, 'json');
    const resumeId = str(f, 'resume');
    const fs = new NodeFileSystem();
    let config: SweepConfig | null = null;
    let projectDir: string;
    if (resumeId === undefined) {
      if (!f.has('data')) throw new UsageError('--data is required (or --resume to continue a sweep)');
      if (!f.has('space')) throw new UsageError('--space is required (or --resume to continue a sweep)');
      const spacePath = str(f, 'space')!;
      const space = readSpace(spacePath);
      const base = runConfigFromFlags(f, 'pending'); // refuse bad settings before anything is written
      const raw = (datasetId: string): Record<string, unknown> => ({
        datasetId, space, base: { ...base, datasetId },
        ...(f.has('method') && { method: str(f, 'method') }), ...(f.has('trials') && { trials: num(f, 'trials') }),
        ...(f.has('parallel') && { parallel: num(f, 'parallel') }), ...(f.has('prune') && { prune: str(f, 'prune') }),
        ...(f.has('sweep-seed') && { seed: num(f, 'sweep-seed') }), ...(f.has('name') && { name: str(f, 'name') }),
      });
      sweepConfig(raw('pending'), spacePath);
      projectDir = await openOrCreateProject(fs, str(f, 'project')!);
      await lockProject(fs, projectDir);
      const { dataset } = await datasetForFile(fs, projectDir, str(f, 'data')!);
      config = sweepConfig(raw(dataset.id), spacePath);
    } else {
      const own = ['data', 'space', 'method', 'trials', 'parallel', 'prune', 'sweep-seed', 'name', ...Object.keys(baseFlags)].filter((x) => f.has(x));
      if (own.length > 0) throw new UsageError(`--${own[0]}: --resume continues a sweep with the settings it started with; leave out --${own.join(', --')}`);
      projectDir = await openProjectDir(fs, str(f, 'project')!);
      await lockProject(fs, projectDir);
    }
    return runSweep({ fs, projectDir, config, resumeId: resumeId ?? null, json }, io);
  },
};

interface SweepJob {
  fs: NodeFileSystem;
  projectDir: string;
  config: SweepConfig | null;
  resumeId: string | null;
  json: boolean;
}

const fmt = (v: number | null) => (v === null ? '-' : Number(v.toPrecision(5)).toString());

async function runSweep(job: SweepJob, io: CliIo): Promise<number> {
  const { fs, projectDir, json } = job;
  const k = job.config?.parallel ?? (await readSweep(fs, projectDir, job.resumeId!)).config.parallel;
  const host = sweepTrainingHost(fs, k, (e) => io.err(`rnn-lab: ${e instanceof Error ? e.message : String(e)}`));
  const onTrial = (t: TrialDto) => {
    if (json) io.out(JSON.stringify({ type: 'trial', number: t.number, params: t.params, value: t.value, state: t.state }));
    else io.out(`trial ${t.number} ${t.state.padEnd(8)} value ${fmt(t.value)}  ${Object.entries(t.params).map(([p, v]) => `${p}=${typeof v === 'number' ? fmt(v) : v}`).join(' ')}${t.message && t.state === 'FAIL' ? ` — ${t.message}` : ''}`);
  };
  const emit = (e: SweepEvent) => {
    if (e.trial && e.trial.state !== 'RUNNING' && e.trial.state !== 'WAITING' && e.trial.finished !== null && !reported.has(e.trial.number)) {
      reported.add(e.trial.number);
      onTrial(e.trial);
    }
  };
  const reported = new Set<number>();
  const sweeps = new SweepService({ fs, host, emit, onError: (e) => io.err(`rnn-lab: ${e instanceof Error ? e.message : String(e)}`) });
  let interrupted: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = signal;
    io.err(`rnn-lab: ${signal === 'SIGINT' ? 'interrupted' : `received ${signal}`}; saving the running trials (continue with rnn-lab sweep --project ${projectDir} --resume ${id})…`);
    sweeps.interruptAll();
    void host.shutdown();
  };
  let id = job.resumeId ?? '';
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  try {
    const intro = () => {
      if (json) io.out(JSON.stringify({ type: 'sweep', sweep: id, project: projectDir, resumed: job.resumeId !== null }));
      else io.out(`sweep ${id} in ${projectDir}${job.resumeId ? ' (resumed)' : ''}`);
    };
    if (job.resumeId !== null) {
      const before = await sweeps.get(projectDir, job.resumeId);
      for (const t of before.trials) if (t.state !== 'RUNNING' && t.state !== 'WAITING') reported.add(t.number);
      intro();
      await sweeps.resume(projectDir, job.resumeId);
      // the trials the interruption left unfinished are failed now: report them too
      for (const t of (await sweeps.get(projectDir, job.resumeId)).trials) emit({ projectDir, sweepId: id, sweep: before.sweep, trial: t });
    } else {
      id = (await sweeps.create(projectDir, job.config!)).id;
      intro();
    }
    const record = await sweeps.wait(projectDir, id);
    await host.shutdown();
    summary(record, projectDir, json, io);
    if (interrupted) return 128 + osConstants.signals[interrupted];
    return record.state === 'done' ? 0 : record.state === 'interrupted' ? 130 : 1;
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
  }
}

function summary(record: SweepRecord, projectDir: string, json: boolean, io: CliIo): void {
  const s = sweepSummary(record);
  const bestRun = s.best ? record.trials[s.best.number]?.runId ?? null : null;
  const best = s.best ? { number: s.best.number, params: s.best.params, value: s.best.value, run: bestRun } : null;
  const journal = journalPath(projectDir, record.id);
  if (json) io.out(JSON.stringify({ type: 'summary', sweep: record.id, state: record.state, counts: s.counts, best, journal }));
  else {
    io.out(`sweep ${record.id}: ${record.state} — ${s.counts.COMPLETE} complete, ${s.counts.PRUNED} pruned, ${s.counts.FAIL} failed`);
    if (best) io.out(`  best: trial ${best.number}, value ${fmt(best.value)} (run ${best.run}) ${JSON.stringify(best.params)}`);
    io.out(`  Optuna journal: ${journal}`);
  }
}
