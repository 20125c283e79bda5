import { AppError } from '../../../shared/errors';

/**
 * Code `KernelHelperStopped`: a helper thread that shares the kernel calls of a run exited (it was
 * killed, or its runtime failed) while the run still counted on it. The run cannot go on with those
 * threads; its last checkpoint is intact.
 */
export class KernelHelperError extends AppError {
  constructor(helper: number, exitCode: number) {
    super(
      'KernelHelperStopped',
      `a kernel helper thread stopped (helper ${helper + 1}, exit code ${exitCode}) while training counted on it, so the run cannot go on. Resume it to continue from its last checkpoint.`,
      { helper, exitCode },
    );
    this.name = 'KernelHelperError';
  }
}
