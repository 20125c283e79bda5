import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireProjectLock, LOCK_DIR, readLockHolder, type LockHolder } from '../../src/core/store/project-lock';

const root = mkdtempSync(join(tmpdir(), 'rnnlab-plock-'));
let n = 0;
const folder = () => {
  const dir = join(root, `p${++n}.rnnlab`);
  mkdirSync(dir);
  return dir;
};
/** A lock folder as another process would have left it, last refreshed `ageMs` ago. */
function plant(dir: string, holder: LockHolder, ageMs = 0) {
  mkdirSync(join(dir, LOCK_DIR));
  writeFileSync(join(dir, LOCK_DIR, 'owner.json'), JSON.stringify(holder));
  const t = new Date(Date.now() - ageMs);
  utimesSync(join(dir, LOCK_DIR), t, t);
}
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;
const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
afterAll(() => sleeper.kill());

describe('project lock', () => {
  it('records pid, host and since; refuses a second taker naming the holder; is free again once released', async () => {
    const dir = folder();
    const a = await acquireProjectLock(dir);
    if (!a.ok) throw new Error('not taken');
    expect(a.lock.holder).toMatchObject({ pid: process.pid, host: hostname() });
    expect(await readLockHolder(dir)).toEqual(a.lock.holder);
    expect(await acquireProjectLock(dir)).toEqual({ ok: false, holder: a.lock.holder });
    await a.lock.release();
    expect(await readLockHolder(dir)).toBeNull();
    expect(readdirSync(dir)).toEqual([]);
    const b = await acquireProjectLock(dir);
    expect(b.ok).toBe(true);
    if (b.ok) await b.lock.release();
  });

  it('stays its holder’s across refreshes (writing owner.json does not make the lock look taken over)', async () => {
    const dir = folder();
    const errors: Error[] = [];
    const a = await acquireProjectLock(dir, { staleMs: 2000, onCompromised: (e) => errors.push(e) });
    if (!a.ok) throw new Error('not taken');
    await new Promise((r) => setTimeout(r, 2600)); // the library refreshes every second at this staleness
    expect(errors).toEqual([]);
    expect(a.lock.compromised).toBe(false);
    expect(await acquireProjectLock(dir, { staleMs: 2000 })).toMatchObject({ ok: false, holder: { pid: process.pid } });
    await a.lock.release();
  });

  it('takes over at once a lock whose pid is dead on this host', async () => {
    const dir = folder();
    plant(dir, { pid: deadPid(), host: hostname(), since: new Date().toISOString() });
    const a = await acquireProjectLock(dir);
    expect(a.ok).toBe(true);
    expect(await readLockHolder(dir)).toMatchObject({ pid: process.pid });
    if (a.ok) await a.lock.release();
  });

  it('lets only one of two takers break a dead holder’s lock', async () => {
    const dir = folder();
    plant(dir, { pid: deadPid(), host: hostname(), since: new Date().toISOString() });
    const both = await Promise.all([acquireProjectLock(dir), acquireProjectLock(dir)]);
    expect(both.filter((a) => a.ok)).toHaveLength(1);
    for (const a of both) if (a.ok) await a.lock.release();
  });

  it('reports a live holder on this host, even one too busy to refresh its lock for a while', async () => {
    const dir = folder();
    const holder = { pid: sleeper.pid!, host: hostname(), since: '2026-01-02T03:04:05.000Z' };
    plant(dir, holder);
    expect(await acquireProjectLock(dir)).toEqual({ ok: false, holder });
    const t = new Date(Date.now() - 6000);
    utimesSync(join(dir, LOCK_DIR), t, t);
    expect(await acquireProjectLock(dir, { staleMs: 5000 })).toEqual({ ok: false, holder });
  });

  it('reports a holder on another host while it refreshes the lock, and takes the lock once it stops', async () => {
    const dir = folder();
    const holder = { pid: 1, host: 'elsewhere.invalid', since: '2026-01-02T03:04:05.000Z' };
    plant(dir, holder, 1000);
    expect(await acquireProjectLock(dir, { staleMs: 5000 })).toEqual({ ok: false, holder });
    const t = new Date(Date.now() - 6000);
    utimesSync(join(dir, LOCK_DIR), t, t);
    const a = await acquireProjectLock(dir, { staleMs: 5000 });
    expect(a.ok).toBe(true);
    if (a.ok) await a.lock.release();
  });
});
