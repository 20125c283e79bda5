// @vitest-environment happy-dom
/** The inspector in the mounted app over the in-memory bridge, with a fake of the inspect channels. */
import { afterEach, describe, expect, it } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import { closeApp, openApp } from './app-harness';
import { runDetail, textDataset } from './fixtures';
import { inspectFake, fakeValue, type InspectFakeOptions } from './inspect-fake';
import { AppError } from '../../src/shared/errors';
import type { EmitEvent, Handlers } from '../../src/shared/ipc/handlers';
import type { MemoryBackend } from './memory-bridge';

afterEach(closeApp);

const metrics = [{ kind: 'val' as const, step: 100, epoch: 1, time: 10, loss: 2, perplexity: 7.4 }];

async function openInspector(options: InspectFakeOptions = {}, overrides: Partial<Handlers> = {}) {
  let backend: MemoryBackend | null = null;
  const emit: EmitEvent = (channel, payload) => backend!.emit(channel, payload as never);
  const fake = inspectFake(() => emit, options);
  const app = await openApp(
    { datasets: [textDataset('tm')], runs: [runDetail('run-lstm', { name: 'lstm', metrics: metrics as never })] },
    { overrides: { ...fake.handlers, ...overrides } },
  );
  backend = app.backend;
  app.stores.useNavigation().go({ name: 'inspect', runId: 'run-lstm' });
  await flushPromises();
  return { ...app, fake };
}

async function inspectText(w: Awaited<ReturnType<typeof openInspector>>['w'], text: string) {
  await w.find('[data-testid="inspect-text"]').setValue(text);
  await w.find('[data-testid="inspect-run"]').trigger('click');
  await flushPromises();
}

const requestsOf = (backend: MemoryBackend, channel: string) => backend.requests.filter((r) => r.channel === channel).map((r) => r.payload as Record<string, unknown>);
const textSpans = (w: Awaited<ReturnType<typeof openInspector>>['w']) => w.findAll('[data-testid="activation-text"] .tok');

