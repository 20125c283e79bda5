import { AppError } from '../../shared/errors';

/**
 * A sweep that cannot be created, read or continued, with a sentence naming the field, file or
 * sweep: InvalidSweep (the config or space; `details.field`), NotFound, CorruptSweep (sweep.json
 * unreadable; names the file and what is wrong), AlreadyRunning, NotRunning, Finished.
 */
export type SweepErrorCode = 'InvalidSweep' | 'NotFound' | 'CorruptSweep' | 'AlreadyRunning' | 'NotRunning' | 'Finished';

export class SweepError extends AppError {
  declare readonly code: SweepErrorCode;

  constructor(code: SweepErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
    this.name = 'SweepError';
  }
}
