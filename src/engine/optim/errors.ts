import { AppError } from '../../shared/errors';

/** Codes: `InvalidOption` (a hyperparameter out of range), `ParamMismatch` (params and grads or a saved state disagree). */
export type OptimErrorCode = 'InvalidOption' | 'ParamMismatch';

export class OptimError extends AppError {
  constructor(code: OptimErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, message, details);
    this.name = 'OptimError';
  }
}
