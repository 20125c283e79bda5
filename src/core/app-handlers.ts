/**
 * The handlers behind the `app:*` and `projects:*` channels, over the core services. The same
 * table serves the Electron router and the end-to-end harness, so what the e2e tests exercise is
 * exactly what the app runs.
 */
import { join, sep } from 'node:path';
import { AppError } from '../shared/errors';
import type { Handlers } from '../shared/ipc/handlers';
import type { OpenedProject, ProjectSummary, RecentProject } from '../shared/dto';

export interface ProjectServices {
  createProject(dir: string, name: string): Promise<ProjectSummary>;
  openProject(dir: string): Promise<OpenedProject>;
  /** Creates a folder and its missing parents. */
  ensureFolder(dir: string): Promise<void>;
  recent: {
    list(): Promise<RecentProject[]>;
    touch(entry: { dir: string; name: string }): Promise<void>;
    remove(dir: string): Promise<void>;
  };
}

export interface AppHandlerOptions {
  services: ProjectServices;
  documentsDir: string;
  version: string;
  onProjectChanged?: (dir: string) => void;
}

export type AppHandlers = Pick<Handlers, 'app:info' | 'projects:create' | 'projects:open' | 'projects:recent' | 'projects:forget'>;

/** `<parent>/<name>.rnnlab`: the folder a new project gets. */
export function projectFolder(parentDir: string, name: string): string {
  return join(parentDir, `${name.trim()}.rnnlab`);
}

export function createAppHandlers({ services, documentsDir, version, onProjectChanged }: AppHandlerOptions): AppHandlers {
  const defaultProjectsDir = join(documentsDir, 'RNN Lab');
  return {
    'app:info': () => ({
      name: 'RNN Lab',
      version,
      platform: process.platform,
      defaultProjectsDir,
      pathSeparator: sep === '\\' ? '\\' : '/',
    }),
    'projects:create': async ({ parentDir, name }) => {
      if (!isAbsolutePath(parentDir)) throw new AppError('RelativePath', `Choose a full folder path for the project, not "${parentDir}".`);
      // The suggested location is ours to create; a folder the user typed must already exist.
      if (parentDir === defaultProjectsDir) await services.ensureFolder(parentDir);
      const summary = await services.createProject(projectFolder(parentDir, name), name);
      await services.recent.touch({ dir: summary.dir, name: summary.name });
      onProjectChanged?.(summary.dir);
      return summary;
    },
    'projects:open': async ({ dir }) => {
      const opened = await services.openProject(dir);
      await services.recent.touch({ dir: opened.project.dir, name: opened.project.name });
      return opened;
    },
    'projects:recent': () => services.recent.list(),
    'projects:forget': async ({ dir }) => {
      await services.recent.remove(dir);
      return services.recent.list();
    },
  };
}

function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}
