import { AppError } from '../../shared/errors';

/**
 * Codes: `InvalidOption` (a setting out of range), `InvalidState` (a saved training state that is
 * damaged or of another format), `StateMismatch` (a saved state from another configuration or
 * corpus), `Diverged` (training asked to continue after a non-finite step), `NoValidationData`.
 */
export type TrainErrorCode = 'InvalidOption' | 'InvalidState' | 'StateMismatch' | 'Diverged' | 'NoValidationData';

export class TrainError extends AppError {
  constructor(code: TrainErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, message, details);
    this.name = 'TrainError';
  }
}
