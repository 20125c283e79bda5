import type { FloatArray } from '../tensor';

/**
 * One layer's parameters (or their gradients) in PyTorch layout, as views of the model's tensors:
 * wIh (G·H, I), wHh (G·H, H), bIh (G·H), bHh (G·H), with G = 1 (RNN), 3 (GRU r,z,n), 4 (LSTM i,f,g,o).
 */
export interface CellWeights<A extends FloatArray = FloatArray> {
  wIh: A;
  wHh: A;
  bIh: A;
  bHh: A;
}

export type CellKind = 'rnn' | 'gru' | 'lstm';
export type Nonlinearity = 'tanh' | 'relu';

/** Gate blocks per cell: rows of weight_ih / weight_hh are gates × H. */
export function gateCount(cell: CellKind): number {
  return cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
}
