/** Shared by the demo tests: where the bundle is, and a hash of a folder tree to prove it unchanged. */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const RESOURCES = resolve(import.meta.dirname, '../../resources');

export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `rnnlab-demo-${label}-`));
}

/** One hash over every path, mode and byte under `root`. */
export function treeHash(root: string): string {
  const h = createHash('sha256');
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const st = statSync(path);
      h.update(`${rel}/${name}:${st.mode.toString(8)}:`);
      if (st.isDirectory()) walk(path, `${rel}/${name}`);
      else h.update(readFileSync(path));
    }
  };
  walk(root, '');
  return h.digest('hex');
}

/** Relative paths of every file under `root`, `/`-separated and sorted. */
export function treeFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path, rel ? `${rel}/${name}` : name);
      else out.push(rel ? `${rel}/${name}` : name);
    }
  };
  walk(root, '');
  return out.sort();
}
