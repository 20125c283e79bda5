/**
 * The first minute of a new user, offline, from an empty user-data folder: the welcome screen
 * offers the demo, the bundled model generates text at once, and a preset run on the demo corpus
 * shows its first epoch on the chart. Screenshots: tests/e2e/.artifacts/ (docs/screenshots/ with
 * UPDATE_SCREENSHOTS=1).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { launch, publishShot, tempDir, type Session } from './harness';
import { realBackend, type RealBackend } from './real-handlers';

let session: Session | null = null;
let backend: RealBackend | null = null;
afterEach(async () => {
  await backend?.shutdown();
  await session?.close();
});

const shot = (name: string): Promise<void> => publishShot(session!, name);

describe('first run', () => {
  it('opens the demo, generates from the bundled model, and shows a preset run’s first epoch', async () => {
    const appData = tempDir('appdata');
    expect(readdirSync(appData)).toEqual([]);
    backend = realBackend(appData, tempDir('home'));
    session = await launch(backend.handlers);
    const { page } = session;

    await page.getByRole('heading', { name: 'Welcome to RNN Lab' }).waitFor();
    await shot('first-run-welcome');
    await page.getByTestId('open-demo').click();

    // the generation screen, ready with a prefix, answers from the bundled model
    const prefix = page.locator('#gv-prefix');
    await prefix.waitFor();
    // the run's own sample prefix arrives with its details, a moment after the view shows
    await expect.poll(async () => (await prefix.inputValue()).trim().length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(existsSync(join(appData, 'Demo'))).toBe(true);
    await page.getByTestId('generate').click();
    const text = page.getByTestId('generated').first();
    await text.waitFor();
    expect(((await text.textContent()) ?? '').length).toBeGreaterThan(30);
    await shot('first-run-generate');

    // a new run from a d2l preset on the demo corpus
    await page.getByRole('button', { name: 'New run' }).click();
    await page.locator('#cfg-preset').selectOption({ label: 'd2l 9.1 · GRU 256' });
    const started = Date.now();
    await page.getByTestId('start-run').click();
    const chart = page.getByRole('img', { name: 'Perplexity chart' });
    await expect.poll(async () => Number((await chart.getAttribute('data-points')) ?? '0'), { timeout: 60_000 }).toBeGreaterThan(0);
    await page.locator('.progress').getByText(/^epoch/).waitFor();
    await expect.poll(async () => page.locator('[data-testid="run-state"]').getAttribute('data-state')).toBe('running');
    const firstPoints = Date.now() - started;
    console.log(`first-run: preset GRU-256 showed its first points ${(firstPoints / 1000).toFixed(1)} s after Start`);
    await shot('first-run-training');
    await page.getByTestId('stop').click();
  });
});
