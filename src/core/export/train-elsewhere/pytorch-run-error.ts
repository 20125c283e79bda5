import { AppError } from '../../../shared/errors';

/**
 * A "Train elsewhere" folder that cannot be imported (or a run that cannot be exported as one).
 * `details.file` names the file, `details.line` the 1-based line of metrics.jsonl where there is one.
 *
 * NotATextRun (export), MissingFile, InvalidConfigFile, VocabMismatch, NoMetrics, TornMetrics,
 * InvalidMetrics, MissingCheckpoint, InvalidCheckpoint, CheckpointMismatch.
 */
export type PytorchRunErrorCode =
  | 'NotATextRun'
  | 'MissingFile'
  | 'InvalidConfigFile'
  | 'VocabMismatch'
  | 'NoMetrics'
  | 'TornMetrics'
  | 'InvalidMetrics'
  | 'MissingCheckpoint'
  | 'InvalidCheckpoint'
  | 'CheckpointMismatch';

export class PytorchRunError extends AppError {
  declare readonly code: PytorchRunErrorCode;

  constructor(code: PytorchRunErrorCode, message: string, details: Record<string, unknown>) {
    super(code, message, details);
    this.name = 'PytorchRunError';
  }
}
