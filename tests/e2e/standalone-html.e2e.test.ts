/**
 * The standalone HTML export in a real browser: Debian's Chromium opens the file from disk with
 * every network request blocked, and the page's greedy text equals `rnn-lab generate --greedy`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/index';
import { exportRun } from '../../src/core/export';
import { trainedProject } from '../export/project-fixture';
import { ARTIFACTS } from './harness';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

async function cliGenerate(args: string[]): Promise<string> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['generate', ...args], { out: (l) => out.push(l), err: (l) => err.push(l) });
  if (code !== 0) throw new Error(err.join('\n'));
  return out.join('\n');
}

describe('standalone HTML export in Chromium, offline', () => {
  let context: BrowserContext;
  const requests: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'rnnlab-chromium-')), {
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      offline: true,
      viewport: { width: 1000, height: 760 },
    });
    // everything but the page's own file is refused, on top of the offline network
    await context.route((url) => url.protocol !== 'file:', (route) => route.abort());
    context.on('request', (r) => requests.push(r.url()));
    context.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
  });

  afterAll(async () => {
    await context?.close();
  });

  for (const config of [{ cell: 'gru' as const, numLayers: 1, embeddingDim: 0 }, { cell: 'lstm' as const, numLayers: 2, embeddingDim: 8 }, { cell: 'rnn' as const, numLayers: 2, embeddingDim: 0, tokenizer: 'word' as const }]) {
    const what = `${config.cell} ×${config.numLayers}${config.embeddingDim ? ' embedding' : ''}${'tokenizer' in config ? ', words' : ''}`;
    it(`generates the same greedy text as rnn-lab generate --greedy (${what})`, async () => {
      const { fs, dir, runId } = await trainedProject({ ...config, hiddenSize: 24, optimizer: 'adam', lr: 0.01 }, 150);
      const file = join(mkdtempSync(join(tmpdir(), 'rnnlab-html-')), 'demo.html');
      await exportRun(fs, { projectDir: dir, runId, checkpoint: null, format: 'html', out: file });
      const prefix = 'The Time Traveller said';
      const length = config.tokenizer === 'word' ? 40 : 200;
      const expected = await cliGenerate(['--project', dir, '--run', runId, '--prefix', prefix, '--length', String(length), '--greedy']);

      requests.length = 0;
      problems.length = 0;
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(pathToFileURL(file).href);
      await expect.poll(() => page.textContent('#status')).toBe('Ready.');
      await page.fill('#prefix', prefix);
      await page.fill('#length', String(length));
      expect(await page.isChecked('#greedy')).toBe(true);
      await page.click('#generate');
      await expect.poll(() => page.textContent('#status')).toContain('Generated');
      expect(await page.textContent('#output')).toBe(expected);
      await page.screenshot({ path: join(ARTIFACTS, `standalone-${config.cell}.png`) });

      // sampling works too, and gives text of the asked length
      await page.uncheck('#greedy');
      await page.fill('#temperature', '0.7');
      await page.fill('#length', '30');
      await page.click('#generate');
      await expect.poll(() => page.textContent('#status')).toBe('Generated 30 tokens at temperature 0.7.');

      expect(errors).toEqual([]);
      expect(problems).toEqual([]);
      expect(requests.every((url) => url.startsWith('file://'))).toBe(true);
      await page.close();
    });
  }
});
