import type { z } from 'zod';
import { FsError, type FileSystem } from '../fs/file-system';
import { writeFileAtomic } from '../fs/atomic-write';

export type JsonReadFailure = 'Missing' | 'InvalidJson' | 'InvalidSchema';
export type JsonRead<T> = { ok: true; value: T } | { ok: false; reason: JsonReadFailure; detail: string };

/** Reads and validates a JSON file without throwing for the expected ways it can be damaged. */
export async function readJsonFile<S extends z.ZodType>(fs: FileSystem, path: string, schema: S): Promise<JsonRead<z.infer<S>>> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(path);
  } catch (e) {
    if (e instanceof FsError && (e.code === 'NotFound' || e.code === 'IsDirectory')) return { ok: false, reason: 'Missing', detail: path };
    throw e;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    return { ok: false, reason: 'InvalidJson', detail: e instanceof Error ? e.message : String(e) };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: 'InvalidSchema', detail: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  return { ok: true, value: parsed.data };
}

export function writeJsonAtomic(fs: FileSystem, path: string, value: unknown): Promise<void> {
  return writeFileAtomic(fs, path, JSON.stringify(value, null, 2) + '\n');
}

export function jsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value, null, 2) + '\n');
}
