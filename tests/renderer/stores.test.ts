// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { nextTick } from 'vue';
import { createStores } from '../../src/renderer/stores';
import { UNDO_WINDOW_MS } from '../../src/renderer/stores/toasts';
import { memoryBridge } from './memory-bridge';
import { metricStream, runDetail, sample, textDataset } from './fixtures';

const DIR = '/home/ada/tm.rnnlab';

async function opened(seed: Parameters<ReturnType<typeof memoryBridge>['backend']['seedProject']>[1] = {}) {
  const { bridge, backend } = memoryBridge();
  backend.seedProject(DIR, seed);
  const stores = createStores(bridge);
  const projects = stores.useProjects();
  await projects.open(DIR);
  await nextTick();
  return { bridge, backend, stores, projects };
}

describe('datasets store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('takes the dataset list from the opened project', async () => {
    const { stores } = await opened({ datasets: [textDataset('tm', 'timemachine.txt')] });
    expect(stores.useDatasets().list.map((d) => d.name)).toEqual(['timemachine.txt']);
  });

  it('imports a picked file, following its progress events, and lists it', async () => {
    const { stores, backend } = await opened();
    backend.pickFileResult = '/home/ada/corpus/shakespeare.txt';
    const datasets = stores.useDatasets();
    const seen: number[] = [];
    const stop = setInterval(() => datasets.importing && seen.push(datasets.importing.bytesRead), 0);
    const id = await datasets.pickAndImport();
    clearInterval(stop);
    expect(id).toBe('shakespeare');
    expect(datasets.list.map((d) => d.id)).toEqual(['shakespeare']);
    expect(datasets.records['shakespeare']?.stats.kind).toBe('text');
    expect(datasets.importing).toBeNull();
    expect(backend.requests.find((r) => r.channel === 'datasets:import')?.payload).toMatchObject({ filePath: '/home/ada/corpus/shakespeare.txt' });
  });

  it('explains a coded import failure in plain words', async () => {
    const { stores, backend } = await opened();
    backend.importFailures.set('/x/latin1.txt', { code: 'InvalidUtf8', message: 'The file is not valid UTF-8 text.', details: { byteOffset: 812 } });
    const datasets = stores.useDatasets();
    expect(await datasets.importPath('/x/latin1.txt')).toBeNull();
    expect(datasets.importError).toMatch(/Could not import latin1\.txt/);
    expect(datasets.importError).toMatch(/position 812/);
    expect(datasets.list).toEqual([]);
  });

  it('debounces vocabulary queries and keeps only the latest answer', async () => {
    const { stores, backend } = await opened({ datasets: [textDataset('tm')] });
    const datasets = stores.useDatasets();
    void datasets.queryVocabulary('tm', { tokenizer: 'word', cleaning: 'letters', minFreq: 1 }, 20);
    void datasets.queryVocabulary('tm', { tokenizer: 'word', cleaning: 'letters', minFreq: 2 }, 20);
    await datasets.queryVocabulary('tm', { tokenizer: 'word', cleaning: 'letters', minFreq: 5 }, 20);
    expect(backend.calls.filter((c) => c === 'datasets:vocabulary')).toHaveLength(1);
    expect(datasets.vocabulary?.minFreq).toBe(5);
    expect(datasets.vocabulary!.unkRate).toBeGreaterThan(0);
  });

  describe('deleting', () => {
    beforeEach(() => vi.useFakeTimers());
    afterEach(() => vi.useRealTimers());

    it('hides a deleted dataset at once and restores it on undo without touching the disk', async () => {
      const { stores, backend } = await opened({ datasets: [textDataset('a'), textDataset('b')] });
      const datasets = stores.useDatasets();
      const toasts = stores.useToasts();
      datasets.remove('a');
      expect(datasets.list.map((d) => d.id)).toEqual(['b']);
      toasts.toasts[0]!.action!.run();
      expect(datasets.list.map((d) => d.id)).toEqual(['a', 'b']);
      vi.advanceTimersByTime(UNDO_WINDOW_MS + 10);
      expect(backend.calls).not.toContain('datasets:delete');
    });

    it('deletes for real when the undo window closes', async () => {
      const { stores, backend } = await opened({ datasets: [textDataset('a')] });
      stores.useDatasets().remove('a');
      vi.advanceTimersByTime(UNDO_WINDOW_MS + 10);
      await vi.runAllTimersAsync();
      expect(backend.calls).toContain('datasets:delete');
      expect(backend.datasets.has('a')).toBe(false);
    });
  });

  it('renames with an undo that restores the old name', async () => {
    const { stores, backend } = await opened({ datasets: [textDataset('a', 'old')] });
    const datasets = stores.useDatasets();
    expect(await datasets.rename('a', 'new')).toBe(true);
    expect(datasets.list[0]!.name).toBe('new');
    stores.useToasts().toasts.at(-1)!.action!.run();
    await vi.waitFor(() => expect(datasets.list[0]!.name).toBe('old'));
    expect(backend.datasets.get('a')!.name).toBe('old');
  });
});