describe('inspector', () => {
  it('says what to do when the project has no text run to inspect', async () => {
    const { w, stores } = await openApp({ datasets: [textDataset('tm')] });
    stores.useNavigation().go({ name: 'inspect' });
    await flushPromises();
    expect(w.find('[data-testid="inspect-empty"]').text()).toMatch(/^Train a text run first/);
    expect(w.find('[data-testid="inspect-run"]').exists()).toBe(false);
  });

  it('opens from a run’s training view with that run chosen, and explains the next step', async () => {
    let backend: MemoryBackend | null = null;
    const fake = inspectFake(() => (c, p) => backend!.emit(c, p as never));
    const app = await openApp({ datasets: [textDataset('tm')], runs: [runDetail('run-a', { name: 'a', metrics: metrics as never }), runDetail('run-lstm', { name: 'lstm', metrics: metrics as never })] }, { overrides: fake.handlers });
    backend = app.backend;
    app.stores.useNavigation().go({ name: 'run', runId: 'run-lstm' });
    await flushPromises();
    await app.w.find('[data-testid="open-inspect"]').trigger('click');
    await flushPromises();
    expect(app.w.find('h1').text()).toBe('Inspect hidden state');
    expect((app.w.find('#iv-run').element as HTMLSelectElement).value).toBe('run-lstm');
    expect(app.w.find('[data-testid="inspect-hint"]').text()).toMatch(/press Inspect/);
    // the sidebar entry leads here too
    expect(app.w.findAll('.sidebar .nav-item').map((b) => b.text())).toContain('Inspect hidden state');
  });

  it('inspects a typed text with the chosen run and shows progress while the chunks stream, then the heatmap', async () => {
    const { w, backend, fake } = await openInspector({ hold: true });
    const text = 'x'.repeat(300);
    await inspectText(w, text);
    expect(requestsOf(backend, 'inspect:start')[0]).toMatchObject({ runId: 'run-lstm', checkpoint: null, source: { kind: 'text', text }, topK: 5 });
    expect(w.find('[data-testid="inspect-progress"]').text()).toBe('0 of 300 tokens');
    fake.release(1);
    await flushPromises();
    expect(w.find('[data-testid="inspect-progress"]').text()).toBe('256 of 300 tokens');
    expect(w.find('[data-testid="heatmap-window"]').text()).toBe('tokens 0–255 of 256');
    fake.release();
    await flushPromises();
    expect(w.find('[data-testid="inspect-progress"]').exists()).toBe(false);
    expect(w.find('[data-testid="heatmap-window"]').text()).toBe('tokens 0–299 of 300');
    expect(w.find('[data-testid="heatmap-canvas"]').attributes('aria-label')).toMatch(/^Heatmap of h in layer 1: 8 units by 300 tokens/);
    expect(textSpans(w)).toHaveLength(300);
  });

  it('keeps the chunks that arrive before the answer to the request', async () => {
    const { w } = await openInspector({ chunksFirst: true });
    await inspectText(w, 'the time machine');
    expect(w.find('[data-testid="heatmap-window"]').text()).toBe('tokens 0–15 of 16');
    expect(textSpans(w).map((s) => s.element.textContent).join('')).toBe('the time machine');
  });

  it('picks a unit from the keyboard on the heatmap and colours the text by that unit’s activation', async () => {
    const { w } = await openInspector();
    await inspectText(w, 'the time machine');
    const canvas = w.find('[data-testid="heatmap-canvas"]');
    expect(textSpans(w)[0]!.attributes('style') ?? '').not.toMatch(/rgb/);
    await canvas.trigger('keydown', { key: 'ArrowDown' });
    await canvas.trigger('keydown', { key: 'ArrowDown' });
    await canvas.trigger('keydown', { key: 'ArrowRight' });
    await canvas.trigger('keydown', { key: 'ArrowRight' });
    await flushPromises();
    expect(w.find('#iv-text-h').text()).toMatch(/^The text coloured by unit 1's h/);
    // the readout names token, unit and value; each token's title carries unit 1's h at that step
    expect(w.find('[data-testid="heatmap-readout"]').text()).toBe(`token 1 “h” · unit 1 · h = ${fakeValue(0, 1, 1).toPrecision(3).replace(/\.?0+$/, '')}`);
    const spans = textSpans(w);
    expect(spans[3]!.attributes('title')).toBe(`h = ${fakeValue(0, 3, 1).toPrecision(3).replace(/\.?0+$/, '')}`);
    // a high value is red, a low one blue
    const colour = (t: number) => spans[t]!.attributes('style')!.match(/rgb\((\d+), (\d+), (\d+)\)/)!.slice(1).map(Number);
    const values = Array.from({ length: 16 }, (_, t) => fakeValue(0, t, 1));
    const hi = values.indexOf(Math.max(...values));
    const lo = values.indexOf(Math.min(...values));
    expect(colour(hi)[0]!).toBeGreaterThan(colour(hi)[2]!);
    expect(colour(lo)[2]!).toBeGreaterThan(colour(lo)[0]!);
  });

  it('zooms along the tokens around the chosen one and scrolls with the slider', async () => {
    const { w } = await openInspector();
    await inspectText(w, 'the time machine by h g wells');
    const canvas = w.find('[data-testid="heatmap-canvas"]');
    expect(w.find('[data-testid="heatmap-window"]').text()).toBe('tokens 0–28 of 29');
    expect(w.find('[data-testid="heatmap-scroll"]').attributes('disabled')).toBeDefined();
    await w.find('[aria-label="Zoom in along the tokens"]').trigger('click');
    expect(w.find('[data-testid="heatmap-window"]').text()).toBe('tokens 7–21 of 29');
    await canvas.trigger('keydown', { key: '+' });
    expect(w.find('[data-testid="heatmap-window"]').text()).toBe('tokens 11–18 of 29');
    await w.find('[data-testid="heatmap-scroll"]').setValue('21');
    expect(w.find('[data-testid="heatmap-window"]').text()).toBe('tokens 21–28 of 29');
    await canvas.trigger('keydown', { key: '-' });
    expect(w.find('[data-testid="heatmap-window"]').text()).toBe('tokens 13–28 of 29');
  });

  it('switches between h, c and each gate of each layer', async () => {
    const { w } = await openInspector();
    await inspectText(w, 'the time machine');
    expect(w.findAll('[name="iv-quantity"]').map((r) => (r.element as HTMLInputElement).value)).toEqual(['h', 'c', 'i', 'f', 'g', 'o']);
    await w.find('[data-testid="quantity-f"]').setValue(true);
    await w.find('[data-testid="layer"]').setValue('1');
    await flushPromises();
    expect(w.find('#iv-heat').text()).toMatch(/^forget gate f/);
    expect(w.find('[data-testid="heatmap-canvas"]').attributes('aria-label')).toMatch(/^Heatmap of f in layer 2/);
    expect(w.find('[data-testid="scale-legend"]').attributes('aria-label')).toBe('Colour scale of f: blue 0, white 0.5, red 1');
  });

  it('cancels a running inspection and says how far it got', async () => {
    const { w, backend, fake } = await openInspector({ hold: true });
    await inspectText(w, 'y'.repeat(600));
    fake.release(1);
    await flushPromises();
    await w.find('[data-testid="inspect-cancel"]').trigger('click');
    await flushPromises();
    const jobId = requestsOf(backend, 'inspect:start')[0]!['jobId'];
    expect(requestsOf(backend, 'inspect:cancel')).toEqual([{ jobId }]);
    expect(w.find('[data-testid="inspect-cancelled"]').text()).toBe('Cancelled after 256 of 600 tokens.');
    // what arrived stays on screen
    expect(w.find('[data-testid="heatmap-window"]').text()).toBe('tokens 0–255 of 256');
  });

  it('shows a failed request and a failed job in plain words', async () => {
    const { w } = await openInspector({}, { 'inspect:start': () => { throw new AppError('NoCheckpoint', 'The run “lstm” has no checkpoint yet: train it for at least one epoch first.'); } });
    await inspectText(w, 'abc');
    expect(w.find('[data-testid="inspect-error"]').text()).toBe('The run “lstm” has no checkpoint yet: train it for at least one epoch first.');

    const second = await (async () => {
      closeApp();
      let backend: MemoryBackend | null = null;
      const app = await openInspector({ hold: true });
      backend = app.backend;
      await inspectText(app.w, 'abc');
      const jobId = requestsOf(backend, 'inspect:start')[0]!['jobId'] as string;
      backend.emit('inspect:done', { jobId, status: 'failed', processed: 0, error: { code: 'WorkerCrashed', message: 'The inspector stopped unexpectedly; nothing was changed. Try again.' } });
      await flushPromises();
      return app.w;
    })();
    expect(second.find('[data-testid="inspect-error"]').text()).toMatch(/stopped unexpectedly/);
  });

  it('refuses a dataset slice that is not a whole number of tokens, and asks for the slice it shows', async () => {
    const { w, backend } = await openInspector();
    await w.find('[data-testid="kind-dataset"]').setValue(true);
    await w.find('[data-testid="slice-count"]').setValue('0');
    expect(w.find('.field-error').text()).toBe('Tokens must be a whole number from 1 to 20,000.');
    expect(w.find('[data-testid="inspect-run"]').attributes('disabled')).toBeDefined();
    await w.find('[data-testid="slice-count"]').setValue('40');
    await w.find('[data-testid="slice-start"]').setValue('10');
    await w.find('[data-testid="inspect-run"]').trigger('click');
    await flushPromises();
    expect(requestsOf(backend, 'inspect:start')[0]!['source']).toEqual({ kind: 'dataset', start: 10, count: 40 });
    expect(textSpans(w).map((s) => s.element.textContent).join('')).toBe('raveller for so it will be convenient to');
  });

  it('shows the top predictions after a clicked token and the saliency of a chosen prediction', async () => {
    const { w, backend } = await openInspector();
    await inspectText(w, 'the time machine');
    await textSpans(w)[4]!.trigger('mousedown');
    await textSpans(w)[4]!.trigger('mouseup');
    await flushPromises();
    const rows = w.findAll('[data-testid="predictions"] tr');
    expect(rows.map((r) => r.find('.tok').text())).toEqual(['e', '␣', 't', 'a', 'h']);
    expect(rows[0]!.find('.num').text()).toBe('0.5');
    await w.find('[data-testid="why-2"]').trigger('click');
    await flushPromises();
    expect(requestsOf(backend, 'inspect:saliency')[0]).toMatchObject({ runId: 'run-lstm', step: 4, target: 't', source: { kind: 'text', text: 'the time machine' } });
    const bars = w.findAll('[data-testid="saliency"] .col');
    expect(bars).toHaveLength(5);
    // the largest magnitude fills the bar; a negative one is drawn blue
    expect(bars[4]!.find('.sbar').attributes('style')).toContain('height: 48px');
    expect(bars[3]!.find('.sbar').classes()).toContain('neg');

    // another token: its predictions, and not the bars of the prediction after token 4
    await textSpans(w)[7]!.trigger('mousedown');
    await textSpans(w)[7]!.trigger('mouseup');
    await flushPromises();
    expect(w.find('[data-testid="saliency"]').exists()).toBe(false);
    expect(w.find('[data-testid="saliency-elsewhere"]').text()).toContain('after token 4');
    await textSpans(w)[4]!.trigger('mousedown');
    await textSpans(w)[4]!.trigger('mouseup');
    await flushPromises();
    expect(w.findAll('[data-testid="saliency"] .col')).toHaveLength(5);
  });

  it('selects a range, lists the units on there, finds corpus matches and inspects one', async () => {
    const { w, backend, fake } = await openInspector();
    await inspectText(w, 'the time machine');
    expect(w.find('[data-testid="select-hint"]').exists()).toBe(true);
    const spans = textSpans(w);
    await spans[2]!.trigger('mousedown');
    await spans[5]!.trigger('mouseenter');
    await spans[5]!.trigger('mouseup');
    expect(w.find('[data-testid="selected-text"]').text()).toBe('e ti');
    await w.find('[data-testid="threshold"]').setValue('2');
    expect(w.find('[data-testid="list-units"]').attributes('disabled')).toBeDefined();
    await w.find('[data-testid="threshold"]').setValue('0.1');
    await w.find('[data-testid="list-units"]').trigger('click');
    await flushPromises();
    expect(requestsOf(backend, 'inspect:select')[0]).toMatchObject({ layer: 0, from: 2, to: 6, threshold: 0.1 });
    const expected = Array.from({ length: 8 }, (_, u) => u).filter((u) => [2, 3, 4, 5].every((t) => fakeValue(0, t, u) > 0.1));
    expect(expected.length).toBeGreaterThan(0);
    expect(w.findAll('[data-testid="units-on"] .chip').map((c) => Number(c.text()))).toEqual(expected);
    await w.findAll('[data-testid="units-on"] .chip')[0]!.trigger('click');
    expect(w.find('#iv-text-h').text()).toContain(`unit ${expected[0]}'s h`);

    await w.find('[data-testid="find-matches"]').trigger('click');
    await flushPromises();
    expect(requestsOf(backend, 'inspect:match')[0]).toMatchObject({ layer: 0, units: expected, threshold: 0.1, length: 4 });
    const jobId = fake.lastMatchJob()!;
    backend.emit('inspect:matches', { jobId, scanned: 500, total: 1000, matches: [{ start: 60, end: 64, score: 0.9, before: ' of ', text: 'him ', after: 'was ex' }, { start: 12, end: 16, score: 0.5, before: 'the ', text: 'time', after: ' trav' }] });
    await flushPromises();
    expect(w.find('[data-testid="matches"]').findAll('li').map((li) => li.text())).toEqual(['of him was ex0.9', 'the time trav0.5']);
    expect(w.find('[role="status"]').text()).toContain('500 of 1,000 corpus tokens scanned');
    backend.emit('inspect:done', { jobId, status: 'done', processed: 1000, error: null });
    await flushPromises();

    await w.find('[data-testid="matches"] li:first-child button').trigger('click');
    await flushPromises();
    // 200 tokens before the match warm the state up (clamped at the corpus start), 100 follow it
    expect(requestsOf(backend, 'inspect:start')[1]!['source']).toEqual({ kind: 'dataset', start: 0, count: 164 });
    // the new inspection selects the match and keeps the threshold
    expect(w.find('[data-testid="selected-text"]').element.textContent).toBe('him ');
    expect((w.find('[data-testid="threshold"]').element as HTMLInputElement).value).toBe('0.1');
  });

  it('draws gate saturation per layer and says when a plain RNN has no gates', async () => {
    const { w, backend } = await openInspector();
    await w.find('[data-testid="saturation-tokens"]').setValue('500');
    await w.find('[data-testid="saturation-run"]').trigger('click');
    await flushPromises();
    expect(requestsOf(backend, 'inspect:saturation')[0]).toMatchObject({ runId: 'run-lstm', checkpoint: null, tokens: 500 });
    expect(w.find('[aria-label="Gate saturation chart"], metric-chart-stub').exists()).toBe(true);
    closeApp();
    const rnn = await openInspector({ cell: 'rnn' });
    await rnn.w.find('[data-testid="saturation-run"]').trigger('click');
    await flushPromises();
    expect(rnn.w.find('[data-testid="saturation-none"]').text()).toMatch(/^A plain RNN has no gates/);
  });
});
