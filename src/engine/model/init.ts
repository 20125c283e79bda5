import type { Rng } from '../rng';
import type { FloatArray, NamedTensors } from '../tensor';
import type { ModelConfig } from './config';

/**
 * 'pytorch': what the modules do by default — nn.RNN/GRU/LSTM every weight and bias U(−1/√H, 1/√H);
 *   nn.Linear weight and bias U(−1/√fan_in, 1/√fan_in) (kaiming_uniform with a = √5 reduces to that);
 *   nn.Embedding N(0, 1).
 * 'd2l': the from-scratch chapters — every weight matrix (embedding included) N(0, 0.01²), biases 0.
 * Draws follow state_dict order, each tensor row-major, so a seed fixes the model.
 */
export type InitScheme = 'pytorch' | 'd2l';

export function initParameters(params: NamedTensors<FloatArray>, config: ModelConfig, rng: Rng, scheme: InitScheme = 'pytorch'): void {
  for (const [name, t] of params) {
    const d = t.data;
    const isBias = name.includes('bias');
    if (scheme === 'd2l') {
      if (isBias) d.fill(0);
      else for (let i = 0; i < d.length; i++) d[i] = rng.normal(0, 0.01);
    } else if (name === 'embedding.weight') {
      for (let i = 0; i < d.length; i++) d[i] = rng.normal(0, 1);
    } else {
      // nn.RNN bounds by hidden_size; the output Linear's fan_in is hidden_size too
      const bound = 1 / Math.sqrt(config.hiddenSize);
      for (let i = 0; i < d.length; i++) d[i] = rng.uniform(-bound, bound);
    }
  }
}
