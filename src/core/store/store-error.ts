import { AppError } from '../../shared/errors';

export type StoreErrorCode =
  | 'RelativePath'
  | 'NotEmpty'
  | 'NotADirectory'
  | 'ParentMissing'
  | 'NotAProject'
  | 'CorruptProject'
  | 'UnsupportedVersion'
  | 'InvalidName'
  | 'InvalidId'
  | 'OutsideProject'
  | 'NotFound'
  | 'Exists'
  | 'CorruptRun'
  | 'CorruptDataset'
  | 'BadTransition'
  | 'ConfigLocked'
  | 'CorruptLog'
  | 'RecordTooLarge'
  | 'CorruptCheckpoint'
  | 'ProjectData';

const SENTENCES: Record<StoreErrorCode, string> = {
  RelativePath: 'Choose a full folder path.',
  NotEmpty: 'That folder is not empty; choose an empty or new folder for the project.',
  NotADirectory: 'A file is in the way where a folder was expected.',
  ParentMissing: 'The folder that should contain the project does not exist.',
  NotAProject: 'This folder is not an RNN Lab project (it has no project.json).',
  CorruptProject: 'The project file (project.json) is damaged.',
  UnsupportedVersion: 'This project was saved by a newer RNN Lab; update the app to open it.',
  InvalidName: 'That name cannot be used.',
  InvalidId: 'That identifier is not valid.',
  OutsideProject: 'That path points outside the project folder.',
  NotFound: 'It no longer exists in the project.',
  Exists: 'Something with that identifier already exists.',
  CorruptRun: 'This run is damaged and cannot be opened.',
  CorruptDataset: 'This dataset is damaged and cannot be opened.',
  BadTransition: 'The run cannot move to that state from its current one.',
  ConfigLocked: 'The run has started; its configuration can no longer change.',
  CorruptLog: 'The log file is not an RNN Lab log.',
  RecordTooLarge: 'A log record is larger than allowed.',
  CorruptCheckpoint: 'The checkpoint is damaged.',
  ProjectData: 'That file belongs to an RNN Lab project; writing there would replace its data. Choose another place.',
};

/** How a damaged file of a run or dataset is damaged (the `reason` detail), completing "run.json …". */
const REASONS: Record<string, string> = {
  Missing: 'is missing',
  InvalidJson: 'is not valid JSON',
  InvalidSchema: 'does not hold the fields RNN Lab expects',
  IdMismatch: 'belongs to another item (its id differs)',
  SizeMismatch: 'no longer has the size it had when imported',
  NotAFile: 'is not a regular file',
  NotALog: 'does not start like an RNN Lab log',
  Unreadable: 'cannot be read',
};

const DAMAGED: Partial<Record<StoreErrorCode, string>> = {
  CorruptRun: 'This run is damaged',
  CorruptDataset: 'This dataset is damaged',
  CorruptLog: "This run's log is damaged",
};

/** The sentence names the damaged file when the details say which one ("This run is damaged: run.json is not valid JSON."). */
function sentence(code: StoreErrorCode, details: Record<string, unknown> | undefined): string {
  if (code === 'ProjectData' && typeof details?.path === 'string' && typeof details.projectDir === 'string') {
    return `${details.path} is part of the RNN Lab project in ${details.projectDir}; writing there would replace its data. Choose a place outside its project.json, datasets, runs and sweeps.`;
  }
  const prefix = DAMAGED[code];
  const file = details?.file;
  if (prefix === undefined || typeof file !== 'string') return SENTENCES[code];
  const reason = typeof details?.reason === 'string' ? REASONS[details.reason] : undefined;
  return `${prefix}: ${file} ${reason ?? 'is damaged'}.`;
}

/** A project-store failure: a stable code for tests and the UI, and the paths/ids involved. */
export class StoreError extends AppError {
  declare readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, details?: Record<string, unknown>, cause?: unknown) {
    super(code, sentence(code, details), details);
    this.name = 'StoreError';
    if (cause !== undefined) this.cause = cause;
  }
}
