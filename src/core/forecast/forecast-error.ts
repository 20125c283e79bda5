import { AppError } from '../../shared/errors';

/**
 * A forecast run that cannot be set up or loaded, with the config field it concerns
 * (`details.field`: 'data', 'target', 'covariates', 'window', 'run', 'checkpoint', …) so the
 * command line names its flag and the app its form field. The message is a whole sentence
 * naming the column and row where there is one.
 *
 * Data refusals (series-source.ts): NoNumericColumn, UnknownColumn, NotNumericColumn,
 * DuplicateColumn, NotTimeColumn (the time column holds neither dates nor numbers), AllMissing (a used column
 * with no value), MissingValue (policy `refuse`, or a missing time), NonMonotonicTime (the time
 * column does not strictly increase; names the row, line and both times), TooFewRows.
 */
export type ForecastErrorCode =
  | 'NoNumericColumn'
  | 'UnknownColumn'
  | 'NotNumericColumn'
  | 'DuplicateColumn'
  | 'MissingValue'
  | 'AllMissing'
  | 'TooFewRows'
  | 'NonMonotonicTime'
  | 'NotTimeColumn'
  | 'NotAForecastRun'
  | 'NoCheckpoint'
  | 'CorruptForecastRun';

export class ForecastError extends AppError {
  declare readonly code: ForecastErrorCode;

  constructor(code: ForecastErrorCode, message: string, field: string, details: Record<string, unknown> = {}) {
    super(code, message, { field, ...details });
    this.name = 'ForecastError';
  }

  get field(): string {
    return String(this.details?.field ?? '');
  }
}