describe('runs store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('lists runs with their state and progress', async () => {
    const { stores } = await opened({ runs: [runDetail('r1', { state: 'running', metrics: metricStream(0, 100) })] });
    const runs = stores.useRuns();
    await vi.waitFor(() => expect(runs.list[0]?.progress?.step).toBe(99));
    expect(runs.list[0]!.state).toBe('running');
  });

  it('opens a run into typed-array series and appends streamed metrics, ticking its version', async () => {
    const { stores, backend } = await opened({ runs: [runDetail('r1', { state: 'running', metrics: metricStream(0, 1000) })] });
    const runs = stores.useRuns();
    expect(await runs.open('r1')).toBe(true);
    expect(runs.seriesOf('r1')!.train.length).toBe(1000);
    const v = runs.versions['r1']!;
    backend.pushMetrics('r1', metricStream(1000, 1500), { samples: [sample(1500)] });
    expect(runs.seriesOf('r1')!.train.length).toBe(1500);
    expect(runs.versions['r1']).toBe(v + 1);
    expect(runs.samples['r1']!.at(-1)!.step).toBe(1500);
    expect(runs.list[0]!.progress!.step).toBe(1499);
  });

  it('keeps the series out of Vue reactivity', async () => {
    const { stores } = await opened({ runs: [runDetail('r1', { metrics: metricStream(0, 10) })] });
    const runs = stores.useRuns();
    await runs.open('r1');
    const { isReactive, isProxy } = await import('vue');
    const s = runs.seriesOf('r1')!;
    expect(isReactive(s) || isProxy(s)).toBe(false);
  });

  it('ignores events of another project', async () => {
    const { stores, backend } = await opened({ runs: [runDetail('r1', { metrics: metricStream(0, 10) })] });
    const runs = stores.useRuns();
    await runs.open('r1');
    backend.emit('runs:update', { projectDir: '/elsewhere', runId: 'r1', state: 'failed', progress: null, metrics: metricStream(10, 20), samples: [], message: null, divergence: null });
    expect(runs.seriesOf('r1')!.train.length).toBe(10);
    expect(runs.list[0]!.state).toBe('done');
  });

  it('creates and starts a run from a config', async () => {
    const { stores, backend } = await opened({ datasets: [textDataset('tm')] });
    const runs = stores.useRuns();
    const { defaultRunConfig } = await import('../../src/shared/run-config');
    const id = await runs.createAndStart({ ...defaultRunConfig('tm'), name: 'gru', cell: 'gru' });
    expect(id).toBe('run-1');
    expect(runs.list[0]!.state).toBe('running');
    expect(backend.calls).toEqual(expect.arrayContaining(['runs:create', 'runs:start']));
  });

  it('pauses, resumes and stops a run through the bridge', async () => {
    const { stores, backend } = await opened({ runs: [runDetail('r1', { state: 'running' })] });
    const runs = stores.useRuns();
    await runs.control('r1', 'pause');
    expect(runs.byId['r1']!.state).toBe('paused');
    await runs.control('r1', 'resume');
    await runs.control('r1', 'stop');
    expect(backend.calls.filter((c) => c.startsWith('runs:') && c !== 'runs:list')).toEqual(['runs:pause', 'runs:resume', 'runs:stop']);
  });

  it('resumes a diverged run at half its learning rate', async () => {
    const { stores, backend } = await opened({ runs: [runDetail('r1', { state: 'diverged', config: { lr: 2 } })] });
    const runs = stores.useRuns();
    await runs.open('r1');
    await runs.resumeWithHalfLr('r1');
    expect(backend.requests.find((r) => r.channel === 'runs:resume')!.payload).toMatchObject({ runId: 'r1', lr: 1 });
  });

  it('reports a failing control as a toast in plain words', async () => {
    const { bridge, backend } = memoryBridge({ 'runs:pause': () => { throw Object.assign(new Error('The run is not running.'), { code: 'NotRunning' }); } });
    backend.seedProject(DIR, { runs: [runDetail('r1', { state: 'done' })] });
    const stores = createStores(bridge);
    await stores.useProjects().open(DIR);
    await nextTick();
    expect(await stores.useRuns().control('r1', 'pause')).toBe(false);
    expect(stores.useToasts().toasts[0]!.message).toMatch(/Could not pause the run: The run is not running/);
  });
});

describe('generate store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('generates the same prefix from two sources side by side', async () => {
    const { stores, backend } = await opened({ runs: [runDetail('r1'), runDetail('r2')] });
    const gen = stores.useGenerate();
    await gen.generate([{ runId: 'r1', checkpoint: null }, { runId: 'r2', checkpoint: 'best' }], { prefix: 'time ', length: 10, decoding: { mode: 'greedy' }, seed: 1 });
    expect(gen.results.map((r) => r?.source.runId)).toEqual(['r1', 'r2']);
    expect(backend.requests.filter((r) => r.channel === 'generate:text').map((r) => (r.payload as { checkpoint: string | null }).checkpoint)).toEqual([null, 'best']);
  });

  it('scores a text', async () => {
    const { stores } = await opened({ runs: [runDetail('r1')] });
    const gen = stores.useGenerate();
    await gen.scoreText({ runId: 'r1', checkpoint: null }, 'hello');
    expect(gen.score!.result.tokens).toEqual([...'hello']);
  });
});
