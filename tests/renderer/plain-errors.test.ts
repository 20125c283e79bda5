import { describe, expect, it } from 'vitest';
import { BridgeError } from '../../src/renderer/bridge';
import { plainError } from '../../src/renderer/lib/plain-errors';

describe('plain errors for training', () => {
  it('says a resume with damaged checkpoints is refused, naming the run, rather than showing the raw code', () => {
    const err = new BridgeError({ code: 'NoCheckpoint', message: 'raw', details: { runId: 'r-1', runName: 'gru tiny', damaged: 2 } });
    expect(plainError(err)).toBe('“gru tiny” cannot be resumed: its saved checkpoints are damaged and cannot be read. Resuming would quietly train it again from the very beginning, so RNN Lab does not. Start a new run with the same settings instead.');
  });

  it('says so when the checkpoints are gone, and keeps the generation sentence for a run without weights', () => {
    const gone = new BridgeError({ code: 'NoCheckpoint', message: 'raw', details: { runId: 'r-1', runName: '', damaged: 0 } });
    expect(plainError(gone)).toMatch(/^“r-1” cannot be resumed: its checkpoints are missing/);
    const generation = new BridgeError({ code: 'NoCheckpoint', message: 'This run has not saved a checkpoint yet; generation needs trained weights.' });
    expect(plainError(generation)).toBe('This run has not saved a checkpoint yet; generation needs trained weights.');
  });
});
