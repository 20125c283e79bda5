import { AppError } from '../../shared/errors';

/** Codes: `CorpusTooShort` (not one minibatch fits), `InvalidOption`, `InvalidPosition` (a saved iterator position that does not fit). */
export type DataErrorCode = 'CorpusTooShort' | 'InvalidOption' | 'InvalidPosition';

export class DataError extends AppError {
  constructor(code: DataErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, message, details);
    this.name = 'DataError';
  }
}
