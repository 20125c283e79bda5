import { AppError } from '../../shared/errors';

export type DemoErrorCode = 'BundleMissing' | 'BundleDamaged' | 'NotEmpty' | 'TooManyCopies';

const SENTENCES: Record<DemoErrorCode, string> = {
  BundleMissing: 'The demo project is not part of this installation of RNN Lab.',
  BundleDamaged: 'The demo project that came with RNN Lab is damaged; reinstalling the app restores it.',
  NotEmpty: 'The folder for the demo project is not empty; choose an empty or new folder.',
  TooManyCopies: 'There are too many damaged copies of the demo project in the data folder; remove some of them first.',
};

/** A failure to copy or open the bundled demo project: a stable code and a sentence for the UI. */
export class DemoError extends AppError {
  declare readonly code: DemoErrorCode;

  constructor(code: DemoErrorCode, details?: Record<string, unknown>) {
    super(code, SENTENCES[code], details);
    this.name = 'DemoError';
  }
}
