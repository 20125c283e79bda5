// @vitest-environment happy-dom
/** The forecast setup form and the forecast view in the mounted app, over the in-memory bridge. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { closeApp, DIR, openApp } from './app-harness';
import { csvDataset, runDetail } from './fixtures';
import { AppError } from '../../src/shared/errors';
import { forecastConfigSchema } from '../../src/shared/forecast-config';
import type { ForecastDetail, ForecastView } from '../../src/shared/forecast';
import type { Handlers } from '../../src/shared/ipc/handlers';

afterEach(closeApp);

const summary = { id: 'fc-1', name: 'forecast-1', state: 'done' as const, created: '2026-11-26T10:00:00.000Z', message: null, progress: null, bestValPerplexity: null, task: 'forecast' as const };

function detail(over: Partial<ForecastDetail> = {}): ForecastDetail {
  return {
    run: summary,
    config: forecastConfigSchema.parse({ task: 'forecast', datasetId: 'load', target: 'load' }),
    metrics: [],
    checkpoints: [{ name: 'step-5', step: 5, epoch: 5, valPerplexity: null, best: true }],
    datasetName: 'load.csv',
    ...over,
  };
}

function figures(): ForecastView {
  const actual = Array.from({ length: 100 }, (_, t) => Math.sin(t / 10));
  return {
    checkpoint: 'step-5', target: 'load', xName: null, x: actual.map((_, t) => t), xTime: false, actual, predicted: actual.map((a, t) => (t < 4 ? null : a + 0.01)), window: 4, trainEnd: 70, valEnd: 90,
    parts: { train: { mae: 0.01, rmse: 0.01, count: 66 }, val: { mae: 0.01, rmse: 0.01, count: 20 }, test: { mae: 0.01, rmse: 0.01, count: 10 } },
    baselines: { part: 'test', rows: [{ name: 'This model', description: 'GRU', mae: 0.01, rmse: 0.01 }, { name: 'Last value', description: 'previous', mae: 0.09, rmse: 0.1 }] },
    kStep: { k: [1, 4, 16, 64], mse: [0.01, 0.02, 0.05, 0.2], lastValueMse: [0.02, 0.05, 0.1, 0.3] }, kStepNote: null,
  };
}

async function openForecast(overrides: Partial<Handlers>) {
  const app = await openApp({ datasets: [csvDataset('load')] }, { overrides: { 'forecast:get': () => detail(), ...overrides } });
  app.stores.useNavigation().go({ name: 'forecast', runId: 'fc-1' });
  await flushPromises();
  return app;
}

describe('forecast setup', () => {
  async function openSetup(overrides: Partial<Handlers> = {}): Promise<{ w: VueWrapper; calls: string[]; requests: Array<{ channel: string; payload: unknown }> }> {
    const { w, backend } = await openApp({ datasets: [csvDataset('load')] }, { overrides });
    await w.findAll('.sidebar button').find((b) => b.attributes('aria-label') === 'New run')!.trigger('click');
    await flushPromises();
    return { w, calls: backend.calls, requests: backend.requests };
  }

  it('shows the forecast form for a CSV dataset, with its columns, the missing cells and the split in rows', async () => {
    const { w } = await openSetup();
    expect(w.find('h1').text()).toBe('New forecast run');
    expect((w.find('#fc-target').element as HTMLSelectElement).value).toBe('load');
    expect(w.find('[data-testid="missing-note"]').text()).toBe('“load” has 2 missing cells. Each is filled in linearly between its neighbours.');
    await w.find('#fc-missing').setValue('drop');
    expect(w.find('[data-testid="missing-note"]').text()).toContain('Their rows are dropped.');
    expect(w.find('[data-testid="split"]').text()).toContain('train 70% · 700 rows');
    await w.find('#fc-train').setValue('50');
    expect(w.find('[data-testid="split"]').text()).toContain('train 50% · 500 rows');
  });

  it('says what is wrong beside the field and creates nothing until it is fixed', async () => {
    const { w, calls } = await openSetup();
    await w.find('#fc-window').setValue('0');
    expect(w.find('[data-testid="window-msg"]').text()).toBe('Window: must be at least 1.');
    expect(w.find('#fc-window').attributes('aria-invalid')).toBe('true');
    await w.find('#fc-window').setValue('800');
    expect(w.find('[data-testid="split-error"]').text()).toMatch(/^The training part has 700 rows; a window of 800/);
    await w.find('[data-testid="start-forecast"]').trigger('click');
    await flushPromises();
    expect(calls).not.toContain('forecast:create');
  });

  it('creates a run whose config validates against the forecast schema, starts it and opens its training view', async () => {
    let created: unknown = null;
    const { w, calls } = await openSetup({
      'forecast:create': ({ config }) => {
        created = config;
        return { ...summary, state: 'queued' };
      },
      'runs:start': () => ({ ...summary, state: 'running' }),
      'forecast:get': () => detail({ run: { ...summary, state: 'running' }, checkpoints: [] }),
    });
    await w.find('#fc-window').setValue('8');
    await w.find('#fc-epochs').setValue('3');
    await w.find('[data-testid="start-forecast"]').trigger('click');
    await flushPromises();
    expect(forecastConfigSchema.parse(created)).toMatchObject({ task: 'forecast', datasetId: 'load', target: 'load', window: 8, epochs: 3 });
    expect(calls).toContain('runs:start');
    expect(w.find('h1').text()).toBe('forecast-1');
    expect(w.text()).toContain('Validation MAE');
    expect(w.find('[data-testid="open-forecast"]').attributes('disabled')).toBeDefined();
  });

  it('shows a refusal from the main process in words', async () => {
    const { w } = await openSetup({
      'forecast:create': () => {
        throw new AppError('TooFewRows', '1000 rows are too few for a window of 990 plus a horizon of 1.', { field: 'data' });
      },
    });
    await w.find('[data-testid="start-forecast"]').trigger('click');
    await flushPromises();
    expect(w.find('[data-testid="forecast-setup-error"]').text()).toContain('1000 rows are too few');
  });
});

describe('forecast view states', () => {
  it('says in words that a run without a checkpoint has nothing to show yet, and asks for no figures', async () => {
    const { w, backend } = await openForecast({ 'forecast:get': () => detail({ checkpoints: [] }) });
    expect(w.find('[data-testid="forecast-empty"]').text()).toMatch(/not saved a checkpoint yet/);
    expect(backend.calls).not.toContain('forecast:view');
  });

  it('shows progress while the figures are computed', async () => {
    const { w } = await openForecast({ 'forecast:view': () => new Promise<ForecastView>(() => {}) });
    expect(w.find('[data-testid="forecast-loading"]').text()).toMatch(/Computing the model's predictions/);
    expect(w.find('[data-testid="forecast-csv"]').attributes('disabled')).toBeDefined();
  });

  it('shows an error in words with a way to try again', async () => {
    let fail = true;
    const { w } = await openForecast({
      'forecast:view': () => {
        if (fail) throw new AppError('DatasetNotFound', 'The dataset this run trains on is no longer in the project.');
        return figures();
      },
    });
    expect(w.find('[data-testid="forecast-error"]').text()).toContain('no longer in the project');
    fail = false;
    await w.find('[data-testid="forecast-error"] button').trigger('click');
    await flushPromises();
    expect(w.find('[data-testid="forecast-error"]').exists()).toBe(false);
    expect(w.find('[data-testid="baselines"]').exists()).toBe(true);
  });

  it('shows the errors per part and the baselines, and offers no noise floor for a series that is not d2l’s', async () => {
    const { w } = await openForecast({ 'forecast:view': () => figures() });
    expect(w.findAll('[data-testid="baselines"] tbody tr').map((r) => r.find('td').text())).toEqual(['This model — GRU', 'Last value — previous']);
    expect(w.find('[data-testid="part-errors"]').text()).toContain('test');
    expect((w.find('[data-testid="noise-variance"]').element as HTMLInputElement).value).toBe('');
  });

  it('offers d2l’s noise floor for the d2l series', async () => {
    const { w } = await openForecast({ 'forecast:get': () => detail({ datasetName: 'd2l-series.csv' }), 'forecast:view': () => figures() });
    expect((w.find('[data-testid="noise-variance"]').element as HTMLInputElement).value).toBe('0.04');
  });

  it('explains why a run with covariates has no error-vs-k curve', async () => {
    const { w } = await openForecast({ 'forecast:view': () => ({ ...figures(), kStep: null, kStepNote: 'k-step predictions feed each prediction back in; this run has covariates.' }) });
    expect(w.find('[data-testid="kstep-note"]').text()).toContain('covariates');
  });

  it('forecasts past the end on request and says so when it cannot', async () => {
    const future = vi.fn((): { index: number[]; forecast: number[] } => {
      throw new AppError('NeedsTargetOnly', 'A forecast past the end feeds each prediction back in as the next input.');
    });
    const { w } = await openForecast({ 'forecast:view': () => figures(), 'forecast:future': future });
    await w.find('[data-testid="future-steps"]').setValue('0');
    expect(w.find('[data-testid="future-run"]').attributes('disabled')).toBeDefined();
    await w.find('[data-testid="future-steps"]').setValue('12');
    await w.find('[data-testid="future-run"]').trigger('submit');
    await flushPromises();
    expect(future).toHaveBeenCalledWith({ projectDir: DIR, runId: 'fc-1', steps: 12 });
    expect(w.find('[role="alert"]').text()).toContain('feeds each prediction back in');
  });
});

describe('recursive forecast from a chosen row', () => {
  it('sends the row, offers the training end, and refuses a row outside the series before asking', async () => {
    const future = vi.fn((p: { steps: number; origin?: number }) => ({ index: Array.from({ length: p.steps }, (_, i) => (p.origin ?? 100) + i), forecast: Array.from({ length: p.steps }, () => 0.5) }));
    const { w } = await openForecast({ 'forecast:view': () => figures(), 'forecast:future': future });
    await w.find('[data-testid="future-steps"]').setValue('16');
    await w.find('[data-testid="future-origin"]').setValue('2');
    expect(w.find('[data-testid="origin-error"]').text()).toContain('from 4 (after one full window) to 100');
    expect(w.find('[data-testid="future-run"]').attributes('disabled')).toBeDefined();
    await w.find('[data-testid="future-from-train-end"]').trigger('click');
    expect((w.find('[data-testid="future-origin"]').element as HTMLInputElement).value).toBe('70');
    expect(w.find('[data-testid="origin-error"]').exists()).toBe(false);
    await w.find('[data-testid="future-run"]').trigger('submit');
    await flushPromises();
    expect(future).toHaveBeenCalledWith({ projectDir: DIR, runId: 'fc-1', steps: 16, origin: 70 });
    expect(w.find('metric-chart-stub[label="Forecast chart"]').exists()).toBe(true);
  });
});

describe('forecast runs beside text runs', () => {
  it('compare and generate offer only the text runs, and a forecast run opens in its own training view', async () => {
    const forecastRun = runDetail('fc-9', { name: 'sine forecast' });
    forecastRun.run.task = 'forecast';
    const { w, stores, backend } = await openApp(
      { datasets: [csvDataset('load')], runs: [runDetail('txt-1', { name: 'gru text' }), forecastRun] },
      { overrides: { 'forecast:get': () => detail({ run: { ...summary, id: 'fc-9', name: 'sine forecast' } }) } },
    );
    stores.useNavigation().go({ name: 'compare' });
    await flushPromises();
    expect(w.findAll('.pick .name').map((p) => p.text())).toEqual(['gru text']);
    stores.useNavigation().go({ name: 'generate' });
    await flushPromises();
    expect((w.find('select').element as HTMLSelectElement).textContent).not.toContain('sine forecast');
    stores.useNavigation().go({ name: 'run', runId: 'fc-9' });
    await flushPromises();
    expect(w.text()).toContain('Validation MAE');
    expect(backend.requests.filter((r) => r.channel === 'runs:get').map((r) => (r.payload as { runId: string }).runId)).not.toContain('fc-9');
  });
});

describe('forecast training view', () => {
  it('follows a running forecast run live: records from runs:update reach the figures and the curves', async () => {
    const forecastRun = runDetail('fc-9', { name: 'sine forecast', state: 'running' });
    forecastRun.run.task = 'forecast';
    const { w, stores, backend } = await openApp(
      { datasets: [csvDataset('load')], runs: [forecastRun] },
      { overrides: { 'forecast:get': () => detail({ run: { ...summary, id: 'fc-9', name: 'sine forecast', state: 'running' }, checkpoints: [] }) } },
    );
    stores.useNavigation().go({ name: 'run', runId: 'fc-9' });
    await flushPromises();
    expect(w.find('[data-testid="val-mae"]').exists()).toBe(false);
    const before = stores.useForecast().versions['fc-9'] ?? 0;
    backend.pushMetrics('fc-9', [
      { kind: 'train', step: 1, epoch: 1, time: 1, loss: 0.4 },
      { kind: 'val', step: 1, epoch: 1, time: 1, loss: 0.3, mse: 0.05, mae: 0.181, rmse: 0.22, baselineMae: 0.2, baselineRmse: 0.25 },
    ]);
    await flushPromises();
    expect(w.find('[data-testid="val-mae"]').text()).toBe('0.181');
    expect(w.text()).toContain('last value MAE0.2');
    expect(stores.useForecast().metricsOf('fc-9')!.val).toHaveLength(1);
    expect(stores.useForecast().versions['fc-9']).toBeGreaterThan(before);
    // an event repeating records already shown adds nothing
    backend.pushMetrics('fc-9', [{ kind: 'val', step: 1, epoch: 1, time: 1, loss: 0.3, mae: 0.181, baselineMae: 0.2 }]);
    await flushPromises();
    expect(stores.useForecast().metricsOf('fc-9')!.val).toHaveLength(1);
  });
});
