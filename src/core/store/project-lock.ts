/**
 * One writer per project. The writer holds `.rnnlab-lock/` in the project folder: proper-lockfile
 * makes it with an atomic mkdir and keeps its mtime fresh while the holder lives, and `owner.json`
 * inside names the holder (pid, host, since) so whoever is refused can say who writes.
 *
 * A lock is stale, and taken over, when its pid is dead on this host (at once), or when nobody has
 * refreshed it for `staleMs` (a holder on another host that crashed). A live pid on this host gets
 * ten times longer (it may be busy, the command line trains on its main thread), and only then is
 * taken to be a pid reused after a reboot. A dead holder's lock is broken under a second,
 * short-lived lock, so two processes that both find it dead cannot both take it.
 */
import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import lockfile from 'proper-lockfile';
import { TRASH_MARK } from './staging';

export const LOCK_DIR = '.rnnlab-lock';
const BREAK_DIR = '.rnnlab-lock-break';
const OWNER_FILE = 'owner.json';
/** How long an unrefreshed lock stays valid; the holder refreshes it every `staleMs / 6`. */
export const DEFAULT_STALE_MS = 60_000;
/** How many times `staleMs` a live process on this host may go without refreshing its lock. */
const LIVE_HOLDER_PATIENCE = 10;

export interface LockHolder {
  pid: number;
  host: string;
  /** When it took the lock (ISO time). */
  since: string;
}

export interface ProjectLock {
  readonly dir: string;
  readonly holder: LockHolder;
  /** True once the lock was lost (removed or taken over while this process held it). */
  readonly compromised: boolean;
  release(): Promise<void>;
}

/** Taken, or refused with the holder (null when it has not written its name yet). */
export type LockAttempt = { ok: true; lock: ProjectLock } | { ok: false; holder: LockHolder | null };

export interface LockOptions {
  staleMs?: number;
  /** Told when this process loses a lock it held (default: a line on stderr). */
  onCompromised?: (error: Error) => void;
}

/**
 * The fs proper-lockfile works through. Its lock is a bare folder, removed with rmdir; ours holds
 * owner.json, which must be written inside the mkdir (before the library stamps the folder's
 * mtime, which it later checks to know the lock is still its own). Removal renames the folder
 * away first (so it vanishes in one step) and then deletes it; a leftover is a `.trash-` stray
 * that the project's sweep removes.
 */
function lockFs(owner: LockHolder | null) {
  return {
    ...nodeFs,
    mkdir(path: string, callback: (error: NodeJS.ErrnoException | null) => void): void {
      nodeFs.mkdir(path, (error) => {
        if (error || owner === null) return callback(error);
        const file = join(path, OWNER_FILE);
        const temp = `${file}.${randomBytes(4).toString('hex')}`;
        nodeFs.writeFile(temp, `${JSON.stringify(owner)}\n`, (e1) => {
          if (e1) return removeLockFolder(path, () => callback(e1));
          nodeFs.rename(temp, file, (e2) => (e2 ? removeLockFolder(path, () => callback(e2)) : callback(null)));
        });
      });
    },
    rmdir: removeLockFolder,
    rmdirSync(path: string): void {
      const trash = trashPath(path);
      nodeFs.renameSync(path, trash);
      nodeFs.rmSync(trash, { recursive: true, force: true });
    },
  };
}

function removeLockFolder(path: string, callback: (error: NodeJS.ErrnoException | null) => void): void {
  const trash = trashPath(path);
  nodeFs.rename(path, trash, (error) => {
    if (error) return callback(error);
    nodeFs.rm(trash, { recursive: true, force: true }, () => callback(null));
  });
}

function trashPath(path: string): string {
  return join(dirname(path), `${TRASH_MARK}lock-${randomBytes(4).toString('hex')}`);
}

