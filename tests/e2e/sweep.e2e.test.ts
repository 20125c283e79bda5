/**
 * The sweep flow of the GUI in real Chromium over the real core: a small random sweep of tiny GRUs
 * with ASHA is set up in the form, its trials stream into the sweep view (progress, parallel
 * coordinates, importance, learning curves, table), the table filters to the best trials, and a
 * trial opens as a normal run. Screenshots: docs/screenshots/sweep-*.png with UPDATE_SCREENSHOTS=1.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { generateDemoCorpus } from '../../src/core/demo/demo-corpus';
import { publishShot, type Session } from './harness';
import { openFreshProject } from './fresh-project';
import type { RealBackend } from './real-handlers';

let session: Session | null = null;
let backend: RealBackend | null = null;
afterEach(async () => {
  await backend?.shutdown();
  await session?.close();
  session = null;
  backend = null;
});

const TRIALS = 12;

async function points(page: Page, label: string | RegExp): Promise<number> {
  return Number((await page.getByRole('img', { name: label }).first().getAttribute('data-points')) ?? '0');
}

const bestNumberOf = (heading: string | null): string => (heading ?? '').replace(/\D+/g, '');

async function ended(page: Page): Promise<number> {
  const text = (await page.getByTestId('sweep-progress').textContent()) ?? '';
  return Number(/^(\d+) of/.exec(text)?.[1] ?? '0');
}

describe('sweeps in the GUI', () => {
  it('sets up a small ASHA sweep, streams its trials into the views, filters the best and opens a trial as a run', async () => {
    const fresh = await openFreshProject('sweeps');
    ({ session, backend } = fresh);
    const { page, home, setPick } = fresh;
    const corpus = join(home, 'notebook.txt');
    writeFileSync(corpus, generateDemoCorpus(7, 20_000));
    setPick(corpus);
    await page.getByRole('button', { name: /Import dataset/ }).first().click();
    await page.getByRole('heading', { name: 'notebook.txt' }).waitFor();

    await page.getByRole('button', { name: 'New sweep' }).click();
    await page.getByRole('heading', { name: 'New sweep' }).waitFor();
    await page.locator('#sw-name').fill('gru lr × width');
    await page.locator('#sw-trials').fill(String(TRIALS));
    await page.locator('#sw-parallel').fill('2');
    await page.getByRole('radio', { name: 'ASHA' }).check();
    // tiny trials: 3 epochs (ASHA rungs at 1 and 3) over 4,000 characters
    for (const [field, value] of Object.entries({ maxTokens: '4000', epochs: '3', numSteps: '16', batchSize: '16' })) await page.locator(`#sw-${field}-fixed`).fill(value);
    await page.locator('#sw-hiddenSize-values').fill('8, 16, 32');
    await page.locator('#sw-lr-low').fill('0.2');
    await page.locator('#sw-lr-high').fill('8');
    await page.setViewportSize({ width: 1280, height: 1300 });
    await page.locator('main').evaluate((m) => m.scrollTo({ top: 0 }));
    await publishShot(session, 'sweep-setup');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByTestId('start-sweep').click();

    await page.getByRole('heading', { name: 'gru lr × width' }).waitFor();
    await expect.poll(() => ended(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(3);
    await page.getByRole('img', { name: /Parallel coordinates/ }).waitFor();
    await publishShot(session, 'sweep-live');

    await expect.poll(() => ended(page), { timeout: 180_000 }).toBe(TRIALS);
    await page.locator('.progress-line .state', { hasText: 'done' }).waitFor();
    // charts redraw while on screen: a tall window shows the parallel coordinates, importance and curves at once
    await page.setViewportSize({ width: 1280, height: 1500 });
    await page.locator('main').evaluate((m) => m.scrollTo({ top: 0 }));
    await expect.poll(() => points(page, /Parallel coordinates/)).toBeGreaterThan(0);
    await expect.poll(() => points(page, 'Validation perplexity per epoch of every trial')).toBeGreaterThanOrEqual(TRIALS);
    await page.getByRole('img', { name: /^Parameter importance: / }).waitFor();
    await page.getByTestId('best-value').waitFor();
    const rows = page.locator('.trials tbody tr');
    const bestNumber = bestNumberOf(await page.locator('#sw-best').textContent());
    expect(await rows.count()).toBe(TRIALS);
    const states = await page.locator('.trials tbody .state').allTextContents();
    const failures = await page.locator('.trials tbody .state.FAIL').evaluateAll((els) => els.map((e) => e.getAttribute('title')));
    expect(failures).toEqual([]);
    expect(states.every((s) => s === 'complete' || s === 'pruned')).toBe(true);
    await publishShot(session, 'sweep-view');

    // brushing the upper half of the objective axis (the worse trials) filters the table to them
    const chart = (await page.getByRole('img', { name: /Parallel coordinates/ }).boundingBox())!;
    const axisX = chart.x + chart.width - 90;
    const [top, bottom] = [chart.y + 36, chart.y + chart.height - 28];
    await page.mouse.move(axisX, top + 2);
    await page.mouse.down();
    await page.mouse.move(axisX, (top + bottom) / 2, { steps: 8 });
    await page.mouse.up();
    const brushed = page.getByText(/selected on the parallel-coordinates axes/);
    await brushed.waitFor();
    const selected = Number(/Showing the (\d+) trial/.exec((await brushed.textContent()) ?? '')?.[1]);
    expect(selected).toBeGreaterThan(0);
    expect(selected).toBeLessThan(TRIALS);
    expect(await rows.count()).toBe(selected);
    expect(await page.locator(`.trials tbody tr[data-trial="${bestNumber}"]`).count()).toBe(0);
    await page.getByRole('button', { name: 'Show all' }).click();
    await expect.poll(() => rows.count()).toBe(TRIALS);
    await page.setViewportSize({ width: 1280, height: 800 });

    // best 25 %: the ⌈25 % · n⌉ trials with the smallest value, the best one first
    const valued = (await page.locator('.trials tbody td.value').allTextContents()).filter((v) => v !== '—').length;
    await page.getByTestId('best-percent').fill('25');
    await expect.poll(() => rows.count()).toBe(Math.ceil(valued / 4));
    expect(await rows.first().getAttribute('data-trial')).toBe(bestNumber);
    await page.locator('.trials').scrollIntoViewIfNeeded();
    await publishShot(session, 'sweep-table');

    await page.getByRole('button', { name: `Open trial ${bestNumber} as a run` }).click();
    await page.locator('[data-testid="run-state"][data-state="done"]').waitFor();
    await page.getByRole('heading', { name: `gru lr × width #${bestNumber}` }).waitFor();
    await expect.poll(() => points(page, 'Perplexity chart')).toBeGreaterThan(0);
  });
});
