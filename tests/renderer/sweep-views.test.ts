// @vitest-environment happy-dom
/** The "New sweep" form, the sweep view with streamed trials, and the sidebar entry, in the mounted app over the in-memory bridge. */
import { afterEach, describe, expect, it } from 'vitest';
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { closeApp, DIR, openApp } from './app-harness';
import { textDataset } from './fixtures';
import { sweepConfigSchema, type TrialDto } from '../../src/shared/sweep';
import type { MemoryBackend } from './memory-backend';
import { AppError } from '../../src/shared/errors';

afterEach(closeApp);

async function openSetup() {
  const app = await openApp({ datasets: [textDataset('tm')] });
  await app.w.find('button[aria-label="New sweep"]').trigger('click');
  await flushPromises();
  return app;
}

const row = (w: VueWrapper, field: string) => w.find(`.row[data-field="${field}"]`);
const msg = (w: VueWrapper, field: string) => w.find(`[data-testid="sw-msg-${field}"]`);

async function setMode(w: VueWrapper, field: string, mode: string): Promise<void> {
  await w.find(`#sw-${field}-mode`).setValue(mode);
}

describe('sidebar', () => {
  it('lists no sweeps with a sentence saying what to do, and + opens the new-sweep form', async () => {
    const { w, stores } = await openApp({ datasets: [textDataset('tm')] });
    expect(w.find('[aria-labelledby="sb-sweeps"]').text()).toContain('No sweeps yet — press + to try many settings at once');
    await w.find('button[aria-label="New sweep"]').trigger('click');
    await flushPromises();
    expect(stores.useNavigation().screen).toEqual({ name: 'sweep-setup' });
    expect(w.find('h1').text()).toBe('New sweep');
  });

  it('says in plain words when the sweeps cannot be listed', async () => {
    const { w } = await openApp({ datasets: [textDataset('tm')] }, { overrides: { 'sweeps:list': () => { throw new AppError('CorruptSweep', 'The sweep file sweeps/s1/sweep.json is damaged (bad JSON); the sweep cannot be opened.'); } } });
    expect(w.find('[aria-labelledby="sb-sweeps"] [role="alert"]').text()).toBe('The sweeps could not be listed: The sweep file sweeps/s1/sweep.json is damaged (bad JSON); the sweep cannot be opened.');
  });

  it('asks for a dataset first when the project has none', async () => {
    const { w } = await openApp({});
    expect(w.find('[aria-labelledby="sb-sweeps"]').text()).toContain('Import a dataset first');
    expect(w.find('button[aria-label="New sweep"]').attributes('disabled')).toBeDefined();
  });
});

