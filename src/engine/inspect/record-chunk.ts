/**
 * One forward pass over a run of token ids that keeps what a person inspects: per layer h_t,
 * c_t (LSTM) and the activated gates (LSTM i f g o, GRU r z n) at every step, copied out of the
 * workspace as (steps × H) float32 matrices, rows = time steps. The state is carried in `state`,
 * so a long text is recorded chunk by chunk with the same numbers as one pass.
 */
import { gateCount } from '../cells/cell-weights';
import type { RnnModel } from '../model/rnn-model';
import type { RecurrentState } from '../model/state';
import type { Workspace } from '../model/workspace';
import type { FloatArray } from '../tensor';

export const GATE_ORDER = { rnn: [], gru: ['r', 'z', 'n'], lstm: ['i', 'f', 'g', 'o'] } as const;

export interface LayerRecord {
  /** (steps, H) h_1…h_steps. */
  h: Float32Array<ArrayBuffer>;
  /** (steps, H) c_1…c_steps, LSTM only. */
  c: Float32Array<ArrayBuffer> | null;
  /** (steps, H) each, in GATE_ORDER of the cell; empty for RNN. */
  gates: Float32Array<ArrayBuffer>[];
}

export interface ChunkRecord {
  steps: number;
  layers: LayerRecord[];
}

/**
 * Runs `ids[0…steps)` through `ws` (batch 1) from `state`, leaves the final state in `state`, and
 * returns the recorded activations (gates only when `withGates`). `ws.logits` then holds the
 * (steps, V) next-token logits.
 */
export function recordChunk<A extends FloatArray>(model: RnnModel<A>, ws: Workspace<A>, ids: Int32Array, steps: number, state: RecurrentState<A>, withGates = true): ChunkRecord {
  if (ws.batch !== 1) throw new RangeError(`the inspector runs one sequence (batch 1), got a workspace of batch ${ws.batch}`);
  ws.forward(ids, { initial: state, final: state, numSteps: steps });
  const { cell, hiddenSize: H, numLayers: L } = model.config;
  const G = gateCount(cell);
  const layers: LayerRecord[] = [];
  for (let l = 0; l < L; l++) {
    const h = Float32Array.from(ws.hidden(l).subarray(H, (steps + 1) * H));
    const cAll = ws.cell(l);
    const c = cAll ? Float32Array.from(cAll.subarray(H, (steps + 1) * H)) : null;
    const gates: Float32Array<ArrayBuffer>[] = [];
    if (cell !== 'rnn' && withGates) {
      // a row of the gate buffer is [gate 0 (H) | gate 1 (H) | …]: split it into one matrix per gate
      const all = ws.gates(l);
      for (let g = 0; g < G; g++) {
        const m = new Float32Array(steps * H);
        for (let t = 0; t < steps; t++) m.set(all.subarray(t * G * H + g * H, t * G * H + (g + 1) * H), t * H);
        gates.push(m);
      }
    }
    layers.push({ h, c, gates });
  }
  return { steps, layers };
}
