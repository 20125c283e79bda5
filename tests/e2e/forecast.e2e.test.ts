/**
 * Forecasting in real Chromium with the real core behind the bridge: import d2l's series as CSV,
 * set up a forecast run (a bad window is refused in words first), train it with live curves, open
 * the forecast view, forecast past the end, save the predictions as CSV and export the weights.
 * Screenshots: docs/screenshots/forecast-setup.png, forecast-view.png, forecast-export.png
 * (with UPDATE_SCREENSHOTS=1).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { d2lSineSeries } from '../../src/engine/forecast/d2l';
import { Rng } from '../../src/engine/rng';
import { forecastConfigSchema } from '../../src/shared/forecast-config';
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

describe('forecasting in the app', () => {
  it('imports a CSV series, sets up and trains a forecaster, shows the forecast view and exports', async () => {
    const fresh = await openFreshProject('forecast');
    ({ session, backend } = fresh);
    const { page, home, setPick } = fresh;
    const csv = join(home, 'd2l-series.csv');
    writeFileSync(csv, `t,x\n${Array.from(d2lSineSeries(new Rng(0)), (v, i) => `${i + 1},${v}`).join('\n')}\n`);

    setPick(csv);
    await page.getByRole('button', { name: /Import dataset/ }).first().click();
    await page.getByRole('heading', { name: 'd2l-series.csv' }).waitFor();
    await page.getByRole('button', { name: /Train a model on it/ }).click();
    await page.getByRole('heading', { name: 'New forecast run' }).waitFor();

    // the columns come from the dataset: t is the time axis, x the target
    expect(await page.locator('#fc-target').inputValue()).toBe('x');
    expect(await page.locator('#fc-timeColumn').inputValue()).toBe('t');
    await page.locator('#fc-name').fill('gru-d2l');
    // a window longer than the training part is refused in words before anything is created
    await page.locator('#fc-window').fill('900');
    await page.getByTestId('split-error').filter({ hasText: /training part has 700 rows/ }).waitFor();
    await page.locator('#fc-window').fill('0');
    await page.getByTestId('window-msg').filter({ hasText: /Window: must be at least 1/ }).waitFor();
    await page.locator('#fc-window').fill('4');
    await page.locator('#fc-epochs').fill('8');
    await page.locator('#fc-hiddenSize').fill('16');
    await page.locator('#fc-train').fill('60');
    await page.getByText('train 60% · 600 rows').waitFor();
    expect(await page.getByTestId('split').textContent()).toMatch(/val 20% · 200.*test 20% · 200/);
    await publishShot(session, 'forecast-setup');

    await page.getByTestId('start-forecast').click();
    await page.getByRole('heading', { name: 'gru-d2l' }).waitFor();
    const projectDir = join(home, 'forecast.rnnlab');
    const [id] = readdirSync(join(projectDir, 'runs'));
    const config = forecastConfigSchema.parse(JSON.parse(readFileSync(join(projectDir, 'runs', id!, 'config.json'), 'utf8')));
    expect(config).toMatchObject({ task: 'forecast', target: 'x', timeColumn: 't', window: 4, epochs: 8, hiddenSize: 16, trainFraction: 0.6, valFraction: 0.2 });

    // the training host trains the run (the same worker protocol as text runs)
    await page.locator('[data-testid="run-state"][data-state="done"]').waitFor({ timeout: 120_000 });
    await expect.poll(async () => Number(await page.getByRole('img', { name: 'Validation MAE chart' }).getAttribute('data-points')), { timeout: 30_000 }).toBeGreaterThanOrEqual(16);

    await session.screenshot('forecast-training');
    await page.getByTestId('open-forecast').click();
    await page.getByRole('img', { name: 'Actual and predicted chart' }).waitFor();
    await expect.poll(async () => Number(await page.getByRole('img', { name: 'Actual and predicted chart' }).getAttribute('data-points')), { timeout: 30_000 }).toBe(2000);
    const baselines = page.getByTestId('baselines');
    expect(await baselines.locator('tbody tr').allTextContents()).toEqual([
      expect.stringMatching(/^This model/), expect.stringMatching(/^Last value/), expect.stringMatching(/^Repeat last window/), expect.stringMatching(/^Seasonal naive/), expect.stringMatching(/^Mean/),
    ]);
    // d2l's series: the noise floor is offered at 0.04
    expect(await page.getByTestId('noise-variance').inputValue()).toBe('0.04');
    await page.getByTestId('future-steps').fill('100');
    await page.getByTestId('future-run').click();
    await expect.poll(async () => Number(await page.getByRole('img', { name: 'Forecast chart' }).getAttribute('data-points')), { timeout: 30_000 }).toBeGreaterThan(100);
    // d2l's multi-step view: from the end of the training part, 64 steps fed back, beside what happened
    await page.getByTestId('future-from-train-end').click();
    expect(await page.getByTestId('future-origin').inputValue()).toBe('600');
    await page.getByTestId('future-steps').fill('64');
    await page.getByTestId('future-run').click();
    // charts off screen draw when scrolled to (MetricChart), as a user would see it
    await page.getByRole('img', { name: 'Forecast chart' }).scrollIntoViewIfNeeded();
    // 128 actual rows before the origin + 64 it covers, and the forecast from the last observed row
    await expect.poll(async () => Number(await page.getByRole('img', { name: 'Forecast chart' }).getAttribute('data-points')), { timeout: 30_000 }).toBe(128 + 64 + 65);
    await page.setViewportSize({ width: 1280, height: 1400 });
    await page.evaluate('document.querySelector("main")?.scrollTo({ top: 0 })');
    await page.waitForTimeout(500);
    await publishShot(session, 'forecast-view');
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.getByTestId('forecast-csv').click();
    const saved = join(home, 'gru-d2l-predictions.csv');
    await expect.poll(() => existsSync(saved), { timeout: 10_000 }).toBe(true);
    const lines = readFileSync(saved, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('index,actual,predicted,residual');
    expect(lines).toHaveLength(1001);
    expect(lines[1]).toMatch(/^0,[-\d.e]+,,$/);
    expect(lines[5]).toMatch(/^4,[-\d.e]+,[-\d.e]+,[-\d.e]+$/);

    await page.getByTestId('export-weights').click();
    expect(await page.locator('[data-testid^="export-format-"]').count()).toBe(2);
    await page.getByTestId('export-run').click();
    await page.getByTestId('export-done').waitFor();
    expect(JSON.parse(readFileSync(join(home, 'gru-d2l.config.json'), 'utf8'))).toMatchObject({ format: 'rnnlab.forecast', window: 4, cell: 'gru', hidden_size: 16 });
    expect(existsSync(join(home, 'gru-d2l.safetensors'))).toBe(true);
    await publishShot(session, 'forecast-export');
    await page.getByTestId('export-format-onnx').check();
    await page.getByTestId('export-run').click();
    await page.getByTestId('export-done').filter({ hasText: 'gru-d2l.onnx' }).waitFor();
  });
});
