/**
 * Which projects this app process may write to. Opening a project takes its writer lock (see
 * store/project-lock.ts); a project another process holds opens read-only, and every write
 * handler asks `assertWritable` first. A freshly taken lock means nobody was writing, so what a
 * crashed writer left is recovered then: runs still marked running become interrupted (except
 * those this process trains) and stray temp files go.
 *
 * Switching project releases the previous one's lock, unless this process still trains runs in
 * it; that lock goes when they finish. `releaseAll` (app quit) lets every lock go.
 */
import { resolve } from 'node:path';
import type { ProjectHolder } from '../shared/dto';
import type { RunEvent } from '../shared/runs';
import type { FileSystem } from './fs/file-system';
import { acquireProjectLock, type LockAttempt, type LockHolder, type ProjectLock } from './store/project-lock';
import { ProjectLockError } from './store/project-lock-error';
import { recoverProject } from './store/recover-project';

/** What the writer needs of the training host. */
export interface LiveTraining {
  isActive(projectDir: string, runId: string): boolean;
  isProjectBusy(projectDir: string): boolean;
  subscribe?(listener: (event: RunEvent) => void): () => void;
}

export interface ProjectWriterOptions {
  fs: FileSystem;
  live?: LiveTraining;
  /** How a lock is taken (default: the project lock on disk). */
  acquire?: (dir: string) => Promise<LockAttempt>;
  /** Where failures that reach no caller go (a lock that cannot be released). */
  onError?: (error: unknown) => void;
}

export class ProjectWriter {
  private readonly fs: FileSystem;
  private readonly live: LiveTraining | undefined;
  private readonly acquire: (dir: string) => Promise<LockAttempt>;
  private readonly onError: (error: unknown) => void;
  private readonly held = new Map<string, ProjectLock>();
  private current: string | null = null;
  /** Lock changes, one at a time (two opens at once must not both take or release). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: ProjectWriterOptions) {
    this.fs = options.fs;
    this.live = options.live;
    this.acquire = options.acquire ?? ((dir) => acquireProjectLock(dir));
    this.onError = options.onError ?? ((e) => console.error('[project lock]', e));
    this.live?.subscribe?.((event) => void this.serial(() => this.releaseIfIdle(resolve(event.projectDir))));
  }

  /**
   * Makes `dir` the project the app shows: takes its lock (recovering it when newly taken), or
   * answers who holds it, in which case the project is read-only here. Releases the lock of the
   * project shown before unless runs still train in it.
   */
  open(dir: string): Promise<ProjectHolder | null> {
    return this.serial(async () => {
      const key = resolve(dir);
      const previous = this.current;
      this.current = key;
      if (previous !== null && previous !== key) await this.releaseIfIdle(previous);
      const holder = await this.take(key);
      return holder === undefined ? null : toDto(holder);
    });
  }

  /** Throws `ReadOnlyProject` (naming the holder) unless this process may write to `dir`. */
  assertWritable(dir: string): Promise<void> {
    return this.serial(async () => {
      const key = resolve(dir);
      const lock = this.held.get(key);
      if (lock && !lock.compromised) return;
      const holder = await this.take(key);
      if (holder !== undefined) throw new ProjectLockError('ReadOnlyProject', key, holder);
    });
  }

  /** Lets every lock go (the app quits). */
  releaseAll(): Promise<void> {
    return this.serial(async () => {
      const locks = [...this.held.values()];
      this.held.clear();
      this.current = null;
      await Promise.all(locks.map((l) => l.release().catch(this.onError)));
    });
  }

  /** Holds the lock of `key` (undefined), or returns who holds it (the project is read-only here). */
  private async take(key: string): Promise<LockHolder | null | undefined> {
    const mine = this.held.get(key);
    if (mine && !mine.compromised) return undefined;
    this.held.delete(key);
    const attempt = await this.acquire(key);
    if (!attempt.ok) return attempt.holder;
    this.held.set(key, attempt.lock);
    try {
      await recoverProject(this.fs, key, (runId) => this.live?.isActive(key, runId) ?? false);
    } catch (e) {
      this.onError(e); // a sweep that fails leaves leftovers, not a project that cannot open
    }
    return undefined;
  }

  private async releaseIfIdle(key: string): Promise<void> {
    if (key === this.current || this.live?.isProjectBusy(key)) return;
    const lock = this.held.get(key);
    if (!lock) return;
    this.held.delete(key);
    await lock.release().catch(this.onError);
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

function toDto(holder: LockHolder | null): ProjectHolder {
  return holder === null ? { pid: null, host: null, since: null } : { pid: holder.pid, host: holder.host, since: holder.since };
}
