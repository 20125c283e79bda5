import type { Kernels } from '../kernels/kernels';
import type { FloatArray, NamedTensors } from '../tensor';
import { Adam, AdamW, type AdamOptions } from './adam';
import { OptimError } from './errors';
import type { Optimizer } from './optimizer';
import { Rmsprop, type RmspropOptions } from './rmsprop';
import { Sgd, type SgdOptions } from './sgd';

export type OptimizerConfig =
  | ({ kind: 'sgd' } & SgdOptions)
  | ({ kind: 'adam' } & AdamOptions)
  | ({ kind: 'adamw' } & AdamOptions)
  | ({ kind: 'rmsprop' } & RmspropOptions);

/** `kernels`: where the update runs (the model's, so a WebAssembly model updates in WebAssembly); TypeScript by default. */
export function createOptimizer<A extends FloatArray>(params: NamedTensors<A>, grads: NamedTensors<A>, config: OptimizerConfig, kernels?: Kernels): Optimizer<A> {
  switch (config.kind) {
    case 'sgd':
      return new Sgd(params, grads, config, kernels);
    case 'adam':
      return new Adam(params, grads, config);
    case 'adamw':
      return new AdamW(params, grads, config);
    case 'rmsprop':
      return new Rmsprop(params, grads, config);
    default:
      throw new OptimError('InvalidOption', 'Unknown optimizer.', { kind: (config as { kind: unknown }).kind });
  }
}
