import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { realBackend } from './real-handlers';
import { launch, tempDir, type Session } from './harness';

function realHandlers(appData: string, documents: string, pickFolder: () => string | null) {
  return realBackend(appData, documents, { pickFolder }).handlers;
}

let session: Session | null = null;
afterEach(async () => {
  await session?.close();
  session = null;
});

describe('first screen', () => {
  it('creates a project through the UI and writes project.json on disk', async () => {
    const appData = tempDir('appdata');
    const home = tempDir('home');
    session = await launch(realHandlers(appData, home, () => null));
    const { page } = session;

    await page.getByRole('heading', { name: 'Welcome to RNN Lab' }).waitFor();
    await page.getByText('No recent projects').waitFor();
    await session.screenshot('welcome-light');

    await page.getByTestId('new-project').click();
    await page.getByLabel('Name').fill('time machine');
    await page.getByLabel('Location').fill(home);
    await session.screenshot('new-project-form');
    await page.getByTestId('create-project').click();

    await page.getByRole('heading', { name: 'time machine' }).waitFor();
    await page.getByText('Start with a dataset').waitFor();
    await session.screenshot('project-created');

    const file = join(home, 'time machine.rnnlab', 'project.json');
    expect(existsSync(file)).toBe(true);
    const project = JSON.parse(readFileSync(file, 'utf8')) as { name: string; formatVersion: number };
    expect(project.name).toBe('time machine');
    expect(project.formatVersion).toBeGreaterThanOrEqual(1);
  });

  it('lists the project under recent projects and reopens it after a restart', async () => {
    const appData = tempDir('appdata');
    const home = tempDir('home');
    session = await launch(realHandlers(appData, home, () => null));
    await session.page.getByTestId('new-project').click();
    await session.page.getByLabel('Name').fill('demo');
    await session.page.getByLabel('Location').fill(home);
    await session.page.getByLabel('Location').press('Enter');
    await session.page.getByRole('heading', { name: 'demo' }).waitFor();
    await session.close();

    session = await launch(realHandlers(appData, home, () => null), { colorScheme: 'dark' });
    const { page } = session;
    const entry = page.getByRole('button', { name: /demo/ }).first();
    await entry.waitFor();
    await session.screenshot('welcome-dark-recent');
    await entry.click();
    await page.getByRole('heading', { name: 'demo' }).waitFor();
  });

  it('shows the store error in plain words when the folder is not empty', async () => {
    const appData = tempDir('appdata');
    const home = tempDir('home');
    session = await launch(realHandlers(appData, home, () => home));
    const { page } = session;
    await page.getByTestId('new-project').click();
    await page.getByLabel('Name').fill('twice');
    await page.getByLabel('Location').fill(home);
    await page.getByTestId('create-project').click();
    await page.getByRole('heading', { name: 'twice' }).waitFor();
    await page.getByRole('button', { name: 'Close project' }).click();
    await page.getByTestId('new-project').click();
    await page.getByLabel('Name').fill('twice');
    await page.getByLabel('Location').fill(home);
    await page.getByTestId('create-project').click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/not empty/i);
    await session.screenshot('create-error');
  });
});
