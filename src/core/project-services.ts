/**
 * The project services the app handlers call, bound to the real disk: the store's records mapped
 * to the DTOs of src/shared, and the recent-projects list kept in the app-data folder. With a
 * `writer`, opening a project takes its writer lock (recovering it after a crash) or opens it
 * read-only, naming the process that holds it.
 */
import { dirname } from 'node:path';
import { NodeFileSystem } from './fs/node-file-system';
import { ensureDir } from './fs/fs-utils';
import type { FileSystem } from './fs/file-system';
import { createProject, openProject, readProjectInfo } from './store/project';
import type { ProjectWriter } from './project-writer';
import { RecentProjects } from './store/recent-projects';
import type { ProjectServices } from './app-handlers';
import type { OpenedProject, ProjectSummary } from '../shared/dto';

export function createProjectServices(appDataDir: string, fs: FileSystem = new NodeFileSystem(), writer?: ProjectWriter): ProjectServices {
  const recent = new RecentProjects(fs, appDataDir);
  const summary = (p: { dir: string; name: string; created: string; formatVersion: number }): ProjectSummary => ({
    dir: p.dir,
    name: p.name,
    created: p.created,
    formatVersion: p.formatVersion,
  });
  return {
    createProject: async (dir, name) => summary(await createProject(fs, dir, name)),
    openProject: async (dir): Promise<OpenedProject> => {
      let readOnly: OpenedProject['readOnly'];
      if (writer) {
        await readProjectInfo(fs, dir); // lock only real projects
        readOnly = await writer.open(dir);
      }
      const opened = await openProject(fs, dir);
      return {
        project: summary(opened.project),
        datasets: opened.datasets.map((d) => ({ id: d.id, name: d.name, kind: d.kind })),
        runs: opened.runs.map((r) => ({ id: r.id, name: r.name, state: r.state })),
        problems: opened.problems,
        ...(readOnly !== undefined && { readOnly }),
      };
    },
    ensureFolder: (dir) => ensureDirTree(fs, dir),
    recent: { list: () => recent.list(), touch: (e) => recent.touch(e), remove: (dir) => recent.remove(dir) },
  };
}

/** Creates `dir` and any missing parents (the default projects folder may not exist yet). */
async function ensureDirTree(fs: FileSystem, dir: string): Promise<void> {
  if ((await fs.stat(dir))?.kind === 'directory') return;
  const parent = dirname(dir);
  if (parent !== dir) await ensureDirTree(fs, parent);
  await ensureDir(fs, dir);
}
