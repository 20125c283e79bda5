/**
 * The in-memory backend behind the renderer tests, the frames bench and screenshot scripts:
 * handlers for every channel that keep projects, datasets and runs in Maps, and helpers that
 * push events (`emit`, `pushMetrics`) the way the main process would.
 */
import { checkEvent } from '../../src/main/router';
import { AppError } from '../../src/shared/errors';
import type { Handlers } from '../../src/shared/ipc/handlers';
import type { EventChannel, EventPayloadOf } from '../../src/shared/ipc/contract';
import { unavailableHandlers } from '../helpers/unavailable-handlers';
import type { OpenedProject, RecentProject } from '../../src/shared/dto';
import type { DatasetRecord } from '../../src/shared/datasets';
import type { GenerateRequest, GenerateResult, MetricRecord, RunDetail, RunState, SampleRecord, ScoreResult } from '../../src/shared/runs';
import { runDetail, textDataset, vocabularyView } from './fixtures';
import { memorySweeps, type MemorySweeps } from './memory-sweeps';

export interface MemoryBackend {
  projects: Map<string, OpenedProject>;
  recent: RecentProject[];
  pickFolderResult: string | null;
  /** What the file dialog answers (`dialog:pickFile`). */
  pickFileResult: string | null;
  /** What the save dialog answers (`dialog:saveFile`, `files:save`). */
  saveFileResult: string | null;
  calls: string[];
  /** Every request payload, in order. */
  requests: Array<{ channel: string; payload: unknown }>;
  /** `runs:estimate` answers once this settles (a test holds it to see the measuring state). */
  estimateHold: Promise<void>;
  datasets: Map<string, DatasetRecord>;
  /** Files whose import fails with this coded error. */
  importFailures: Map<string, { code: string; message: string; details?: Record<string, unknown> }>;
  runs: Map<string, RunDetail & { projectDir: string }>;
  generate: (req: GenerateRequest) => GenerateResult;
  score: (text: string) => ScoreResult;
  saved: Array<{ path: string; purpose: string; data: string; encoding: string }>;
  emit<E extends EventChannel>(channel: E, payload: EventPayloadOf<E>): void;
  /** Adds a project with datasets and runs, ready to open. */
  seedProject(dir: string, content?: { datasets?: DatasetRecord[]; runs?: RunDetail[] }): OpenedProject;
  /** Appends records (and samples) to a run and pushes them as one `runs:update` event. */
  pushMetrics(runId: string, metrics: MetricRecord[], extra?: { state?: RunState; samples?: SampleRecord[]; divergence?: RunDetail['divergence'] }): void;
  /** Sweeps and `pushTrial` (memory-sweeps.ts). */
  sweeps: MemorySweeps;
}

export type Deliver = (channel: string, payload: unknown) => void;

