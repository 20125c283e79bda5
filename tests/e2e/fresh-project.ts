/** The app launched over the real core with a new, empty project open: where most e2e journeys start. */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launch, tempDir, type Session } from './harness';
import { realBackend, type RealBackend } from './real-handlers';

export interface FreshProject {
  session: Session;
  backend: RealBackend;
  page: Page;
  /** The folder standing in for the user's home: the project is created in it, exports land in it. */
  home: string;
  /** The path the next file dialog answers with. */
  setPick(path: string): void;
}

/** Creates the project `name` through the welcome screen's form and waits for its overview. */
export async function openFreshProject(name: string): Promise<FreshProject> {
  const home = tempDir('home');
  let picked: string | null = null;
  const backend = realBackend(tempDir('appdata'), home, { pickFile: () => picked, savePath: (file) => join(home, file) });
  const session = await launch(backend.handlers);
  const page = session.page;
  await page.getByTestId('new-project').click();
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Location').fill(home);
  await page.getByTestId('create-project').click();
  await page.getByRole('heading', { name, exact: true }).waitFor();
  return { session, backend, page, home, setPick: (path) => (picked = path) };
}
