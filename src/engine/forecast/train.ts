import { clipGradNorm } from '../optim/clip';
import { createOptimizer, type OptimizerConfig } from '../optim/create';
import type { Rng } from '../rng';
import type { ForecastModel, ForecastWorkspace } from './forecast-model';
import { SeriesError, shuffledBatches, type SeriesWindows } from './series';

export interface ForecastTrainOptions {
  epochs: number;
  batchSize: number;
  optimizer: OptimizerConfig;
  /** Global gradient-norm threshold (d2l's grad_clipping); omitted means no clipping. */
  clip?: number;
  /** Shuffles the windows each epoch (and draws dropout masks). */
  rng: Rng;
}

export interface ForecastEpoch {
  epoch: number;
  /** Mean normalised MSE over the epoch's windows. */
  trainLoss: number;
}

/**
 * Minibatch training on shuffled windows with MSE at the last step, the engine's optimizers and
 * clipping. Each window starts from a zero state (windows are independent, as in d2l).
 */
export function trainForecaster(
  model: ForecastModel<Float32Array>, windows: SeriesWindows, trainStarts: Int32Array, options: ForecastTrainOptions,
  onEpoch?: (e: ForecastEpoch) => void,
): ForecastEpoch[] {
  if (!Number.isInteger(options.epochs) || options.epochs < 1) throw new SeriesError(`epochs must be a positive integer, got ${options.epochs}`);
  if (trainStarts.length === 0) throw new SeriesError('there are no training windows');
  const { window: W, features: F } = windows;
  const O = windows.targets.length;
  const optimizer = createOptimizer(model.params, model.grads, options.optimizer);
  const workspaces = new Map<number, { ws: ForecastWorkspace<Float32Array>; x: Float32Array; y: Float32Array }>();
  const history: ForecastEpoch[] = [];
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    let total = 0;
    for (const batch of shuffledBatches(trainStarts, options.batchSize, options.rng)) {
      const B = batch.length;
      let slot = workspaces.get(B);
      if (slot === undefined) {
        slot = { ws: model.createWorkspace(W, B), x: new Float32Array(W * B * F), y: new Float32Array(B * O) };
        workspaces.set(B, slot);
      }
      windows.fill(batch, 0, B, slot.x, slot.y);
      model.zeroGrads();
      const loss = slot.ws.forward(slot.x, { targets: slot.y, training: true, rng: options.rng });
      if (!Number.isFinite(loss)) throw new SeriesError(`training diverged in epoch ${epoch}: the loss is ${loss}`);
      slot.ws.backward();
      if (options.clip !== undefined) clipGradNorm(model.grads, options.clip);
      optimizer.step();
      total += loss * B;
    }
    const record = { epoch, trainLoss: total / trainStarts.length };
    history.push(record);
    onEpoch?.(record);
  }
  return history;
}