/** Who holds the project's lock, or null when nobody does (or the holder has not written its name yet). */
export async function readLockHolder(dir: string): Promise<LockHolder | null> {
  let text: string;
  try {
    text = await readFile(join(resolve(dir), LOCK_DIR, OWNER_FILE), 'utf8');
  } catch {
    return null;
  }
  try {
    const v = JSON.parse(text) as Partial<LockHolder>;
    if (typeof v.pid === 'number' && Number.isInteger(v.pid) && v.pid > 0 && typeof v.host === 'string' && typeof v.since === 'string') return { pid: v.pid, host: v.host, since: v.since };
  } catch {
    // a torn owner.json reads as an unknown holder; the lock's age still decides whether it is stale
  }
  return null;
}

/** True when `pid` is a live process on this machine (EPERM: it lives, as another user). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isDeadHere(holder: LockHolder): boolean {
  return holder.host === hostname() && holder.pid !== process.pid && !isProcessAlive(holder.pid);
}

const sameHolder = (a: LockHolder, b: LockHolder): boolean => a.pid === b.pid && a.host === b.host && a.since === b.since;

/** Takes the project's writer lock, or answers who holds it. */
export async function acquireProjectLock(dir: string, options: LockOptions = {}): Promise<LockAttempt> {
  const root = resolve(dir);
  const staleMs = Math.max(2000, options.staleMs ?? DEFAULT_STALE_MS);
  const onCompromised = options.onCompromised ?? ((e: Error) => process.stderr.write(`[project lock] ${root}: ${e.message}\n`));
  // a holder that dies while we look is noticed on the next pass
  for (let attempt = 0; attempt < 3; attempt++) {
    const found = await readLockHolder(root);
    if (found !== null && isDeadHere(found)) await breakDeadLock(root, found);
    const state = { compromised: false };
    const holder: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
    let release: () => Promise<void>;
    try {
      release = await lockfile.lock(join(root, LOCK_DIR), {
        lockfilePath: join(root, LOCK_DIR),
        realpath: false,
        stale: found !== null && found.host === hostname() && isProcessAlive(found.pid) ? staleMs * LIVE_HOLDER_PATIENCE : staleMs,
        update: staleMs / 6,
        retries: 0,
        fs: lockFs(holder),
        onCompromised: (e) => {
          state.compromised = true;
          onCompromised(e);
        },
      });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ELOCKED') throw e;
      const current = await readLockHolder(root);
      if (current !== null && isDeadHere(current)) continue;
      return { ok: false, holder: current };
    }
    let released = false;
    return {
      ok: true,
      lock: {
        dir: root,
        holder,
        get compromised() {
          return state.compromised;
        },
        release: async () => {
          if (released) return;
          released = true;
          if (state.compromised) return; // not ours any more: leave whatever is there
          await release();
        },
      },
    };
  }
  return { ok: false, holder: await readLockHolder(root) };
}

/** Removes the lock of `dead` (a process gone from this host), unless someone else broke it first. */
async function breakDeadLock(root: string, dead: LockHolder): Promise<void> {
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(join(root, BREAK_DIR), {
      lockfilePath: join(root, BREAK_DIR),
      realpath: false,
      stale: 5000,
      retries: { retries: 20, minTimeout: 25, maxTimeout: 250 },
      fs: lockFs(null),
      onCompromised: () => {},
    });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOCKED') return;
    throw e;
  }
  try {
    const now = await readLockHolder(root);
    if (now !== null && sameHolder(now, dead)) await new Promise<void>((done, fail) => removeLockFolder(join(root, LOCK_DIR), (e) => (e && e.code !== 'ENOENT' ? fail(e) : done())));
  } finally {
    await release();
  }
}

/** "pid 1234 on host lab-1, since 2026-12-01 11:00:00 UTC" (or a plain phrase when the holder is unknown). */
export function describeHolder(holder: LockHolder | null): string {
  if (holder === null) return 'a process that has not yet recorded its pid';
  const since = holder.since.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  return `pid ${holder.pid} on host ${holder.host}, since ${since}`;
}
