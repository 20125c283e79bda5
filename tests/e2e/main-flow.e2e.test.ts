/**
 * The main flow of the desktop GUI in real Chromium, with the real core behind the bridge:
 * create a project, import a text, train from a preset while the charts and samples update,
 * pause and resume, finish, compare with a second run, generate and score; plus an import error
 * in plain words and a diverged run with its recovery action. Screenshots go to
 * tests/e2e/.artifacts/ (and docs/screenshots/ with UPDATE_SCREENSHOTS=1).
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

const shot = (name: string): Promise<void> => publishShot(session!, name);

/** Opens the app on a fresh project; `setPick` answers the next file dialog. */
async function openProject(): Promise<{ page: Page; home: string; setPick: (path: string) => void }> {
  const fresh = await openFreshProject('flow');
  ({ session, backend } = fresh);
  return fresh;
}

async function importText(page: Page, setPick: (p: string) => void, path: string): Promise<void> {
  setPick(path);
  await page.getByRole('button', { name: /Import dataset/ }).first().click();
}

/** Fills the run form from a preset, made small enough to train in seconds here. */
async function configureRun(page: Page, values: Record<string, string>): Promise<void> {
  await page.locator('#cfg-preset').selectOption({ label: 'd2l 9.1 · GRU 256' });
  const small: Record<string, string> = { hiddenSize: '32', epochs: '6', maxTokens: '0', valEvery: '1', sampleEvery: '1', checkpointEvery: '1', ...values };
  for (const [key, value] of Object.entries(small)) await page.locator(`#cfg-${key}`).fill(value);
}

async function points(page: Page, chart: string): Promise<number> {
  return Number((await page.getByRole('img', { name: `${chart} chart` }).getAttribute('data-points')) ?? '0');
}

describe('main flow', () => {
  it('imports, trains from a preset with live charts, pauses, resumes, compares, generates and scores', async () => {
    const { page, home, setPick } = await openProject();
    const corpus = join(home, 'notebook.txt');
    writeFileSync(corpus, generateDemoCorpus(7, 30_000));

    await importText(page, setPick, corpus);
    await page.getByRole('heading', { name: 'notebook.txt' }).waitFor();
    await page.getByTestId('vocab-size').filter({ hasText: /\d/ }).waitFor();
    await shot('flow-dataset');

    await page.getByRole('button', { name: /Train a model on it/ }).click();
    await configureRun(page, { name: 'gru-small', epochs: '60' }); // long enough to pause mid-run
    await shot('flow-setup');
    await page.getByTestId('start-run').click();

    // live: both charts gain points and samples appear while the run trains
    await page.locator('[data-testid="run-state"][data-state="running"]').waitFor();
    await expect.poll(() => points(page, 'Perplexity'), { timeout: 60_000 }).toBeGreaterThan(2);
    await expect.poll(() => points(page, 'Loss'), { timeout: 60_000 }).toBeGreaterThan(2);
    await page.locator('.samples li').first().waitFor({ timeout: 60_000 });
    const before = await points(page, 'Perplexity');
    await expect.poll(() => points(page, 'Perplexity'), { timeout: 60_000 }).toBeGreaterThan(before);
    await shot('flow-training');

    await page.getByTestId('pause').click();
    await page.locator('[data-testid="run-state"][data-state="paused"]').waitFor();
    await page.waitForTimeout(1000); // events already on their way still land, then nothing moves
    const paused = await points(page, 'Perplexity');
    await page.waitForTimeout(1000);
    expect(await points(page, 'Perplexity')).toBe(paused);
    await page.getByTestId('resume').click();
    await page.locator('[data-testid="run-state"][data-state="done"]').waitFor({ timeout: 120_000 });
    expect(await points(page, 'Perplexity')).toBeGreaterThan(paused);
    await shot('flow-done');

    // a second run, duplicated with a change, then the comparison
    await page.getByRole('button', { name: /Duplicate with changes/ }).click();
    await page.locator('#cfg-name').fill('gru-lr-0.5');
    await page.locator('#cfg-lr').fill('0.5');
    await page.locator('#cfg-epochs').fill('6');
    await page.getByTestId('start-run').click();
    await page.locator('[data-testid="run-state"][data-state="done"]').waitFor({ timeout: 120_000 });

    await page.getByRole('button', { name: 'Compare runs', exact: true }).click();
    for (const box of await page.locator('input[type="checkbox"][value^="run-"]').all()) if (!(await box.isChecked())) await box.check();
    await page.getByRole('columnheader', { name: /Learning rate/ }).waitFor();
    expect(await page.locator('tbody tr').count()).toBe(2);
    await shot('flow-compare');

    await page.getByRole('button', { name: 'Generate & score' }).click();
    await page.locator('#gv-prefix').fill('the time traveller');
    await page.getByTestId('generate').click();
    const generated = page.getByTestId('generated').first();
    await generated.waitFor();
    expect((await generated.textContent())!.length).toBeGreaterThan('the time traveller'.length + 20);
    await page.locator('#gv-score-text').fill('the time traveller looked at the machine');
    await page.getByTestId('score').click();
    await page.getByTestId('surprisal').waitFor();
    await page.getByText(/Perplexity \d/).first().waitFor();
    await shot('flow-generate');
  });

  it('explains an import error in plain words and keeps the project as it was', async () => {
    const { page, home, setPick } = await openProject();
    const binary = join(home, 'weights.bin');
    writeFileSync(binary, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1, 2, 3, 0, 0, 0, 9]));
    await importText(page, setPick, binary);
    const alert = page.getByRole('alert').filter({ hasText: /binary|not text/i }).first();
    await alert.waitFor();
    expect(await alert.textContent()).not.toMatch(/Binary\b.*code|ERR|undefined/);
    await shot('flow-import-error');
    await page.getByText(/No datasets yet|Drag a file/).first().waitFor();
  });

  it('shows a diverged run with what went non-finite and resumes it with half the learning rate', async () => {
    const { page, home, setPick } = await openProject();
    const corpus = join(home, 'notebook.txt');
    writeFileSync(corpus, generateDemoCorpus(11, 20_000));
    await importText(page, setPick, corpus);
    await page.getByRole('button', { name: /Train a model on it/ }).click();
    await configureRun(page, { name: 'too-hot', lr: '100', clip: '0' });
    // a relu RNN without clipping at lr 100 overflows within a few updates
    await page.locator('#cfg-cell').selectOption('rnn');
    await page.locator('#cfg-nonlinearity').selectOption('relu');
    await page.getByTestId('start-run').click();
    const report = page.getByTestId('divergence');
    await report.waitFor({ timeout: 120_000 });
    expect(await report.textContent()).toMatch(/non-finite|NaN|Infinity|diverged/i);
    await shot('flow-diverged');
    await page.getByTestId('resume-half').click();
    await page.locator('[data-testid="run-state"]:not([data-state="diverged"])').waitFor({ timeout: 60_000 });
  });
});
