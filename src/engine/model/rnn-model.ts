import type { CellWeights } from '../cells/cell-weights';
import type { Kernels } from '../kernels/kernels';
import { tsKernels } from '../kernels/ts-kernels';
import type { Rng } from '../rng';
import { copyTensorsInto, countValues, sizeOf, tensorData, type FloatArray, type NamedTensors } from '../tensor';
import { parameterShapes, validateModelConfig, type ModelConfig } from './config';
import { initParameters, type InitScheme } from './init';
import { createRecurrentState, type RecurrentState } from './state';
import { Workspace } from './workspace';

export interface ModelOptions<A extends FloatArray> {
  /** Float32Array for training, Float64Array for gradient checks and references. */
  dtype: new (length: number) => A;
  kernels?: Kernels;
  /**
   * Where every parameter, gradient and workspace buffer comes from (default `new dtype(length)`).
   * A WebAssembly kernel set passes views of its linear memory here.
   */
  allocate?: (length: number) => A;
  /** When given, parameters are initialised from it; otherwise they start at zero (e.g. before loading). */
  rng?: Rng;
  init?: InitScheme;
}

/**
 * Parameters and gradients of an embedding/one-hot → RNN/GRU/LSTM stack → linear language model,
 * named and shaped like the PyTorch module (children `embedding`, `rnn`, `output`).
 * The tensors are fixed for the model's lifetime: load weights with `loadParameters` (or
 * `params.get(name)!.data.set(...)`), never by replacing a tensor, because workspaces hold views.
 * Gradients accumulate; call `zeroGrads()` before each backward.
 */
export class RnnModel<A extends FloatArray = Float32Array> {
  readonly config: ModelConfig;
  readonly dtype: new (length: number) => A;
  readonly kernels: Kernels;
  readonly params: NamedTensors<A>;
  readonly grads: NamedTensors<A>;
  /** Per layer, views of params / grads. */
  readonly layers: CellWeights<A>[];
  readonly layerGrads: CellWeights<A>[];
  /** Allocates a zeroed buffer of the model's dtype (see `ModelOptions.allocate`). */
  readonly allocate: (length: number) => A;
  private readonly scratch = new Map<string, Workspace<A>>();

  constructor(config: ModelConfig, options: ModelOptions<A>) {
    validateModelConfig(config);
    this.config = { ...config };
    this.dtype = options.dtype;
    this.kernels = options.kernels ?? tsKernels;
    const dtype = options.dtype;
    // a float32 model takes its buffers from the kernels when they say where those must live
    const fromKernels = (dtype as unknown) === Float32Array ? this.kernels.allocateFloat32 : undefined;
    this.allocate = options.allocate ?? (fromKernels as ((length: number) => A) | undefined) ?? ((length: number) => new dtype(length));
    this.params = new Map();
    this.grads = new Map();
    for (const [name, shape] of parameterShapes(config)) {
      this.params.set(name, { shape: [...shape], data: this.allocate(sizeOf(shape)) });
      this.grads.set(name, { shape: [...shape], data: this.allocate(sizeOf(shape)) });
    }
    const views = (m: NamedTensors<A>, k: number): CellWeights<A> => ({
      wIh: m.get(`rnn.weight_ih_l${k}`)!.data,
      wHh: m.get(`rnn.weight_hh_l${k}`)!.data,
      bIh: m.get(`rnn.bias_ih_l${k}`)!.data,
      bHh: m.get(`rnn.bias_hh_l${k}`)!.data,
    });
    this.layers = Array.from({ length: config.numLayers }, (_, k) => views(this.params, k));
    this.layerGrads = Array.from({ length: config.numLayers }, (_, k) => views(this.grads, k));
    if (options.rng) this.initialize(options.rng, options.init ?? 'pytorch');
  }

  initialize(rng: Rng, scheme: InitScheme = 'pytorch'): void {
    initParameters(this.params, this.config, rng, scheme);
  }

  param(name: string): A {
    return tensorData(this.params, name);
  }

  grad(name: string): A {
    return tensorData(this.grads, name);
  }

  zeroGrads(): void {
    for (const t of this.grads.values()) t.data.fill(0);
  }

  parameterCount(): number {
    return countValues(this.params);
  }

  /** Copy values into the parameters; every name must exist with the same shape. Missing names throw unless `partial`. */
  loadParameters(source: ReadonlyMap<string, { shape: readonly number[]; data: ArrayLike<number> }>, partial = false): void {
    copyTensorsInto(this.params, source, partial);
  }

  /** A zero state (h and, for LSTM, c) of shape (L, batch, H). */
  createState(batch: number): RecurrentState<A> {
    return createRecurrentState(this.dtype, this.config.numLayers, batch, this.config.hiddenSize, this.config.cell === 'lstm');
  }

  /** Buffers for forward + BPTT over up to `numSteps` steps of exactly `batch` sequences, allocated once. */
  createWorkspace(numSteps: number, batch: number): Workspace<A> {
    return new Workspace(this, numSteps, batch);
  }

  /**
   * A workspace the model keeps for passes that begin and end within one synchronous call
   * (sampling, scoring): made once per shape, so calling them a thousand times allocates nothing
   * more. That matters because a WebAssembly kernel set's memory never frees. Its contents belong
   * to whichever call used it last; never hold it across two calls.
   */
  scratchWorkspace(numSteps: number, batch: number): Workspace<A> {
    const key = `${numSteps}x${batch}`;
    let ws = this.scratch.get(key);
    if (ws === undefined) {
      ws = new Workspace(this, numSteps, batch);
      this.scratch.set(key, ws);
    }
    return ws;
  }
}
