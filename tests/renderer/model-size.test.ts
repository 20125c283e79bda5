import { describe, expect, it } from 'vitest';
import { memoryEstimate, parameterCount } from '../../src/renderer/lib/model-size';
import { importErrorMessage } from '../../src/renderer/lib/plain-errors';
import { BridgeError } from '../../src/renderer/bridge';
import { formatDuration, formatNumber } from '../../src/renderer/lib/format';

describe('parameter count', () => {
  it('matches PyTorch for d2l 8.6: nn.RNN(28, 256) plus a Linear(256, 28) head', () => {
    // weight_ih 256×28 + weight_hh 256×256 + 2 biases 256, then 28×256 + 28.
    const p = parameterCount({ cell: 'rnn', numLayers: 1, hiddenSize: 256, embeddingDim: 0, vocabSize: 28 });
    expect(p.layers[0]).toBe(256 * 28 + 256 * 256 + 2 * 256);
    expect(p.output).toBe(28 * 256 + 28);
    expect(p.total).toBe(80_412);
  });

  it('counts gates, stacked layers and an embedding', () => {
    const p = parameterCount({ cell: 'lstm', numLayers: 2, hiddenSize: 8, embeddingDim: 4, vocabSize: 10 });
    expect(p.embedding).toBe(40);
    expect(p.layers).toEqual([4 * 8 * (4 + 8 + 2), 4 * 8 * (8 + 8 + 2)]);
    expect(parameterCount({ cell: 'gru', numLayers: 1, hiddenSize: 8, embeddingDim: 0, vocabSize: 10 }).layers[0]).toBe(3 * 8 * (10 + 8 + 2));
  });
});

describe('memory estimate', () => {
  const base = { cell: 'rnn' as const, numLayers: 1, hiddenSize: 256, embeddingDim: 0, vocabSize: 28, numSteps: 35, batchSize: 32, momentum: 0 };
  it('adds two moments per parameter for Adam and none for plain SGD', () => {
    const sgd = memoryEstimate({ ...base, optimizer: 'sgd' });
    const adam = memoryEstimate({ ...base, optimizer: 'adam' });
    expect(sgd.optimizer).toBe(0);
    expect(adam.optimizer).toBe(2 * 4 * 80_412);
    expect(sgd.parameters).toBe(4 * 80_412);
    expect(adam.total - sgd.total).toBe(adam.optimizer);
  });

  it('grows activations linearly with T × B', () => {
    const a = memoryEstimate({ ...base, optimizer: 'sgd' }).activations;
    const b = memoryEstimate({ ...base, optimizer: 'sgd', numSteps: 70 }).activations;
    expect(b).toBe(2 * a);
  });
});

describe('plain words', () => {
  it('explains an invalid UTF-8 byte with its position and what to do', () => {
    const m = importErrorMessage(new BridgeError({ code: 'InvalidUtf8', message: 'x', details: { byteOffset: 1234 } }));
    expect(m).toMatch(/not valid UTF-8/);
    expect(m).toMatch(/1,234/);
    expect(m).toMatch(/re-save it as UTF-8/);
  });
  it('names the line of a ragged CSV row and the column counts', () => {
    const m = importErrorMessage(new BridgeError({ code: 'RaggedRow', message: 'x', details: { line: 17, expected: 3, found: 4 } }));
    expect(m).toMatch(/line 17/);
    expect(m).toMatch(/4 columns where the header has 3/);
  });
  it('explains binary, empty and too-large files', () => {
    expect(importErrorMessage(new BridgeError({ code: 'Binary', message: 'x' }))).toMatch(/binary file/);
    expect(importErrorMessage(new BridgeError({ code: 'Empty', message: 'x' }))).toMatch(/empty/);
    expect(importErrorMessage(new BridgeError({ code: 'TooLarge', message: 'x', details: { bytes: 3 * 1024 ** 3, maxBytes: 1024 ** 3 } }))).toMatch(/3\.0 GB; the limit is 1\.0 GB/);
  });
  it('falls back to the message of an unknown code', () => {
    expect(importErrorMessage(new BridgeError({ code: 'Weird', message: 'Something odd.' }))).toBe('Something odd.');
  });
  it('formats numbers and durations for people', () => {
    expect(formatNumber(12345.6)).toBe('12,346');
    expect(formatNumber(4.2)).toBe('4.2');
    expect(formatNumber(0.00012)).toBe('1.20e-4');
    expect(formatDuration(187)).toBe('3:07');
    expect(formatDuration(3900)).toBe('1 h 05 min');
  });
});
