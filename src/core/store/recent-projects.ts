/**
 * The welcome screen's recent-projects list: `recent-projects.json` in the app-data folder,
 * most recent first, capped, rewritten atomically. A damaged file reads as an empty list (it is
 * a convenience, not data). Calls are serialised so concurrent touches do not lose entries.
 */
import { join } from 'node:path';
import type { RecentProject } from '../../shared/dto';
import type { FileSystem } from '../fs/file-system';
import { ensureDir } from '../fs/fs-utils';
import { readJsonFile, writeJsonAtomic } from './json-file';
import { recentProjectsFileSchema } from './schemas';

export const RECENT_PROJECTS_FILE = 'recent-projects.json';

export class RecentProjects {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly path: string;

  constructor(
    private readonly fs: FileSystem,
    private readonly appDataDir: string,
    private readonly limit = 10,
  ) {
    this.path = join(appDataDir, RECENT_PROJECTS_FILE);
  }

  list(): Promise<RecentProject[]> {
    return this.serial(() => this.read());
  }

  /** Puts `dir` first with the current time (adding or refreshing it). */
  touch(entry: { dir: string; name: string }): Promise<void> {
    return this.serial(async () => {
      const rest = (await this.read()).filter((p) => p.dir !== entry.dir);
      await this.write([{ dir: entry.dir, name: entry.name, openedAt: new Date().toISOString() }, ...rest].slice(0, this.limit));
    });
  }

  remove(dir: string): Promise<void> {
    return this.serial(async () => this.write((await this.read()).filter((p) => p.dir !== dir)));
  }

  clear(): Promise<void> {
    return this.serial(() => this.write([]));
  }

  private async read(): Promise<RecentProject[]> {
    const read = await readJsonFile(this.fs, this.path, recentProjectsFileSchema);
    return read.ok ? read.value.projects : [];
  }

  private async write(projects: RecentProject[]): Promise<void> {
    await ensureDir(this.fs, this.appDataDir);
    await writeJsonAtomic(this.fs, this.path, { formatVersion: 1, projects });
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const next = this.queue.then(op, op);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
