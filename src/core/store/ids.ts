/**
 * Ids name folders, so they are validated before they become paths: lower-case letters, digits,
 * `-` and `_`, starting with a letter or digit, at most 64 characters, never a reserved Windows
 * device name. Leading dots are impossible, which is what keeps temp, staging and trash entries
 * (all dot-prefixed) out of listings. `containedPath` then checks the joined path stays inside.
 */
import { randomBytes } from 'node:crypto';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { StoreError } from './store-error';

const ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/;

export function isValidId(id: unknown): id is string {
  return typeof id === 'string' && ID.test(id) && !RESERVED.test(id);
}

export function assertValidId(id: unknown, kind: 'run' | 'dataset' | 'checkpoint' = 'run'): string {
  if (!isValidId(id)) throw new StoreError('InvalidId', { kind, id: typeof id === 'string' ? id.slice(0, 80) : typeof id });
  return id;
}

/** `run-20250131-142501-3fa9c2`: sorts by creation time, unique by its random tail. */
export function newId(prefix: 'run' | 'ds', now: Date = new Date()): string {
  const t = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${prefix}-${t}-${randomBytes(3).toString('hex')}`;
}

/** Joins `segments` under `root` and refuses any result that escapes it. */
export function containedPath(root: string, ...segments: string[]): string {
  const base = resolve(root);
  const full = resolve(base, ...segments);
  const rel = relative(base, full);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) {
    throw new StoreError('OutsideProject', { root, segments });
  }
  return full;
}
