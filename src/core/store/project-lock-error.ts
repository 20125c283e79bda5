import { AppError } from '../../shared/errors';
import { describeHolder, type LockHolder } from './project-lock';

/**
 * Codes: `ProjectLocked` (the command line cannot train: another process writes to the project),
 * `ReadOnlyProject` (the app opened the project read-only and refuses a change). Details carry the
 * holder's pid, host and since, so the caller can name it.
 */
export type ProjectLockErrorCode = 'ProjectLocked' | 'ReadOnlyProject';

export class ProjectLockError extends AppError {
  declare readonly code: ProjectLockErrorCode;
  readonly holder: LockHolder | null;

  constructor(code: ProjectLockErrorCode, projectDir: string, holder: LockHolder | null) {
    const who = `Another RNN Lab process (${describeHolder(holder)})`;
    const message =
      code === 'ProjectLocked'
        ? `${who} is writing to the project ${projectDir}; wait for it to finish (or stop it), then try again.`
        : `${who} is writing to this project; it is open read-only, so this change was not made. Reopen the project once that process has finished.`;
    super(code, message, { projectDir, pid: holder?.pid ?? null, host: holder?.host ?? null, since: holder?.since ?? null });
    this.name = 'ProjectLockError';
    this.holder = holder;
  }
}
