/**
 * Which paths a request may name. A renderer that runs hostile script must not turn the handlers
 * into a general file API, so the main process remembers what the user actually did (the project
 * that is open, the files and folders picked in a dialog or dropped on the window) and refuses,
 * with `ForbiddenPath`, any request that names another project folder or a file nobody chose.
 *
 * Paths are compared as the exact strings main handed out: the renderer only ever echoes them, so
 * `..`, a trailing slash or a symlink to the same place is a different request and is refused.
 * Pure state and decisions; the one read it needs (the recent-projects list) is passed in.
 */
import type { WireError } from '../shared/errors';
import type { RequestChannel } from '../shared/ipc/contract';

type Need =
  /** The project open now (answered by projects:open, projects:create or demo:open). */
  | 'open-project'
  /** A file picked in the file dialog or dropped on the window. */
  | 'chosen-file'
  /** A folder picked in the folder dialog, a recent project (the app's own record) or the open project. */
  | 'openable-project'
  /** An entry of the recent-projects list. */
  | 'recent'
  /**
   * The location typed or picked for a new project. It cannot be checked against a choice (the
   * form takes a typed path), and projects:create only ever makes a new `<name>.rnnlab` folder
   * there, refusing one that is not empty, so it neither reads nor overwrites anything.
   */
  | 'new-project-location';

/** Path fields by name, whatever the channel, so a new channel with `projectDir` is covered at once. */
const FIELD_NEEDS: Readonly<Record<string, Need>> = {
  projectDir: 'open-project',
  filePath: 'chosen-file',
  weightsPath: 'chosen-file',
  configPath: 'chosen-file',
  vocabPath: 'chosen-file',
  jsonPath: 'chosen-file',
};

const CHANNEL_FIELD_NEEDS: Partial<Record<RequestChannel, Readonly<Record<string, Need>>>> = {
  'projects:open': { dir: 'openable-project' },
  'projects:forget': { dir: 'recent' },
  'projects:create': { parentDir: 'new-project-location' },
};

/** A field that looks like a path but has no rule is refused: a new path field fails closed. */
const PATH_LIKE = /(?:dir|path)$/i;

export interface AccessPolicyOptions {
  /** The recent-projects list (the app's own records), read when a project is opened from it. */
  recentDirs(): Promise<readonly string[]>;
}

export interface AccessPolicy {
  /** Null when the request may reach its handler; otherwise the refusal to send back. */
  check(channel: RequestChannel, request: unknown): Promise<WireError | null>;
  /** Learns from a handler's successful answer: the project now open, a path the user picked. */
  record(channel: RequestChannel, request: unknown, response: unknown): void;
  /** A file the user dropped on the window; the preload read its path through webUtils. */
  chooseDropped(path: string): void;
  /** A project folder the user named outside the window (the command line of a launch). */
  chooseFolder(path: string): void;
  /** The project requests may name now, or null before one is opened. */
  openProject(): string | null;
}

export function createAccessPolicy({ recentDirs }: AccessPolicyOptions): AccessPolicy {
  let openDir: string | null = null;
  const chosenFiles = new Set<string>();
  const chosenFolders = new Set<string>();

  const isRecent = async (path: string) => (await recentDirs()).includes(path);

  async function allowed(need: Need, path: string): Promise<boolean> {
    switch (need) {
      case 'open-project':
        return path === openDir;
      case 'chosen-file':
        return chosenFiles.has(path);
      case 'openable-project':
        return path === openDir || chosenFolders.has(path) || (await isRecent(path));
      case 'recent':
        return isRecent(path);
      case 'new-project-location':
        return true;
    }
  }

  return {
    async check(channel, request) {
      if (typeof request !== 'object' || request === null) return null;
      for (const [field, value] of Object.entries(request)) {
        const need = CHANNEL_FIELD_NEEDS[channel]?.[field] ?? FIELD_NEEDS[field];
        if (need === undefined) {
          if (PATH_LIKE.test(field)) return refusal(channel, field, value, `RNN Lab has no rule for the path field "${field}" of ${channel}, so the request was refused.`);
          continue;
        }
        if (typeof value !== 'string') return refusal(channel, field, value, `The field "${field}" of ${channel} must be a path.`);
        if (!(await allowed(need, value))) return refusal(channel, field, value, REFUSALS[need](value));
      }
      return null;
    },
    record(channel, _request, response) {
      const answer = response as Record<string, unknown> | null;
      switch (channel) {
        case 'projects:open':
        case 'demo:open':
          openDir = (answer as { project: { dir: string } }).project.dir;
          break;
        case 'projects:create':
          openDir = (answer as { dir: string }).dir;
          break;
        case 'dialog:pickFolder':
          if (typeof answer?.['path'] === 'string') chosenFolders.add(answer['path']);
          break;
        case 'dialog:pickFile':
          if (typeof answer?.['path'] === 'string') chosenFiles.add(answer['path']);
          break;
        default:
          break;
      }
    },
    chooseDropped(path) {
      if (path !== '') chosenFiles.add(path);
    },
    chooseFolder(path) {
      if (path !== '') chosenFolders.add(path);
    },
    openProject: () => openDir,
  };
}

const REFUSALS: Record<Need, (path: string) => string> = {
  'open-project': (p) => `"${p}" is not the project open in RNN Lab, so the request was refused. Open that project first.`,
  'chosen-file': (p) => `RNN Lab only reads files you chose in a dialog or dropped on the window, and "${p}" is not one of them.`,
  'openable-project': (p) => `RNN Lab only opens a project folder you chose or one from the recent list, and "${p}" is neither.`,
  recent: (p) => `"${p}" is not in the list of recent projects.`,
  'new-project-location': (p) => `A new project cannot be created in "${p}".`,
};

function refusal(channel: string, field: string, value: unknown, message: string): WireError {
  return { code: 'ForbiddenPath', message, details: { channel, field, ...(typeof value === 'string' && { path: value }) } };
}
