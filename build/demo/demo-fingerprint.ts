/**
 * What must be identical between two builds of the demo: every file of the project, with the
 * fields that depend on when and how fast it was built left out — ISO times, the clock fields of
 * metric records (time, tokens/s), and the kernels note in run.json. Checkpoints are compared by
 * their tensors, state and step, not their bytes (their metadata holds a creation time).
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { decodeCheckpoint } from '../../src/engine/formats/checkpoint';
import { buildDemoManifest } from '../../src/core/demo/demo-bundle';
import type { FileSystem } from '../../src/core/fs/file-system';
import { readLog } from '../../src/core/store/record-log';

const hash = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');

function withoutKeys(value: unknown, keys: readonly string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => withoutKeys(v, keys));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !keys.includes(k)).map(([k, v]) => [k, withoutKeys(v, keys)]));
}

async function normalised(fs: FileSystem, path: string, relative: string): Promise<string> {
  const name = relative.split('/').at(-1)!;
  if (name.endsWith('.safetensors')) {
    const bundle = decodeCheckpoint(await fs.readFile(path));
    const h = createHash('sha256');
    for (const [tensor, t] of [...bundle.tensors].sort(([a], [b]) => (a < b ? -1 : 1))) {
      h.update(`${tensor}:${t.dtype}:${t.shape.join('x')}:`);
      h.update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    }
    h.update(JSON.stringify({ step: bundle.step, valPerplexity: bundle.valPerplexity ?? null, state: bundle.state }, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
    return h.digest('hex');
  }
  if (name.endsWith('.log')) {
    const read = await readLog(fs, path);
    return hash(JSON.stringify(withoutKeys(read.records, ['time', 'tokensPerSec'])));
  }
  if (name === 'project.json' || name === 'dataset.json' || name === 'run.json') {
    const json = JSON.parse(new TextDecoder().decode(await fs.readFile(path))) as unknown;
    return hash(JSON.stringify(withoutKeys(json, ['created', 'updated', 'started', 'finished', 'kernels'])));
  }
  return hash(await fs.readFile(path));
}

/** File → hash of its build-independent content, for every file of the project. */
export async function fingerprintDemo(fs: FileSystem, projectDir: string): Promise<Map<string, string>> {
  const manifest = await buildDemoManifest(fs, projectDir);
  const out = new Map<string, string>();
  for (const entry of manifest.files) out.set(entry.path, await normalised(fs, join(projectDir, ...entry.path.split('/')), entry.path));
  return out;
}

/** Lines naming each file that differs, is missing or is extra in `b` compared with `a`. */
export function compareFingerprints(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): string[] {
  const lines: string[] = [];
  for (const [path, h] of a) {
    if (!b.has(path)) lines.push(`missing: ${path}`);
    else if (b.get(path) !== h) lines.push(`differs: ${path}`);
  }
  for (const path of b.keys()) if (!a.has(path)) lines.push(`extra:   ${path}`);
  return lines;
}
