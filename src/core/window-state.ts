/**
 * The main window's size, position and maximised state, remembered in the app-data folder so the
 * app reopens as the user left it. A damaged or implausible file is ignored (defaults apply).
 */
import { join } from 'node:path';
import { z } from 'zod';
import type { FileSystem } from './fs/file-system';
import { ensureDir } from './fs/fs-utils';
import { readJsonFile, writeJsonAtomic } from './store/json-file';

export const WINDOW_STATE_FILE = 'window-state.json';

const windowStateSchema = z.object({
  formatVersion: z.literal(1),
  width: z.number().int().min(400).max(20_000),
  height: z.number().int().min(300).max(20_000),
  x: z.number().int().min(-20_000).max(40_000).optional(),
  y: z.number().int().min(-20_000).max(40_000).optional(),
  maximized: z.boolean(),
});
export type WindowState = Omit<z.infer<typeof windowStateSchema>, 'formatVersion'>;

export async function loadWindowState(fs: FileSystem, appDataDir: string): Promise<WindowState | null> {
  const read = await readJsonFile(fs, join(appDataDir, WINDOW_STATE_FILE), windowStateSchema);
  if (!read.ok) return null;
  const { formatVersion: _v, ...state } = read.value;
  return state;
}

export async function saveWindowState(fs: FileSystem, appDataDir: string, state: WindowState): Promise<void> {
  const rounded = { ...state, width: Math.round(state.width), height: Math.round(state.height), x: state.x === undefined ? undefined : Math.round(state.x), y: state.y === undefined ? undefined : Math.round(state.y) };
  const checked = windowStateSchema.safeParse({ formatVersion: 1, ...rounded });
  if (!checked.success) return;
  await ensureDir(fs, appDataDir);
  await writeJsonAtomic(fs, join(appDataDir, WINDOW_STATE_FILE), checked.data);
}
