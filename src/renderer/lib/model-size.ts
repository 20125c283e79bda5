/**
 * What a run configuration costs before it runs: parameters and memory (the time is measured
 * on this machine by `runs:estimate`). The parameter count follows PyTorch's layout (DESIGN.md): per layer
 * `weight_ih (gates·H, I)`, `weight_hh (gates·H, H)` and two biases of gates·H, then the output
 * layer `(V, H) + V` and an optional embedding `(V, E)`.
 */
import type { RunConfig } from '../../shared/run-config';

type Cell = RunConfig['cell'];
export const GATES: Record<Cell, number> = { rnn: 1, gru: 3, lstm: 4 };

export interface SizeInput {
  cell: Cell;
  numLayers: number;
  hiddenSize: number;
  embeddingDim: number;
  vocabSize: number;
}

export interface ParameterBreakdown {
  embedding: number;
  layers: number[];
  output: number;
  total: number;
}

export function parameterCount(c: SizeInput): ParameterBreakdown {
  const g = GATES[c.cell];
  const H = c.hiddenSize;
  const V = c.vocabSize;
  const embedding = c.embeddingDim > 0 ? V * c.embeddingDim : 0;
  const layers: number[] = [];
  for (let l = 0; l < c.numLayers; l++) {
    const I = l === 0 ? (c.embeddingDim > 0 ? c.embeddingDim : V) : H;
    layers.push(g * H * (I + H + 2));
  }
  const output = V * H + V;
  return { embedding, layers, output, total: embedding + output + layers.reduce((a, b) => a + b, 0) };
}

export interface MemoryInput extends SizeInput {
  optimizer: RunConfig['optimizer'];
  momentum: number;
  numSteps: number;
  batchSize: number;
}

export interface MemoryEstimate {
  parameters: number;
  gradients: number;
  optimizer: number;
  activations: number;
  total: number;
}

/** Optimizer state per parameter: SGD's velocity, Adam's two moments, RMSprop's square average (+ velocity). */
export function optimizerSlots(optimizer: RunConfig['optimizer'], momentum: number): number {
  if (optimizer === 'adam' || optimizer === 'adamw') return 2;
  if (optimizer === 'rmsprop') return momentum > 0 ? 2 : 1;
  return momentum > 0 ? 1 : 0;
}

/**
 * float32 bytes. Activations are what BPTT keeps for the backward pass over T steps of B
 * sequences: the input, each layer's gate activations and hidden state (plus the cell state and
 * tanh(C) for an LSTM), and the logits with their gradient.
 */
export function memoryEstimate(c: MemoryInput): MemoryEstimate {
  const P = parameterCount(c).total;
  const H = c.hiddenSize;
  const input = c.embeddingDim > 0 ? c.embeddingDim : c.vocabSize;
  const perLayer = GATES[c.cell] * H + H + (c.cell === 'lstm' ? 2 * H : 0);
  const perToken = input + c.numLayers * perLayer + 2 * c.vocabSize;
  const activations = 4 * c.numSteps * c.batchSize * perToken;
  const parameters = 4 * P;
  const gradients = 4 * P;
  const optimizer = 4 * P * optimizerSlots(c.optimizer, c.momentum);
  return { parameters, gradients, optimizer, activations, total: parameters + gradients + optimizer + activations };
}