export function memoryBackend(deliver: Deliver, overrides: Partial<Handlers> = {}): { backend: MemoryBackend; handlers: Handlers } {
  const sweepFake = memorySweeps(
    (channel, payload) => backend.emit(channel, payload),
    (projectDir, run) => backend.runs.set(run.run.id, { ...run, projectDir }),
  );
  const backend: MemoryBackend = {
    sweeps: sweepFake.sweeps,
    projects: new Map(),
    recent: [],
    pickFolderResult: null,
    pickFileResult: null,
    saveFileResult: null,
    calls: [],
    requests: [],
    estimateHold: Promise.resolve(),
    datasets: new Map(),
    importFailures: new Map(),
    runs: new Map(),
    saved: [],
    generate: (req) => {
      const tokens = [...'the time machine'].slice(0, req.length);
      return { prefix: req.prefix, tokens, probabilities: tokens.map((_, i) => 0.2 + ((i * 37) % 80) / 100), separator: '' };
    },
    score: (text) => {
      const tokens = [...text];
      const logprobs = tokens.map((_, i) => -0.3 - ((i * 13) % 30) / 10);
      const mean = -logprobs.reduce((a, b) => a + b, 0) / logprobs.length;
      return { tokens, logprobs, perplexity: Math.exp(mean) };
    },
    emit(channel, payload) {
      deliver(channel, checkEvent(channel, payload));
    },
    seedProject(dir, content = {}) {
      const project = { dir, name: dir.split('/').pop()!.replace(/\.rnnlab$/, ''), created: '2026-11-26T00:00:00.000Z', formatVersion: 1 };
      for (const d of content.datasets ?? []) backend.datasets.set(d.id, d);
      for (const r of content.runs ?? []) backend.runs.set(r.run.id, { ...r, projectDir: dir });
      const opened: OpenedProject = {
        project,
        datasets: (content.datasets ?? []).map((d) => ({ id: d.id, name: d.name, kind: d.kind })),
        runs: (content.runs ?? []).map((r) => ({ id: r.run.id, name: r.run.name, state: r.run.state })),
        problems: [],
      };
      backend.projects.set(dir, opened);
      return opened;
    },
    pushMetrics(runId, metrics, extra = {}) {
      const run = getRun(runId);
      run.metrics.push(...metrics);
      if (extra.samples) run.samples.push(...extra.samples);
      if (extra.state) run.run.state = extra.state;
      if (extra.divergence !== undefined) run.divergence = extra.divergence;
      const last = metrics[metrics.length - 1];
      if (last) run.run.progress = { epoch: last.epoch, totalEpochs: run.config.epochs, step: last.step, elapsedSec: last.time, etaSec: 120 };
      backend.emit('runs:update', { projectDir: run.projectDir, runId, state: run.run.state, progress: run.run.progress, metrics, samples: extra.samples ?? [], message: run.run.message, divergence: run.divergence });
    },
  };

  function getRun(runId: string): RunDetail & { projectDir: string } {
    const run = backend.runs.get(runId);
    if (!run) throw new AppError('NotFound', `There is no run “${runId}” in this project.`);
    return run;
  }
  function getDataset(id: string): DatasetRecord {
    const d = backend.datasets.get(id);
    if (!d) throw new AppError('NotFound', `There is no dataset “${id}” in this project.`);
    return d;
  }
  function setState(runId: string, state: RunState) {
    const run = getRun(runId);
    run.run = { ...run.run, state };
    return run.run;
  }

  const handlers = {
    ...unavailableHandlers(),
    'app:info': () => ({ name: 'RNN Lab', version: 'test', platform: 'linux', defaultProjectsDir: '/home/ada/RNN Lab', pathSeparator: '/' }),
    'projects:create': ({ parentDir, name }) => {
      const dir = `${parentDir}/${name}.rnnlab`;
      if (backend.projects.has(dir)) throw new AppError('NotEmpty', `The folder ${dir} already exists and is not empty.`);
      const project = { dir, name, created: '2026-11-26T00:00:00.000Z', formatVersion: 1 };
      backend.projects.set(dir, { project, datasets: [], runs: [], problems: [] });
      return project;
    },
    'projects:open': ({ dir }) => {
      const p = backend.projects.get(dir);
      if (!p) throw new AppError('NotAProject', `${dir} is not an RNN Lab project.`);
      backend.recent = [{ dir, name: p.project.name, openedAt: '2026-11-26T00:00:00.000Z' }, ...backend.recent.filter((r) => r.dir !== dir)];
      return {
        ...p,
        datasets: [...backend.datasets.values()].map((d) => ({ id: d.id, name: d.name, kind: d.kind })),
        runs: [...backend.runs.values()].filter((r) => r.projectDir === dir).map((r) => ({ id: r.run.id, name: r.run.name, state: r.run.state })),
      };
    },
    'projects:recent': () => backend.recent,
    'demo:open': () => {
      const dir = '/home/ada/.config/RNN Lab/Demo/RNN Lab demo.rnnlab';
      if (!backend.projects.has(dir)) {
        backend.seedProject(dir, {
          datasets: [textDataset('ds-demo', 'demo-corpus.txt')],
          runs: [runDetail('run-gru', { name: 'demo GRU', state: 'done', datasetId: 'ds-demo' }), runDetail('run-lstm', { name: 'demo LSTM', state: 'done', datasetId: 'ds-demo' })],
        });
      }
      return handlers['projects:open']({ dir });
    },
    'projects:forget': ({ dir }) => (backend.recent = backend.recent.filter((r) => r.dir !== dir)),
    'dialog:pickFolder': () => ({ path: backend.pickFolderResult }),
    'dialog:pickFile': () => ({ path: backend.pickFileResult }),
    'dialog:saveFile': () => ({ path: backend.saveFileResult }),
    'files:save': ({ purpose, data, encoding }) => {
      if (backend.saveFileResult !== null) backend.saved.push({ path: backend.saveFileResult, purpose, data, encoding });
      return { path: backend.saveFileResult };
    },
    'shell:openExternal': () => ({ opened: false }),

    'datasets:import': ({ projectDir, filePath, name }) => {
      const failure = backend.importFailures.get(filePath);
      backend.emit('datasets:importProgress', { projectDir, filePath, bytesRead: 0, totalBytes: 1000 });
      if (failure) throw new AppError(failure.code, failure.message, failure.details);
      backend.emit('datasets:importProgress', { projectDir, filePath, bytesRead: 1000, totalBytes: 1000 });
      const base = filePath.split('/').pop()!;
      const id = base.replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9._-]/g, '-') || 'dataset';
      const record = textDataset(id, name ?? base);
      backend.datasets.set(id, record);
      return record;
    },
    'datasets:get': ({ datasetId }) => getDataset(datasetId),
    'datasets:vocabulary': ({ datasetId, tokenizer, cleaning, minFreq }) => {
      getDataset(datasetId);
      return vocabularyView(tokenizer, cleaning, minFreq);
    },
    'datasets:preview': ({ datasetId, cleaning, maxChars }) => {
      getDataset(datasetId);
      const text = cleaning === 'letters' ? 'the time machine by h g wells i the time traveller for so it will be convenient to speak of him' : 'The Time Machine, by H. G. Wells [1898]\n\nI\n\nThe Time Traveller (for so it will be convenient to speak of him)';
      return { text: text.slice(0, maxChars), truncated: text.length > maxChars };
    },
    'datasets:rename': ({ datasetId, name }) => {
      const d = { ...getDataset(datasetId), name };
      backend.datasets.set(datasetId, d);
      return d;
    },
    'datasets:delete': ({ datasetId }) => ({ deleted: backend.datasets.delete(datasetId) }),

    'runs:list': ({ projectDir }) => [...backend.runs.values()].filter((r) => r.projectDir === projectDir).map((r) => r.run),
    'runs:get': ({ runId }) => {
      const { projectDir: _p, ...detail } = getRun(runId);
      return structuredClone(detail);
    },
    'runs:create': ({ projectDir, config }) => {
      let n = backend.runs.size + 1;
      while (backend.runs.has(`run-${n}`)) n++;
      const id = `run-${n}`;
      const detail = runDetail(id, { name: config.name, state: 'queued', datasetId: config.datasetId, config });
      backend.runs.set(id, { ...detail, baselines: { uniform: 28, unigram: 17.4 }, projectDir });
      return detail.run;
    },
    'runs:start': ({ runId }) => setState(runId, 'running'),
    'runs:pause': ({ runId }) => setState(runId, 'paused'),
    'runs:resume': ({ runId }) => setState(runId, 'running'),
    'runs:stop': ({ runId }) => setState(runId, 'interrupted'),
    'runs:step': ({ runId }) => getRun(runId).run,
    'runs:rename': ({ runId, name }) => {
      const run = getRun(runId);
      run.run = { ...run.run, name };
      run.config = { ...run.config, name };
      return run.run;
    },
    'runs:delete': ({ runId }) => ({ deleted: backend.runs.delete(runId) }),
    ...sweepFake.handlers,
    'generate:text': (req) => backend.generate(req),
    'generate:score': ({ text }) => backend.score(text),
    // 20 ms per update, 50 updates an epoch, 10 % more for validation
    'runs:estimate': async ({ config }) => (await backend.estimateHold, {
      seconds: config.epochs * 1.1, setupSeconds: 0, trainSeconds: config.epochs, evalSeconds: config.epochs * 0.1, secondsPerUpdate: 0.02, updatesPerEpoch: 50, epochs: config.epochs,
      measuredUpdates: 12, tokensPerSec: (config.batchSize * config.numSteps) / 0.02, kernels: 'wasm-simd128 (2 threads)',
    }),
    ...overrides,
  } as Handlers;
  return { backend, handlers };
}
