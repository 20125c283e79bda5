/**
 * The bundled demo project: `resources/demo/demo.rnnlab/` (a ready project folder) and
 * `resources/demo/manifest.json` (every file of it with its size and SHA-256). The bundle is only
 * ever read: a copy is built in a staging folder beside its target, each file checked against the
 * manifest, and renamed into place whole, so a half-copied demo never appears.
 */
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { FsError, type FileSystem } from '../fs/file-system';
import { writeFileDurable } from '../fs/atomic-write';
import { commitStaging, createStaging, discardStaging } from '../store/staging';
import { DemoError } from './demo-error';
import { DEMO_BUNDLE_FOLDER, DEMO_MANIFEST_FILE } from './demo-recipe';

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

const manifestSchema = z
  .object({
    formatVersion: z.literal(1),
    project: z.literal(DEMO_BUNDLE_FOLDER),
    files: z
      .array(
        z
          .object({
            // forward slashes, every segment a plain name: nothing can point outside the bundle
            path: z.string().max(400).refine((p) => p.split('/').every((s) => SEGMENT.test(s)), 'Not a plain relative path.'),
            bytes: z.number().int().nonnegative().max(64 * 1024 * 1024),
            sha256: z.string().regex(/^[0-9a-f]{64}$/),
          })
          .strict(),
      )
      .min(1)
      .max(10_000),
  })
  .strict();

export type DemoManifest = z.infer<typeof manifestSchema>;
export type DemoManifestEntry = DemoManifest['files'][number];

export interface DemoBundlePaths {
  /** `resources/demo` */
  root: string;
  /** `resources/demo/demo.rnnlab` */
  project: string;
  manifest: string;
}

export function demoBundlePaths(resourcesDir: string): DemoBundlePaths {
  const root = join(resourcesDir, 'demo');
  return { root, project: join(root, DEMO_BUNDLE_FOLDER), manifest: join(root, DEMO_MANIFEST_FILE) };
}

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

const nativePath = (root: string, relative: string): string => join(root, ...relative.split('/'));

export async function readDemoManifest(fs: FileSystem, resourcesDir: string): Promise<DemoManifest> {
  const { manifest } = demoBundlePaths(resourcesDir);
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(manifest);
  } catch (e) {
    if (e instanceof FsError && e.code === 'NotFound') throw new DemoError('BundleMissing', { path: manifest });
    throw e;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new DemoError('BundleDamaged', { path: manifest, reason: 'NotJson' });
  }
  const checked = manifestSchema.safeParse(parsed);
  if (!checked.success) throw new DemoError('BundleDamaged', { path: manifest, reason: 'Schema' });
  return checked.data;
}

/** Every file under `projectDir` (sorted, `/`-separated, dot-named strays left out) with its size and hash. */
export async function buildDemoManifest(fs: FileSystem, projectDir: string): Promise<DemoManifest> {
  const files: DemoManifestEntry[] = [];
  const walk = async (relative: string): Promise<void> => {
    const folder = relative === '' ? projectDir : nativePath(projectDir, relative);
    for (const name of await fs.readdir(folder)) {
      if (name.startsWith('.')) continue;
      const rel = relative === '' ? name : `${relative}/${name}`;
      const st = await fs.stat(join(folder, name));
      if (st?.kind === 'directory') await walk(rel);
      else if (st?.kind === 'file') {
        const bytes = await fs.readFile(join(folder, name));
        files.push({ path: rel, bytes: bytes.length, sha256: sha256Hex(bytes) });
      }
    }
  };
  await walk('');
  return manifestSchema.parse({ formatVersion: 1, project: DEMO_BUNDLE_FOLDER, files });
}

/**
 * Copies the bundled demo project to `targetDir`, which must not exist or be an empty folder
 * (`NotEmpty` otherwise); its parent must exist. Every file is checked against the manifest
 * first (`BundleDamaged`), and the copy appears at `targetDir` in one rename.
 */
export async function copyDemoProject(fs: FileSystem, resourcesDir: string, targetDir: string): Promise<void> {
  const manifest = await readDemoManifest(fs, resourcesDir);
  const source = demoBundlePaths(resourcesDir).project;
  const existing = await fs.stat(targetDir);
  if (existing?.kind === 'file' || (existing?.kind === 'directory' && (await fs.readdir(targetDir)).length > 0)) {
    throw new DemoError('NotEmpty', { dir: targetDir });
  }
  const staging = await createStaging(fs, dirname(targetDir), 'demo');
  try {
    const made = new Set<string>();
    const folders: string[] = [];
    for (const entry of manifest.files) {
      const segments = entry.path.split('/');
      for (let i = 1; i < segments.length; i++) {
        const folder = segments.slice(0, i).join('/');
        if (made.has(folder)) continue;
        await fs.mkdir(nativePath(staging, folder));
        made.add(folder);
        folders.push(folder);
      }
      const bytes = await readBundleFile(fs, source, entry);
      await writeFileDurable(fs, nativePath(staging, entry.path), bytes);
    }
    // deepest first, so each folder's entries are durable before its parent's
    for (const folder of folders.reverse()) await fs.syncDir(nativePath(staging, folder));
    if (existing?.kind === 'directory') await fs.rmdir(targetDir);
    await commitStaging(fs, staging, targetDir);
  } catch (e) {
    await discardStaging(fs, staging);
    throw e;
  }
}

async function readBundleFile(fs: FileSystem, source: string, entry: DemoManifestEntry): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(nativePath(source, entry.path));
  } catch (e) {
    if (e instanceof FsError && (e.code === 'NotFound' || e.code === 'IsDirectory')) throw new DemoError('BundleDamaged', { file: entry.path, reason: 'Missing' });
    throw e;
  }
  if (bytes.length !== entry.bytes || sha256Hex(bytes) !== entry.sha256) throw new DemoError('BundleDamaged', { file: entry.path, reason: 'Checksum' });
  return bytes;
}
