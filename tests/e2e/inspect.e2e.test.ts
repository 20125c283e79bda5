/**
 * The hidden-state inspector in real Chromium over the real core: open the demo project, inspect a
 * text with its LSTM (trained by RNN Lab's engine), pick the unit that tracks the position inside
 * a word (unit 33, r ≈ 0.5 with the characters since the last space: `npm run bench --
 * inspect-units`, and a correlation over `rnn-lab inspect --json`), select a range, list the units
 * on there and find its matches in the corpus, open one, and draw gate saturation.
 * Screenshots: docs/screenshots/inspect-unit.png, inspect-match.png, inspect-saturation.png
 * (with UPDATE_SCREENSHOTS=1).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { launch, publishShot, tempDir, type Session } from './harness';
import { realBackend, type RealBackend } from './real-handlers';

let session: Session | null = null;
let backend: RealBackend | null = null;
afterEach(async () => {
  await backend?.shutdown();
  await session?.close();
  session = null;
  backend = null;
});

const TEXT = 'the time traveller studied the crystal bar at the long table while the lamp burned low and the others watched him in silence';
const WORD_UNIT = 33;

describe('inspector', () => {
  it('inspects the demo LSTM: heatmap, a unit colouring the text, select/match and gate saturation', async () => {
    backend = realBackend(tempDir('appdata'), tempDir('home'));
    session = await launch(backend.handlers);
    const { page } = session;
    await page.getByTestId('open-demo').click();
    await page.locator('#gv-prefix').waitFor();

    await page.getByRole('button', { name: 'Inspect hidden state' }).click();
    await page.getByRole('heading', { name: 'Inspect hidden state' }).waitFor();
    await page.getByTestId('inspect-hint').waitFor();
    await page.locator('#iv-run').selectOption({ label: 'LSTM 128 · Adam' });
    await page.getByTestId('inspect-text').fill(TEXT);
    await page.getByTestId('inspect-run').click();
    const canvas = page.getByTestId('heatmap-canvas');
    await expect.poll(async () => canvas.getAttribute('data-painted'), { timeout: 60_000 }).toBe(String(TEXT.length));
    expect(await page.locator('.heat-head .small').textContent()).toMatch(/^LSTM 1×128 · checkpoint step-\d+/);
    expect(await page.locator('[name="iv-quantity"]').evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value))).toEqual(['h', 'c', 'i', 'f', 'g', 'o']);

    // a click on a row picks its unit (128 units, 2 px per row); then the unit field moves to the word-position unit
    await canvas.click({ position: { x: 200, y: 10 * 2 + 1 } });
    expect(await page.locator('#iv-text-h').textContent()).toMatch(/unit 10's h/);
    await page.getByTestId('unit').fill(String(WORD_UNIT));
    await page.getByTestId('unit').press('Enter');
    await expect.poll(async () => page.locator('#iv-text-h').textContent()).toMatch(new RegExp(`unit ${WORD_UNIT}'s h`));
    // the unit climbs through a word and drops at its end: higher on a word's last letter than on the space after it
    const values = await page.locator('[data-testid="activation-text"] .tok').evaluateAll((els) => els.map((e) => Number((e.getAttribute('title') ?? '').replace('h = ', ''))));
    expect(values).toHaveLength(TEXT.length);
    const ends = [...TEXT].flatMap((ch, t) => (ch !== ' ' && TEXT[t + 1] === ' ' ? [t] : []));
    const higherAtWordEnd = ends.filter((t) => values[t]! > values[t + 1]!).length;
    expect(higherAtWordEnd / ends.length).toBeGreaterThan(0.7);
    // hover shows token, unit and value; the predictions follow the hovered step
    await canvas.hover({ position: { x: 300, y: WORD_UNIT * 2 + 1 } });
    expect(await page.getByTestId('heatmap-tip').textContent()).toMatch(new RegExp(`^token \\d+ “.” · unit ${WORD_UNIT} · h = `));
    expect(await page.getByTestId('predictions').locator('tr').count()).toBe(5);
    await page.locator('[data-testid="activation-text"] .tok').nth(40).click();
    await page.getByTestId('why-0').click();
    await page.getByTestId('saliency').waitFor();
    expect(await page.getByTestId('saliency').locator('.col').count()).toBe(41);
    await page.mouse.move(0, 0);
    await page.setViewportSize({ width: 1280, height: 1020 });
    await page.evaluate('document.querySelector("main")?.scrollTo({ top: 0 })');
    await page.waitForTimeout(300);
    await publishShot(session, 'inspect-unit');

    // select "trav" (tokens 9–12), list the units on there, find its matches in the corpus
    const tok = (t: number) => page.locator('[data-testid="activation-text"] .tok').nth(t);
    await tok(9).hover();
    await page.mouse.down();
    await tok(12).hover();
    await page.mouse.up();
    expect(await page.getByTestId('selected-text').textContent()).toBe('trav');
    await page.getByTestId('threshold').fill('0.3');
    await page.getByTestId('list-units').click();
    await page.getByTestId('units-on').waitFor();
    expect(await page.getByTestId('units-on').locator('.chip').count()).toBeGreaterThan(0);
    await page.getByTestId('find-matches').click();
    const matches = page.getByTestId('matches').locator('li');
    await expect.poll(async () => matches.count(), { timeout: 60_000 }).toBeGreaterThan(0);
    await expect.poll(async () => page.getByTestId('find-matches').isEnabled(), { timeout: 120_000 }).toBe(true);
    expect(await matches.count()).toBeLessThanOrEqual(50);
    await page.getByTestId('find-matches').scrollIntoViewIfNeeded();
    await page.evaluate('document.querySelector("main")?.scrollBy({ top: 250 })');
    await publishShot(session, 'inspect-match');
    // clicking a match inspects that place in the corpus with the match selected
    const matchText = (await matches.first().locator('mark').textContent()) ?? '';
    await matches.first().locator('button').click();
    await expect.poll(async () => page.getByTestId('selected-text').textContent(), { timeout: 60_000 }).toBe(matchText);
    expect(await page.getByTestId('slice-start').inputValue()).toMatch(/^\d+$/);

    // gate saturation over the validation text
    await page.getByTestId('saturation-run').click();
    const chart = page.getByRole('img', { name: 'Gate saturation chart' });
    await chart.scrollIntoViewIfNeeded();
    await expect.poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 60_000 }).toBe(4 * 128);
    await publishShot(session, 'inspect-saturation');
  });
});
