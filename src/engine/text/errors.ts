import { AppError } from '../../shared/errors';

/** Codes: `InvalidVocab` (a vocabulary file that fails validation), `InvalidOption`. */
export type TextErrorCode = 'InvalidVocab' | 'InvalidOption';

export class TextError extends AppError {
  constructor(code: TextErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, message, details);
    this.name = 'TextError';
  }
}
