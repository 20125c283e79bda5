// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { DIR, closeApp, openApp } from './app-harness';
import { metricStream, runDetail, textDataset } from './fixtures';

afterEach(closeApp);

async function openRun(w: VueWrapper, name: string) {
  const b = w.findAll('.sidebar button.open').find((x) => x.find('.label').text() === name);
  await b!.trigger('click');
  await flushPromises();
}

const button = (w: VueWrapper, text: string) => w.findAll('button').find((b) => b.text().startsWith(text))!;

describe('a run trained in this session', () => {
  it('offers Generate and Export as soon as an update carries its first checkpoint, and lists it', async () => {
    const run = runDetail('fresh', { state: 'running' });
    const { w, backend, stores } = await openApp({ datasets: [textDataset('tm')], runs: [run] });
    await openRun(w, 'fresh');
    expect(button(w, 'Generate…').attributes('disabled')).toBeDefined();
    expect(w.find('[data-testid="export-weights"]').attributes('disabled')).toBeDefined();

    const metrics = metricStream(0, 100);
    backend.pushMetrics('fresh', metrics);
    const last = metrics.at(-1)!;
    backend.emit('runs:update', {
      projectDir: DIR, runId: 'fresh', state: 'running', progress: null, metrics: [], samples: [], message: null, divergence: null,
      checkpoints: [{ name: `step-${last.step}`, step: last.step, epoch: null, valPerplexity: 9.5, best: true }],
    });
    await flushPromises();
    expect(button(w, 'Generate…').attributes('disabled')).toBeUndefined();
    expect(w.find('[data-testid="export-weights"]').attributes('disabled')).toBeUndefined();
    // the pushed list has no epochs; the run's own records supply it
    expect(w.find('.checkpoints').text()).toContain(`${last.step}`);
    expect(stores.useRuns().meta.fresh!.checkpoints[0]!.epoch).toBe(last.epoch);
  });

  it('keeps a stopped run’s final progress and shows its message when the stop’s summary has none', async () => {
    const run = runDetail('halt', { state: 'running' });
    const { w, backend } = await openApp({ runs: [run] }, {
      overrides: { 'runs:stop': ({ runId }) => ({ ...backend.runs.get(runId)!.run, state: 'done', progress: null, message: 'Stopped after 2 epochs.' }) },
    });
    await openRun(w, 'halt');
    backend.pushMetrics('halt', metricStream(0, 300));
    await flushPromises();
    const facts = () => w.findAll('.progress .facts div').filter((d) => ['epoch', 'step', 'elapsed'].includes(d.find('dt').text())).map((d) => d.text());
    const before = facts();
    expect(before).toHaveLength(3);
    await w.find('[data-testid="stop"]').trigger('click');
    await flushPromises();
    expect(w.find('[data-testid="run-state"]').attributes('data-state')).toBe('done');
    expect(facts()).toEqual(before);
    expect(w.text()).not.toContain('No progress recorded yet.');
    expect(w.text()).toContain('Stopped after 2 epochs.');
  });

  it('says a queued run is queued, in the list and in its training view', async () => {
    const { w } = await openApp({ runs: [runDetail('later', { state: 'queued' })] });
    const entry = w.findAll('.sidebar li').find((li) => li.text().includes('later'))!;
    expect(entry.text()).toContain('queued');
    await openRun(w, 'later');
    expect(w.find('[data-testid="queued"]').text()).toMatch(/Queued/);
    expect(w.find('[data-testid="resume"]').exists()).toBe(false);
  });
});

describe('resume with lr × 0.5', () => {
  it('halves the learning rate the run trains with, so a second resume halves it again', async () => {
    const run = runDetail('boom', { state: 'diverged', config: { lr: 8 }, metrics: metricStream(0, 50) });
    const { w, backend } = await openApp({ runs: [run] });
    await openRun(w, 'boom');
    expect(w.find('[data-testid="resume-half"]').text()).toContain('from lr 8 to lr 4');
    await w.find('[data-testid="resume-half"]').trigger('click');
    await flushPromises();
    expect(w.find('[data-testid="effective-lr"]').text()).toBe('lr 4 (set to 8)');

    backend.pushMetrics('boom', [], { state: 'diverged' });
    await flushPromises();
    expect(w.find('[data-testid="resume-half"]').text()).toContain('from lr 4 to lr 2');
    await w.find('[data-testid="resume-half"]').trigger('click');
    await flushPromises();
    const lrs = backend.requests.filter((r) => r.channel === 'runs:resume').map((r) => (r.payload as { lr: number }).lr);
    expect(lrs).toEqual([4, 2]);
  });

  it('starts from the effective learning rate a reopened run reports', async () => {
    const run = runDetail('again', { state: 'diverged', config: { lr: 8 }, metrics: metricStream(0, 50) });
    run.effective = { lr: 2, epochs: run.config.epochs };
    const { w } = await openApp({ runs: [run] });
    await openRun(w, 'again');
    expect(w.find('[data-testid="effective-lr"]').text()).toBe('lr 2 (set to 8)');
    expect(w.find('[data-testid="resume-half"]').text()).toContain('from lr 2 to lr 1');
  });
});

describe('leaving a project while it trains', () => {
  it('asks before closing, says training goes on, and stays on Stay', async () => {
    const { w, stores } = await openApp({ runs: [runDetail('busy', { state: 'running' })] });
    const close = button(w, 'Close project');
    await close.trigger('click');
    await flushPromises();
    const dialog = w.find('[role="alertdialog"]');
    expect(dialog.text()).toContain('A run is training in “tm”');
    expect(dialog.text()).toContain('Training goes on in the background');
    await w.find('[data-testid="confirm-cancel"]').trigger('click');
    await flushPromises();
    expect(stores.useProjects().current?.project.dir).toBe(DIR);

    await close.trigger('click');
    await flushPromises();
    await w.find('[data-testid="confirm-ok"]').trigger('click');
    await flushPromises();
    expect(stores.useProjects().current).toBeNull();
  });

  it('asks before switching to another project, and not when nothing trains', async () => {
    const { w, backend, stores } = await openApp({ runs: [runDetail('busy', { state: 'queued' })] });
    backend.seedProject('/home/ada/other.rnnlab', {});
    const projects = stores.useProjects();
    const switching = projects.open('/home/ada/other.rnnlab');
    await flushPromises();
    expect(w.find('[role="alertdialog"]').text()).toContain('Training goes on in the background');
    await w.find('[data-testid="confirm-ok"]').trigger('click');
    expect(await switching).toBe(true);
    expect(projects.current?.project.dir).toBe('/home/ada/other.rnnlab');
    await flushPromises();
    expect(await projects.open(DIR)).toBe(true); // the other project trains nothing
  });
});