describe('new sweep form', () => {
  it('offers a log range only for fields declared log', async () => {
    const { w } = await openSetup();
    const options = (field: string) => row(w, field).findAll(`#sw-${field}-mode option`).map((o) => o.attributes('value'));
    expect(options('lr')).toEqual(['fixed', 'list', 'range', 'log']);
    expect(options('hiddenSize')).toEqual(['fixed', 'list', 'range']);
    expect(options('cell')).toEqual(['fixed', 'list']);
  });

  it('says what is wrong beside each field and creates nothing until it is fixed', async () => {
    const { w, backend } = await openSetup();
    await w.find('#sw-lr-low').setValue('0');
    expect(msg(w, 'lr').text()).toBe('Learning rate (lr) must stay between 1e-7 and 100 (got 0 … 10).');
    expect(w.find('#sw-lr-low').attributes('aria-invalid')).toBe('true');
    await w.find('#sw-hiddenSize-values').setValue('32, big');
    expect(msg(w, 'hiddenSize').text()).toBe('Hidden size: “big” is not a number.');
    await w.find('#sw-trials').setValue('0');
    expect(w.find('#sw-trials-msg').text()).toBe('A sweep needs at least 1 trial.');
    await w.find('[data-testid="start-sweep"]').trigger('click');
    await flushPromises();
    expect(backend.calls).not.toContain('sweeps:create');
    // a fixed field is the base config, checked by the run-config schema
    await w.find('#sw-numSteps-fixed').setValue('0');
    expect(msg(w, 'numSteps').text()).toBe('Steps (T) must be at least 1.');
  });

  it('refuses a grid over a range and names the field, and shows the grid size for lists', async () => {
    const { w } = await openSetup();
    await w.find('input[name="sw-method"][value="grid"]').setValue(true);
    await w.find('[data-testid="start-sweep"]').trigger('click');
    await flushPromises();
    expect(msg(w, 'lr').text()).toBe('A grid sweep needs lists; give lr a list of values instead of a range.');
    await setMode(w, 'lr', 'list');
    await w.find('#sw-lr-values').setValue('0.5, 1, 2, 4');
    await setMode(w, 'cell', 'list');
    await row(w, 'cell').findAll('input[type="checkbox"]')[2]!.setValue(true);
    expect(w.find('[data-testid="sw-trials-msg"]').text()).toContain('The grid has 24 combinations.');
    await w.find('[data-testid="sw-trials-msg"] button').trigger('click');
    expect((w.find('#sw-trials').element as HTMLInputElement).value).toBe('24');
    await w.find('#sw-trials').setValue('30');
    expect(w.find('[data-testid="sw-trials-msg"]').text()).toContain('The grid has 24 combinations; a grid sweep runs at most 24.');
    expect(w.find('[data-testid="sw-space-summary"]').text()).toBe('Sweeping Cell, Hidden size, Learning rate · grid of 24.');
    expect(msg(w, 'lr').classes()).toContain('field-help');
  });

  it('shows a field that only matters for a swept choice, e.g. the RNN nonlinearity when rnn is one of the cells', async () => {
    const { w } = await openSetup();
    expect(row(w, 'nonlinearity').exists()).toBe(false);
    await setMode(w, 'cell', 'list');
    await row(w, 'cell').findAll('input[type="checkbox"]')[0]!.setValue(true);
    expect(row(w, 'nonlinearity').exists()).toBe(true);
  });

  it('keeps the form and says why when the sweep cannot start', async () => {
    const { w } = await openApp({ datasets: [textDataset('tm')] }, { overrides: { 'sweeps:create': () => { throw new AppError('ReadOnly', 'This project is open read-only in another window.'); } } });
    await w.find('button[aria-label="New sweep"]').trigger('click');
    await flushPromises();
    await w.find('[data-testid="start-sweep"]').trigger('click');
    await flushPromises();
    expect(w.find('h1').text()).toBe('New sweep');
    expect(document.body.textContent).toContain('Could not start the sweep: This project is open read-only in another window.');
  });

  it('creates a sweep whose config validates against the shared schema and opens its view', async () => {
    const { w, backend } = await openSetup();
    await w.find('#sw-name').setValue('lr and width');
    await w.find('input[name="sw-prune"][value="asha"]').setValue(true);
    await w.find('#sw-parallel').setValue('3');
    await w.find('[data-testid="start-sweep"]').trigger('click');
    await flushPromises();
    const request = backend.requests.find((r) => r.channel === 'sweeps:create')!.payload as { config: unknown };
    const config = sweepConfigSchema.parse(request.config);
    expect(config).toMatchObject({ name: 'lr and width', method: 'random', prune: 'asha', trials: 12, parallel: 3, space: { lr: { low: 0.1, high: 10, log: true }, hiddenSize: { values: [32, 64, 128] } } });
    expect(config.base).toMatchObject({ datasetId: 'tm', cell: 'gru', epochs: 9, valEvery: 1 });
    expect(w.find('h1').text()).toBe('lr and width');
    expect(w.find('[data-testid="sweep-progress"]').text()).toBe('0 of 12 trials ended · 0 running');
    expect(w.find('[aria-labelledby="sb-sweeps"]').text()).toContain('lr and width');
  });
});

/** A sweep created through the form, then trials pushed as the runner would. */
async function startSweep(): Promise<{ w: VueWrapper; backend: MemoryBackend; stores: Awaited<ReturnType<typeof openApp>>['stores'] }> {
  const app = await openSetup();
  await app.w.find('[data-testid="start-sweep"]').trigger('click');
  await flushPromises();
  return app;
}

