// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { closeApp, openApp } from './app-harness';
import { metricStream, runDetail, sample, textDataset } from './fixtures';

afterEach(closeApp);

function sidebarButton(w: VueWrapper, text: string) {
  const b = w.findAll('.sidebar button.open').find((x) => x.find('.label').text() === text);
  if (!b) throw new Error(`no sidebar entry ${text}`);
  return b;
}

describe('sidebar and navigation', () => {
  it('lists datasets and runs with their states, and opens a run by keyboard-accessible button', async () => {
    const { w } = await openApp({ datasets: [textDataset('tm', 'timemachine.txt')], runs: [runDetail('a', { state: 'done', metrics: metricStream(0, 600) }), runDetail('b', { state: 'diverged' })] });
    expect(w.find('.sidebar').text()).toContain('timemachine.txt');
    expect(w.find('[aria-label="done"]').exists()).toBe(true);
    expect(w.find('[aria-label="diverged"]').exists()).toBe(true);
    await sidebarButton(w, 'a').trigger('click');
    await flushPromises();
    expect(w.find('h1').text()).toBe('a');
    expect(w.text()).toContain('Perplexity');
  });

  it('deletes a run after confirmation and brings it back with Undo', async () => {
    const { w, backend } = await openApp({ runs: [runDetail('old-run', { state: 'done' })] });
    await w.find('[aria-label="Delete run old-run"]').trigger('click');
    expect(w.find('[role="alertdialog"]').text()).toContain('Delete run “old-run”?');
    await w.find('[data-testid="confirm-ok"]').trigger('click');
    expect(w.find('.sidebar').text()).not.toContain('old-run');
    const undo = w.findAll('.toast button').find((b) => b.text() === 'Undo')!;
    await undo.trigger('click');
    expect(w.find('.sidebar').text()).toContain('old-run');
    expect(backend.calls).not.toContain('runs:delete');
  });

  it('explains a failed import in plain words', async () => {
    const { w, backend } = await openApp({});
    backend.pickFileResult = '/home/ada/photo.txt';
    backend.importFailures.set('/home/ada/photo.txt', { code: 'Binary', message: 'This looks like a binary file, not text.', details: { byteOffset: 3 } });
    await w.find('[aria-label="Import a dataset"]').trigger('click');
    await flushPromises();
    expect(w.find('[role="alert"]').text()).toMatch(/Could not import photo\.txt\. This looks like a binary file \(an image/);
  });

  it('tells an empty project what to do first', async () => {
    const { w } = await openApp({});
    expect(w.text()).toContain('Start with a dataset');
    expect(w.text()).toContain('Drag a file onto this window');
  });
});

describe('dataset view', () => {
  it('shows statistics and updates vocabulary size and <unk> rate as min_freq changes', async () => {
    const { w } = await openApp({ datasets: [textDataset('tm', 'timemachine.txt')] });
    await sidebarButton(w, 'timemachine.txt').trigger('click');
    await vi.waitFor(() => expect(w.find('[data-testid="vocab-size"]').text()).toBe('29'));
    expect(w.text()).toContain('178,979');
    expect(w.find('[data-testid="unigram"]').text()).toBe('17.4');
    await w.find('input[aria-label="min_freq value"]').setValue('2000');
    await vi.waitFor(() => expect(w.find('[data-testid="vocab-size"]').text()).not.toBe('29'), { timeout: 2000 });
    expect(w.find('[data-testid="unk-rate"]').text()).not.toBe('0.00%');
    await vi.waitFor(() => expect(w.find('.preview').text()).toContain('the time machine'));
  });
});

describe('run setup', () => {
  it('shows the schema message beside an invalid field and does not start', async () => {
    const { w, backend } = await openApp({ datasets: [textDataset('tm')] });
    await w.findAll('.sidebar button').find((b) => b.attributes('aria-label') === 'New run')!.trigger('click');
    await flushPromises();
    await w.find('#cfg-hiddenSize').setValue('-3');
    expect(w.find('#cfg-hiddenSize-msg').text()).toBe('Hidden size must be at least 1.');
    expect(w.find('#cfg-hiddenSize').attributes('aria-invalid')).toBe('true');
    await w.find('[data-testid="start-run"]').trigger('click');
    await flushPromises();
    expect(backend.calls).not.toContain('runs:create');
  });

  it('counts parameters live, applies a preset, shows the cell equations, and starts the run', async () => {
    const { w, backend } = await openApp({ datasets: [textDataset('tm')] });
    await w.findAll('.sidebar button').find((b) => b.attributes('aria-label') === 'New run')!.trigger('click');
    await vi.waitFor(() => expect(w.find('[data-testid="param-count"]').exists()).toBe(true));
    await w.find('#cfg-preset').setValue('d2l-lstm');
    await flushPromises();
    // LSTM, H = 256, one-hot input of |V| = 29: 4·256·(29+256+2) + 29·256 + 29.
    await vi.waitFor(() => expect(w.find('[data-testid="param-count"]').text()).toBe((4 * 256 * (29 + 256 + 2) + 29 * 256 + 29).toLocaleString('en-US')));
    expect(w.find('.equations').text()).toContain('forget gate');
    expect(w.find('.equations').text()).toContain('tanh(C');
    await w.find('[data-testid="start-run"]').trigger('click');
    await flushPromises();
    expect(backend.calls).toEqual(expect.arrayContaining(['runs:create', 'runs:start']));
    expect((backend.requests.find((r) => r.channel === 'runs:create')!.payload as { config: { cell: string } }).config.cell).toBe('lstm');
    expect(w.find('h1').text()).toBe('lstm-1');
  });

  it('measures the training time on this machine, shows that it is measuring, and measures again when the model changes', async () => {
    const { w, backend } = await openApp({ datasets: [textDataset('tm')] });
    let release = () => {};
    backend.estimateHold = new Promise((resolve) => (release = resolve));
    await w.findAll('.sidebar button').find((b) => b.attributes('aria-label') === 'New run')!.trigger('click');
    await flushPromises();
    await vi.waitFor(() => expect(w.find('[data-testid="time-measuring"]').exists()).toBe(true), { timeout: 2000 });
    release();
    await vi.waitFor(() => expect(w.find('[data-testid="time"]').exists()).toBe(true), { timeout: 2000 });
    expect(w.find('[data-testid="time-measuring"]').exists()).toBe(false);
    // 500 epochs × 1.1 s
    expect(w.find('[data-testid="time"]').text()).toBe('9:10');
    expect(w.text()).toContain('timed over 12 minibatches');
    const estimates = () => backend.requests.filter((r) => r.channel === 'runs:estimate').map((r) => (r.payload as { config: { hiddenSize: number } }).config.hiddenSize);
    expect(estimates()).toEqual([256]);
    await w.find('#cfg-name').setValue('another name');
    await w.find('#cfg-hiddenSize').setValue('64');
    await vi.waitFor(() => expect(estimates()).toEqual([256, 64]), { timeout: 2000 });
  });

  it('offers the corpus opening as the sample prefix and warns when letters cleaning would erase most of the text', async () => {
    const base = textDataset('zh');
    const stats = { ...base.stats, lettersKept: 0.1, opening: { none: '时间旅行者正在阐述一个深奥的问题', letters: ' ' } } as typeof base.stats;
    const { w, backend } = await openApp({ datasets: [{ ...base, stats }] });
    await w.findAll('.sidebar button').find((b) => b.attributes('aria-label') === 'New run')!.trigger('click');
    await flushPromises();
    expect(w.find('[data-testid="letters-warning"]').text()).toContain('drops 90 %');
    await w.find('#cfg-clean').setValue('none');
    await flushPromises();
    expect(w.find('[data-testid="letters-warning"]').exists()).toBe(false);
    expect(w.find('#cfg-samplePrefix').attributes('placeholder')).toBe('时间旅行者正在阐述一个深奥的问题');
    expect(w.find('[data-testid="sample-prefix-help"]').text()).toContain('“时间旅行者正在阐述一个深奥的问题”');
    await w.find('[data-testid="start-run"]').trigger('click');
    await flushPromises();
    // the field left empty: the service fills in the opening
    expect((backend.requests.find((r) => r.channel === 'runs:create')!.payload as { config: { samplePrefix: string } }).config.samplePrefix).toBe('');
  });
});

describe('letters cleaning warning', () => {
  it('tells the dataset screen plainly how much letters cleaning drops, and stays quiet for English', async () => {
    const base = textDataset('code');
    const { w } = await openApp({ datasets: [{ ...base, stats: { ...base.stats, lettersKept: 0.55 } as typeof base.stats }, textDataset('en')] });
    await sidebarButton(w, 'code.txt').trigger('click');
    await flushPromises();
    expect(w.find('[data-testid="letters-warning"]').text()).toMatch(/drops 45 % of this text's characters/);
    await w.find('input[name="ds-clean"][value="none"]').setValue(true);
    await flushPromises();
    expect(w.find('[data-testid="letters-warning"]').exists()).toBe(false);
    await sidebarButton(w, 'en.txt').trigger('click');
    await flushPromises();
    expect(w.find('[data-testid="letters-warning"]').exists()).toBe(false);
  });
});

describe('training view', () => {
  it('follows streamed metrics and samples, and pauses through the bridge', async () => {
    const { w, backend } = await openApp({ runs: [runDetail('live', { state: 'running', metrics: metricStream(0, 100) })] });
    await sidebarButton(w, 'live').trigger('click');
    await flushPromises();
    backend.pushMetrics('live', metricStream(100, 2000), { samples: [sample(2000, ' was the time')] });
    await flushPromises();
    expect(w.find('.facts').text()).toContain('1,999');
    expect(w.find('.samples').text()).toContain('was the time');
    expect(w.find('[data-testid="eta"]').text()).toBe('2:00');
    await w.find('[data-testid="pause"]').trigger('click');
    await flushPromises();
    expect(backend.calls).toContain('runs:pause');
    expect(w.find('[data-testid="resume"]').exists()).toBe(true);
    expect(w.find('[data-testid="step"]').exists()).toBe(true);
  });

  it('warns when validation perplexity rises while training keeps falling', async () => {
    const { w } = await openApp({ runs: [runDetail('over', { metrics: metricStream(0, 8000, { valEvery: 500, overfitFrom: 4000, tau: 1500 }) })] });
    await sidebarButton(w, 'over').trigger('click');
    await flushPromises();
    expect(w.find('[data-testid="memorising"]').text()).toMatch(/memorising/);
  });

  it('explains a divergence and resumes from the last good checkpoint at half the learning rate', async () => {
    const run = runDetail('boom', { state: 'diverged', config: { lr: 8 }, metrics: metricStream(0, 50) });
    run.divergence = { where: 'backward', parameter: 'weight_hh_l0', timeStep: 17, message: 'The gradient became infinite.' };
    const { w, backend } = await openApp({ runs: [run] });
    await sidebarButton(w, 'boom').trigger('click');
    await flushPromises();
    const box = w.find('[data-testid="divergence"]');
    expect(box.text()).toContain('weight_hh_l0');
    expect(box.text()).toContain('lr 4');
    await w.find('[data-testid="resume-half"]').trigger('click');
    await flushPromises();
    expect(backend.requests.find((r) => r.channel === 'runs:resume')!.payload).toMatchObject({ runId: 'boom', lr: 4 });
  });
});

describe('training view, exploding loss', () => {
  it('says in plain words that the training loss exploded and suggests a lower learning rate or clipping', async () => {
    const run = runDetail('blast', { state: 'diverged', config: { lr: 100, clip: 0 }, metrics: metricStream(0, 50) });
    run.divergence = { where: 'exploding-loss', parameter: null, timeStep: null, message: 'Training diverged at update 26: the training loss exploded.' };
    const { w } = await openApp({ runs: [run] });
    await sidebarButton(w, 'blast').trigger('click');
    await flushPromises();
    const box = w.find('[data-testid="divergence"]');
    expect(box.text()).toMatch(/The training loss exploded\./);
    expect(box.text()).toMatch(/Lower the learning rate, or turn on gradient clipping/);
    expect(box.text()).not.toMatch(/non-finite/);
    expect(box.text()).toContain('lr 50');
  });
});

describe('compare view', () => {
  it('highlights differing config fields and sorts by best validation perplexity', async () => {
    const { w } = await openApp({
      runs: [runDetail('rnn', { metrics: metricStream(0, 2000, { floor: 6 }) }), runDetail('gru', { config: { cell: 'gru' }, metrics: metricStream(0, 2000, { floor: 3 }) })],
    });
    await w.findAll('.sidebar button').find((b) => b.text() === 'Compare runs')!.trigger('click');
    await vi.waitFor(() => expect(w.findAll('tbody tr')).toHaveLength(2));
    expect(w.findAll('thead th.differs').map((t) => t.text())).toEqual(['Cell']);
    expect(w.findAll('tbody th').map((t) => t.text())).toEqual(['gru', 'rnn']);
    await w.findAll('button.sort').find((b) => b.text().startsWith('Best'))!.trigger('click');
    expect(w.findAll('tbody th').map((t) => t.text())).toEqual(['rnn', 'gru']);
  });
});

describe('generate view', () => {
  it('shades each generated token by its probability and scores a text in bits', async () => {
    const { w } = await openApp({ runs: [runDetail('r1', { metrics: metricStream(0, 100) })] });
    await w.findAll('.sidebar button').find((b) => b.text().startsWith('Generate'))!.trigger('click');
    await flushPromises();
    await w.find('[data-testid="generate"]').trigger('click');
    await flushPromises();
    const toks = w.findAll('[data-testid="generated"] .tok');
    expect(toks.length).toBeGreaterThan(5);
    expect(toks[0]!.attributes('title')).toMatch(/^p = /);
    await w.find('[data-testid="score"]').trigger('click');
    await flushPromises();
    expect(w.text()).toMatch(/Perplexity [\d.]+/);
    expect(w.find('[data-testid="surprisal"] .tok').attributes('title')).toMatch(/bits$/);
  });

  it('starts from the run’s sample prefix (the corpus opening), not a fixed English phrase', async () => {
    const { w } = await openApp({ runs: [runDetail('r1', { metrics: metricStream(0, 100), config: { samplePrefix: 'es war einmal' } })] });
    await w.findAll('.sidebar button').find((b) => b.text().startsWith('Generate'))!.trigger('click');
    await flushPromises();
    await vi.waitFor(() => expect((w.find('#gv-prefix').element as HTMLTextAreaElement).value).toBe('es war einmal'));
  });

  it('asks to leave <unk> out of the text by default, and lets the user keep it', async () => {
    const { w, backend } = await openApp({ runs: [runDetail('r1', { metrics: metricStream(0, 100) })] });
    await w.findAll('.sidebar button').find((b) => b.text().startsWith('Generate'))!.trigger('click');
    await flushPromises();
    const sent = () => backend.requests.filter((r) => r.channel === 'generate:text').map((r) => (r.payload as { excludeUnk?: boolean }).excludeUnk);
    expect((w.find('[data-testid="exclude-unk"]').element as HTMLInputElement).checked).toBe(true);
    await w.find('[data-testid="generate"]').trigger('click');
    await flushPromises();
    await w.find('[data-testid="exclude-unk"]').setValue(false);
    await w.find('[data-testid="generate"]').trigger('click');
    await flushPromises();
    expect(sent()).toEqual([true, false]);
  });
});
