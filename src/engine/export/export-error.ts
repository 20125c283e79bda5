import { AppError } from '../../shared/errors';

/** Why an export could not be built or an import was refused; details name the tensor or field. */
export type ExportErrorCode =
  | 'InvalidConfig'
  | 'InvalidVocab'
  | 'VocabSizeMismatch'
  | 'MissingTensor'
  | 'UnexpectedTensor'
  | 'ShapeMismatch'
  | 'DtypeMismatch'
  | 'NonFiniteWeight'
  | 'InvalidJson'
  | 'UnsupportedFormat'
  | 'UnreadableFile'
  | 'NotAFile'
  | 'FileTooLarge'
  | 'InvalidWeightsFile'
  | 'WouldOverwrite';

const SENTENCES: Record<ExportErrorCode, string> = {
  InvalidConfig: 'The model configuration (config.json) is not one RNN Lab can build.',
  InvalidVocab: 'The vocabulary file (vocab.json) is not valid.',
  VocabSizeMismatch: 'The vocabulary does not have as many tokens as the model has inputs and outputs.',
  MissingTensor: 'The weights file lacks a tensor the model needs.',
  UnexpectedTensor: 'The weights file has a tensor the model does not have.',
  ShapeMismatch: 'A tensor in the weights file has a different shape than the model expects.',
  DtypeMismatch: 'A tensor in the weights file is not stored as 32- or 64-bit floats.',
  NonFiniteWeight: 'A weight is not a finite number (the model diverged), so it cannot be exported.',
  InvalidJson: 'The file is not a valid RNN Lab model export.',
  UnsupportedFormat: 'That export format is not supported.',
  UnreadableFile: 'A file to import could not be read.',
  NotAFile: 'A file to import is not a regular file (a folder, a device or a pipe).',
  FileTooLarge: 'A file to import is larger than RNN Lab reads.',
  InvalidWeightsFile: 'The weights file is not a safetensors file RNN Lab can read.',
  WouldOverwrite: 'The export would overwrite a file that is not part of it.',
};

export class ExportError extends AppError {
  declare readonly code: ExportErrorCode;

  constructor(code: ExportErrorCode, details?: Record<string, unknown>, message?: string) {
    super(code, message ?? SENTENCES[code], details);
    this.name = 'ExportError';
  }
}
