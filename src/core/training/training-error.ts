import { AppError } from '../../shared/errors';

/**
 * Codes: `NotRunning` (pause/stop of a run that is not training), `AlreadyActive` (start or
 * resume of a run that is already training or waiting), `NotStartable` (start of a run that is
 * not queued), `NotResumable` (resume of a run in a state that cannot continue), `Busy` (a
 * single step while the run trains), `ShuttingDown` (the app is quitting), `NoCheckpoint` (a resume of a
 * run whose checkpoints are damaged or gone), `Unresponsive` (a trainer that did not answer a command in time),
 * `InvalidSetting` (a resume's epoch total or learning rate outside the run's ranges; `details.field` names it).
 */
export type TrainingErrorCode = 'NotRunning' | 'AlreadyActive' | 'NotStartable' | 'NotResumable' | 'Busy' | 'ShuttingDown' | 'ImportedRun' | 'NoCheckpoint' | 'Unresponsive' | 'InvalidSetting';

export class TrainingError extends AppError {
  declare readonly code: TrainingErrorCode;

  constructor(code: TrainingErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, message, details);
    this.name = 'TrainingError';
  }
}
