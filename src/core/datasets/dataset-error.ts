import { AppError } from '../../shared/errors';

export type DatasetErrorCode =
  | 'NotFound'
  | 'NotAFile'
  | 'Empty'
  | 'TooLarge'
  | 'Binary'
  | 'InvalidUtf8'
  | 'InvalidUtf16'
  | 'LineTooLong'
  | 'UnclosedQuote'
  | 'MalformedQuote'
  | 'RaggedRow'
  | 'NonNumericCell'
  | 'NonFiniteCell'
  | 'NoRows'
  | 'NoNumericColumns';

const SENTENCES: Record<DatasetErrorCode, string> = {
  NotFound: 'The file to import does not exist.',
  NotAFile: 'Only files can be imported, not folders.',
  Empty: 'The file is empty.',
  TooLarge: 'The file is larger than the import limit.',
  Binary: 'This looks like a binary file, not text.',
  InvalidUtf8: 'The file is not valid UTF-8 text.',
  InvalidUtf16: 'The file is not valid UTF-16 text.',
  LineTooLong: 'A line of the CSV file is longer than allowed.',
  UnclosedQuote: 'A quoted CSV field is never closed.',
  MalformedQuote: 'A CSV field has a quote where none can be (inside an unquoted field, or text after a closing quote).',
  RaggedRow: 'A CSV row has a different number of columns than the first row.',
  NonNumericCell: 'A CSV cell in a numeric column is not a number.',
  NonFiniteCell: 'A CSV cell holds an infinite value, which cannot be trained on.',
  NoRows: 'The CSV file has no data rows.',
  NoNumericColumns: 'The CSV file has no numeric column.',
};

/** An import failure, e.g. `DatasetError('InvalidUtf8', { byteOffset })`. */
export class DatasetError extends AppError {
  declare readonly code: DatasetErrorCode;

  constructor(code: DatasetErrorCode, details?: Record<string, unknown>) {
    super(code, SENTENCES[code], details);
    this.name = 'DatasetError';
  }
}
