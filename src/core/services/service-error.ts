import { AppError } from '../../shared/errors';

export type ServiceErrorCode =
  | 'UnsupportedDataset'
  | 'DatasetNotFound'
  | 'DatasetChanged'
  | 'DatasetInUse'
  | 'EmptyCorpus'
  | 'CorpusTooSmall'
  | 'InvalidConfig'
  | 'CorruptVocabulary'
  | 'RunActive'
  | 'NoCheckpoint'
  | 'CheckpointNotFound'
  | 'CheckpointMismatch'
  | 'CorruptCheckpoint'
  | 'EmptyText'
  | 'TextTooShort'
  | 'NonFiniteOutput'
  | 'ForecastRun';

const SENTENCES: Record<ServiceErrorCode, string> = {
  UnsupportedDataset: 'This dataset is a table of numbers (CSV). Runs train language models on text, so choose a text dataset.',
  DatasetNotFound: 'The dataset this run trains on is no longer in the project.',
  DatasetChanged: 'The dataset no longer holds the text this run was created from.',
  DatasetInUse: 'A run that has not finished still trains on this dataset; finish or delete that run first.',
  EmptyCorpus: 'Nothing is left of the dataset after cleaning and tokenising; try another cleaning or tokenizer.',
  CorpusTooSmall: 'The training text is too short for one minibatch; lower the batch size or the number of steps, or train on more tokens.',
  InvalidConfig: 'The run configuration is not valid.',
  CorruptVocabulary: "The run's vocabulary file (vocab.json) is damaged.",
  RunActive: 'This run is training; pause or stop it first.',
  NoCheckpoint: 'This run has not saved a checkpoint yet; generation needs trained weights.',
  CheckpointNotFound: 'That checkpoint no longer exists in this run.',
  CheckpointMismatch: "The checkpoint's weights do not fit this run's model.",
  CorruptCheckpoint: 'That checkpoint file is damaged; choose another checkpoint of the run.',
  EmptyText: "Nothing is left of the text after the run's cleaning; type something the model can read.",
  TextTooShort: 'Scoring needs at least two tokens: the first one only sets the context.',
  NonFiniteOutput: 'The model produced a non-finite number (its weights have diverged).',
  ForecastRun: 'This is a forecast run; the app shows it in its forecast views, not the text-run views.',
};

/** A failure of the data, runs or generation services: a stable code and a sentence for the UI. */
export class ServiceError extends AppError {
  declare readonly code: ServiceErrorCode;

  constructor(code: ServiceErrorCode, details?: Record<string, unknown>, message?: string) {
    super(code, message ?? SENTENCES[code], details);
    this.name = 'ServiceError';
  }
}
