/**
 * `files:save`: the renderer hands over the bytes of a chart image or a metrics table; the main
 * process asks the user where to put them and writes them atomically. The page never names a path.
 */
import type { FileSystem } from '../fs/file-system';
import { writeFileAtomic } from '../fs/atomic-write';
import { refuseProjectData } from '../store/project-data-guard';
import type { Handlers } from '../../shared/ipc/handlers';
import type { SavePurpose } from './export-handlers';

export interface FileHandlerOptions {
  fs: FileSystem;
  /** Shows the save dialog; null when the user cancels. */
  chooseSavePath: (purpose: SavePurpose, suggestedName: string) => Promise<string | null>;
}

export function createFileHandlers({ fs, chooseSavePath }: FileHandlerOptions): Pick<Handlers, 'files:save'> {
  return {
    'files:save': async ({ purpose, suggestedName, data, encoding }) => {
      const bytes = encoding === 'base64' ? Uint8Array.from(Buffer.from(data, 'base64')) : new TextEncoder().encode(data);
      const path = await chooseSavePath(purpose, suggestedName);
      if (path === null) return { path: null };
      await refuseProjectData(fs, [path]);
      await writeFileAtomic(fs, path, bytes);
      return { path };
    },
  };
}
