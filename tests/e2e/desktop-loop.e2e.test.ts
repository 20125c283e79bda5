/**
 * The desktop loop in one session, in real Chromium with the real core behind the bridge: create a
 * project, import a text, train a short run, and Generate and Export are offered as soon as the
 * first checkpoint lands (no reopening); leaving the project while it trains asks first; the
 * dialogs keep focus and close on Escape; then generate text and export the weights. Screenshots
 * go to tests/e2e/.artifacts/ (and docs/screenshots/ with UPDATE_SCREENSHOTS=1).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
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

describe('desktop loop', () => {
  it('trains, then generates and exports from the same session without reopening the project', async () => {
    const fresh = await openFreshProject('loop');
    ({ session, backend } = fresh);
    const { page, home } = fresh;

    const corpus = join(home, 'notebook.txt');
    writeFileSync(corpus, generateDemoCorpus(5, 20_000));
    fresh.setPick(corpus);
    await page.getByRole('button', { name: /Import dataset/ }).first().click();
    await page.getByRole('heading', { name: 'notebook.txt' }).waitFor();

    await page.getByRole('button', { name: /Train a model on it/ }).click();
    await page.locator('#cfg-preset').selectOption({ label: 'd2l 9.1 · GRU 256' });
    const small: Record<string, string> = { name: 'loop-run', hiddenSize: '32', epochs: '200', maxTokens: '0', valEvery: '1', sampleEvery: '1', checkpointEvery: '1' };
    for (const [key, value] of Object.entries(small)) await page.locator(`#cfg-${key}`).fill(value);
    await page.getByTestId('start-run').click();
    await page.locator('[data-testid="run-state"][data-state="running"]').waitFor();

    // the first checkpoint enables Generate and Export while the run still trains
    const generate = page.getByRole('button', { name: 'Generate…' });
    const exportWeights = page.getByTestId('export-weights');
    await expect.poll(() => generate.isEnabled(), { timeout: 60_000 }).toBe(true);
    expect(await exportWeights.isEnabled()).toBe(true);
    expect(await page.getByTestId('run-state').getAttribute('data-state')).toBe('running');
    await page.locator('.checkpoints tbody tr').first().waitFor();

    // leaving the project while it trains asks first; Escape keeps the project and gives focus back
    const closeProject = page.getByRole('button', { name: 'Close project' });
    await closeProject.click();
    const leave = page.getByRole('alertdialog');
    await leave.getByText(/Training goes on in the background/).waitFor();
    await shot('loop-leave-project');
    expect((await page.locator(':focus').textContent())?.trim()).toBe('Stay');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect((await page.locator(':focus').textContent())?.trim()).toBe('Stay'); // Tab goes round inside
    await page.keyboard.press('Escape');
    await leave.waitFor({ state: 'detached' });
    expect((await page.locator(':focus').textContent())?.trim()).toBe('Close project');
    await page.getByRole('heading', { name: 'loop-run' }).waitFor();

    // the export dialog traps focus and closes on Escape too
    await exportWeights.click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: /Export/ }).waitFor();
    await shot('loop-export-dialog');
    for (let i = 0; i < 12; i++) await page.keyboard.press('Tab');
    expect(await page.locator('[role="dialog"] :focus').count()).toBe(1);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.locator(':focus').getAttribute('data-testid')).toBe('export-weights');

    // a stopped run keeps its final progress and says how it ended
    await page.getByTestId('stop').click();
    await page.locator('[data-testid="run-state"][data-state="done"]').waitFor({ timeout: 60_000 });
    await page.locator('.progress .facts dt', { hasText: 'epoch' }).waitFor();
    await page.getByTestId('run-message').waitFor();
    await shot('loop-stopped');

    await generate.click();
    await page.locator('#gv-prefix').fill('the time');
    await page.getByTestId('generate').click();
    const generated = page.getByTestId('generated').first();
    await generated.waitFor({ timeout: 60_000 });
    expect((await generated.textContent())!.length).toBeGreaterThan('the time'.length + 10);

    await page.locator('.sidebar button.open', { hasText: 'loop-run' }).click();
    await page.getByTestId('export-weights').click();
    await page.getByTestId('export-format-json').check();
    await page.getByTestId('export-run').click();
    const done = page.getByTestId('export-done');
    await done.waitFor({ timeout: 60_000 });
    const path = /Saved (\S+\.json)/.exec((await done.textContent()) ?? '')?.[1];
    expect(path).toBeDefined();
    expect(existsSync(path!)).toBe(true);
  });
});
