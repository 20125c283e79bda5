/**
 * Crash recovery, run by the process that has just taken a project's writer lock (the app opening
 * it, the command line starting to train in it): whatever a crashed writer left behind is cleaned
 * up. Runs still marked `running` that this process is not training become `interrupted` (resume
 * continues them from their last checkpoint), and temp, staging and trash leftovers are deleted.
 */
import type { FileSystem } from '../fs/file-system';
import { removeStrays } from './project';
import { markInterruptedRuns } from './runs';

export interface Recovery {
  interrupted: string[];
  removed: string[];
}

export async function recoverProject(fs: FileSystem, dir: string, isLive: (runId: string) => boolean = () => false): Promise<Recovery> {
  const removed = await removeStrays(fs, dir);
  const interrupted = await markInterruptedRuns(fs, dir, isLive);
  return { interrupted, removed };
}
