import { gateCount, type CellKind, type Nonlinearity } from '../cells/cell-weights';

/** A language model: [embedding or one-hot] → stacked recurrent layers → linear output (d2l 9.6, 10.3). */
export interface ModelConfig {
  cell: CellKind;
  vocabSize: number;
  /** 0 feeds one-hot vectors (d2l's from-scratch models); > 0 adds an nn.Embedding. */
  embeddingDim: number;
  hiddenSize: number;
  numLayers: number;
  /** Used by cell 'rnn' only, as in nn.RNN. */
  nonlinearity: Nonlinearity;
  /** Inverted dropout on the outputs of every layer but the last (nn.RNN semantics), in [0, 1). */
  dropout: number;
}

export class ModelConfigError extends RangeError {
  constructor(readonly field: keyof ModelConfig, message: string) {
    super(message);
    this.name = 'ModelConfigError';
  }
}

export function validateModelConfig(c: ModelConfig): void {
  const positive = (field: 'vocabSize' | 'hiddenSize' | 'numLayers') => {
    if (!Number.isInteger(c[field]) || c[field] < 1) throw new ModelConfigError(field, `${field} must be a positive integer, got ${c[field]}`);
  };
  if (c.cell !== 'rnn' && c.cell !== 'gru' && c.cell !== 'lstm') throw new ModelConfigError('cell', `unknown cell ${String(c.cell)}`);
  positive('vocabSize');
  positive('hiddenSize');
  positive('numLayers');
  if (!Number.isInteger(c.embeddingDim) || c.embeddingDim < 0) throw new ModelConfigError('embeddingDim', `embeddingDim must be 0 (one-hot) or a positive integer, got ${c.embeddingDim}`);
  if (c.nonlinearity !== 'tanh' && c.nonlinearity !== 'relu') throw new ModelConfigError('nonlinearity', `nonlinearity must be tanh or relu, got ${String(c.nonlinearity)}`);
  if (!(c.dropout >= 0 && c.dropout < 1)) throw new ModelConfigError('dropout', `dropout must be in [0, 1), got ${c.dropout}`);
}

/** Width of layer k's input: the embedding (or one-hot) for layer 0, the hidden state above it. */
export function layerInputSize(c: ModelConfig, layer: number): number {
  if (layer > 0) return c.hiddenSize;
  return c.embeddingDim > 0 ? c.embeddingDim : c.vocabSize;
}

/** Parameter names and shapes exactly as the PyTorch module's state_dict, in its order. */
export function parameterShapes(c: ModelConfig): Array<[string, number[]]> {
  const G = gateCount(c.cell) * c.hiddenSize;
  const H = c.hiddenSize;
  const out: Array<[string, number[]]> = [];
  if (c.embeddingDim > 0) out.push(['embedding.weight', [c.vocabSize, c.embeddingDim]]);
  for (let k = 0; k < c.numLayers; k++) {
    out.push([`rnn.weight_ih_l${k}`, [G, layerInputSize(c, k)]]);
    out.push([`rnn.weight_hh_l${k}`, [G, H]]);
    out.push([`rnn.bias_ih_l${k}`, [G]]);
    out.push([`rnn.bias_hh_l${k}`, [G]]);
  }
  out.push(['output.weight', [c.vocabSize, H]]);
  out.push(['output.bias', [c.vocabSize]]);
  return out;
}
