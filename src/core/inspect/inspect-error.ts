import { AppError } from '../../shared/errors';

export type InspectErrorCode = 'TooManyTokens' | 'OutOfRange' | 'UnknownToken' | 'JobRunning' | 'Cancelled';

/** A request the inspector cannot answer as asked: a code, and a sentence naming the field. */
export class InspectError extends AppError {
  declare readonly code: InspectErrorCode;

  constructor(code: InspectErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, message, details);
    this.name = 'InspectError';
  }
}
