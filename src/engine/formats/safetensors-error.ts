import { AppError } from '../../shared/errors';

/** Why a safetensors file was refused; every check of the format has its own code. */
export type SafetensorsErrorCode =
  | 'Truncated'
  | 'HeaderTooLarge'
  | 'InvalidHeader'
  | 'NotAnObject'
  | 'DuplicateName'
  | 'InvalidName'
  | 'InvalidMetadata'
  | 'InvalidEntry'
  | 'UnsupportedDtype'
  | 'ShapeOverflow'
  | 'SizeMismatch'
  | 'Overlap'
  | 'Gap'
  | 'TrailingBytes'
  | 'MissingTensor'
  | 'UnexpectedTensor'
  | 'ShapeMismatch'
  | 'DtypeMismatch'
  | 'ChecksumMissing'
  | 'ChecksumMismatch'
  | 'NotACheckpoint'
  | 'InvalidTensor'
  | 'UnsafeInteger';

const SENTENCES: Record<SafetensorsErrorCode, string> = {
  Truncated: 'The weights file ends early; it was probably cut off while copying or saving.',
  HeaderTooLarge: 'The weights file declares a header larger than allowed.',
  InvalidHeader: 'The weights file header is not valid JSON.',
  NotAnObject: 'The weights file header is not a JSON object.',
  DuplicateName: 'The weights file names the same tensor twice.',
  InvalidName: 'The weights file contains a tensor with an invalid name.',
  InvalidMetadata: 'The weights file metadata is not a map of strings.',
  InvalidEntry: 'A tensor entry in the weights file is malformed.',
  UnsupportedDtype: 'The weights file uses a number type RNN Lab does not read.',
  ShapeOverflow: 'A tensor shape in the weights file is too large to exist.',
  SizeMismatch: 'A tensor in the weights file does not occupy the bytes its shape requires.',
  Overlap: 'Two tensors in the weights file share bytes.',
  Gap: 'The weights file has unused bytes between tensors.',
  TrailingBytes: 'The weights file has extra bytes after the last tensor.',
  MissingTensor: 'The weights file lacks a tensor the model needs.',
  UnexpectedTensor: 'The weights file has a tensor the model does not have.',
  ShapeMismatch: 'A tensor in the weights file has a different shape than the model expects.',
  DtypeMismatch: 'A tensor in the weights file has a different number type than expected.',
  ChecksumMissing: 'The weights file carries no checksum, so its integrity cannot be verified.',
  ChecksumMismatch: 'The weights file is damaged: its checksum does not match its contents.',
  NotACheckpoint: 'This file is not an RNN Lab checkpoint.',
  InvalidTensor: 'A tensor given for saving is inconsistent (shape and data disagree).',
  UnsafeInteger: 'A 64-bit integer is too large to convert exactly.',
};

export class SafetensorsError extends AppError {
  constructor(
    code: SafetensorsErrorCode,
    details?: Record<string, unknown>,
  ) {
    super(code, SENTENCES[code], details);
    this.name = 'SafetensorsError';
  }

  declare readonly code: SafetensorsErrorCode;
}