const curve = (...values: number[]) => values.map((value, i) => ({ step: i + 1, value }));

async function streamTrials(backend: MemoryBackend): Promise<void> {
  const push = (t: Partial<TrialDto> & { number: number }) => backend.sweeps.pushTrial('sweep-1', t);
  push({ number: 0, params: { lr: 0.3, hiddenSize: 32 }, state: 'RUNNING', runId: 'run-t0' });
  push({ number: 1, params: { lr: 3, hiddenSize: 128 }, state: 'RUNNING', runId: 'run-t1' });
  push({ number: 0, state: 'COMPLETE', value: 9.5, intermediate: curve(14, 11, 9.5) });
  push({ number: 1, state: 'PRUNED', value: null, intermediate: curve(19) });
  push({ number: 2, params: { lr: 1, hiddenSize: 64 }, state: 'COMPLETE', value: 6.2, intermediate: curve(12, 8, 6.2), runId: 'run-t2' });
  push({ number: 3, params: { lr: 0.1, hiddenSize: 128 }, state: 'COMPLETE', value: 11.8, intermediate: curve(15, 13, 11.8), runId: 'run-t3' });
  push({ number: 4, params: { lr: 2, hiddenSize: 32 }, state: 'RUNNING', intermediate: curve(13), runId: 'run-t4' });
  await flushPromises();
}

const tableNumbers = (w: VueWrapper) => w.findAll('.trials tbody tr').map((r) => Number(r.attributes('data-trial')));

describe('sweep view', () => {
  it('follows streamed trials: progress, the best trial, importance and the table', async () => {
    const { w, backend } = await startSweep();
    await streamTrials(backend);
    expect(w.find('[data-testid="sweep-progress"]').text()).toBe('4 of 12 trials ended · 1 running');
    expect(w.find('#sw-best').text()).toBe('Best so far: trial #2');
    expect(w.find('[data-testid="best-value"]').text()).toBe('6.2');
    expect(w.find('[data-testid="importance-text"]').exists()).toBe(true);
    expect(w.find('[data-testid="importance-text"]').text()).toMatch(/^(Learning rate|Hidden size) \d+%, (Learning rate|Hidden size) \d+%$/);
    // sorted by value, best first; trials without a value last
    expect(tableNumbers(w)).toEqual([2, 0, 3, 1, 4]);
    expect(w.find('.trials tr.best').attributes('data-trial')).toBe('2');
    // the sidebar shows the progress of the running sweep
    expect(w.find('[aria-labelledby="sb-sweeps"]').text()).toContain('4/12');
  });

  it('redraws its charts when a trial reports an epoch', async () => {
    const { w, backend } = await startSweep();
    await streamTrials(backend);
    const chart = () => w.find('metric-chart-stub[label="Validation perplexity per epoch of every trial"]');
    const before = Number(chart().attributes('version'));
    backend.sweeps.pushTrial('sweep-1', { number: 4, intermediate: curve(13, 10) });
    await flushPromises();
    expect(Number(chart().attributes('version'))).toBeGreaterThan(before);
    expect(w.findAll('metric-chart-stub').map((c) => c.attributes('label'))).toEqual([
      'Parallel coordinates of the trials: one axis per swept parameter, validation perplexity last',
      expect.stringMatching(/^Parameter importance: /),
      'Validation perplexity per epoch of every trial',
      'Validation perplexity against Hidden size',
      'Validation perplexity against Learning rate',
    ]);
  });

  it('moves focus to the first field that needs fixing when Start is pressed', async () => {
    const { w } = await openSetup();
    await w.find('#sw-hiddenSize-values').setValue('');
    await w.find('[data-testid="start-sweep"]').trigger('click');
    await new Promise((r) => requestAnimationFrame(r));
    expect(document.activeElement?.id).toBe('sw-hiddenSize-values');
  });

  it('counts a grid sweep to the size of its grid when N is larger', async () => {
    const { w } = await openSetup();
    await w.find('input[name="sw-method"][value="grid"]').setValue(true);
    await setMode(w, 'lr', 'list');
    await w.find('#sw-lr-values').setValue('0.5, 1');
    await w.find('[data-testid="start-sweep"]').trigger('click');
    await flushPromises();
    expect(w.find('[data-testid="sweep-progress"]').text()).toBe('0 of 6 trials ended · 0 running');
  });

  it('waits for three trials with a value before it shows importance, and says so', async () => {
    const { w, backend } = await startSweep();
    backend.sweeps.pushTrial('sweep-1', { number: 0, params: { lr: 1, hiddenSize: 32 }, state: 'COMPLETE', value: 8, intermediate: curve(8), runId: 'run-t0' });
    await flushPromises();
    expect(w.find('[aria-labelledby="sw-importance"]').text()).toContain('Needs at least 3 trials that completed or were pruned (1 so far).');
    expect(w.find('[aria-labelledby="sw-curves"]').text()).not.toContain('Appears when a trial reports');
  });

  it('sorts the table by a column, filters by state and keeps the best k %', async () => {
    const { w, backend } = await startSweep();
    await streamTrials(backend);
    const header = (text: string) => w.findAll('.trials thead button').find((b) => b.text().startsWith(text))!;
    await header('Learning rate').trigger('click');
    expect(tableNumbers(w)).toEqual([3, 0, 2, 4, 1]);
    expect(header('Learning rate').element.closest('th')!.getAttribute('aria-sort')).toBe('ascending');
    await header('Learning rate').trigger('click');
    expect(tableNumbers(w)).toEqual([1, 4, 2, 0, 3]);
    await w.find('[data-testid="state-COMPLETE"]').setValue(true);
    expect(tableNumbers(w)).toEqual([2, 0, 3]);
    await w.find('[data-testid="best-percent"]').setValue('50');
    expect(tableNumbers(w)).toEqual([2, 0]);
    expect(w.find('[data-testid="trial-count"]').text()).toBe('2 of 5 trials');
    await w.find('[data-testid="state-COMPLETE"]').setValue(false);
    await w.find('[data-testid="state-PRUNED"]').setValue(true);
    expect(w.find('.trials').text()).toContain('No trial matches these filters.');
    await w.find('[data-testid="best-percent"]').setValue('0');
    expect(w.find('#sw-best-help').text()).toBe('Best k % takes a number from 1 to 100; showing all trials.');
    expect(tableNumbers(w)).toEqual([1]);
  });

  it('opens a trial as a normal run in the training view', async () => {
    const { w, backend, stores } = await startSweep();
    await streamTrials(backend);
    await w.find('button[aria-label="Open trial 2 as a run"]').trigger('click');
    await flushPromises();
    expect(stores.useNavigation().screen).toEqual({ name: 'run', runId: 'run-t2' });
    expect(w.find('h1').text()).toBe('sweep-1-trial-2');
    expect(backend.calls).toContain('runs:get');
  });

  it('stops and resumes the sweep', async () => {
    const { w, backend } = await startSweep();
    await streamTrials(backend);
    await w.find('[data-testid="stop-sweep"]').trigger('click');
    await flushPromises();
    expect(backend.calls).toContain('sweeps:stop');
    expect(w.find('[data-testid="stop-sweep"]').exists()).toBe(false);
    await w.find('[data-testid="resume-sweep"]').trigger('click');
    await flushPromises();
    expect(backend.calls).toContain('sweeps:resume');
    expect(w.find('[data-testid="stop-sweep"]').exists()).toBe(true);
  });

  it('says in plain words when a sweep cannot be read', async () => {
    const { w, stores } = await openApp({ datasets: [textDataset('tm')] });
    stores.useNavigation().go({ name: 'sweep', sweepId: 'gone' });
    await flushPromises();
    expect(w.find('[role="alert"]').text()).toContain('This sweep could not be read: There is no sweep “gone” in this project.');
    expect(DIR).toBeTruthy();
  });
});
