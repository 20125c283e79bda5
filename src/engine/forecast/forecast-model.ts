import type { CellKind, Nonlinearity } from '../cells/cell-weights';
import { regressionLossBackward, regressionLossForward, type RegressionLoss } from '../loss';
import { RnnModel, type ModelOptions } from '../model/rnn-model';
import type { RecurrentState } from '../model/state';
import type { Workspace } from '../model/workspace';
import type { Rng } from '../rng';
import { copyTensorsInto, countValues, tensorData, type FloatArray, type NamedTensors } from '../tensor';

/** A forecaster: float feature rows → stacked RNN/GRU/LSTM → linear head on the last step's hidden state. */
export interface ForecastConfig {
  cell: CellKind;
  /** Features per time step (the width of x's last axis). */
  inputSize: number;
  /** Target series predicted (the head outputs outputSize · horizon values). */
  outputSize: number;
  /**
   * Steps ahead predicted at once from one window (default 1). The head is
   * nn.Linear(hiddenSize, outputSize · horizon); output j·horizon + h is target j at h + 1 steps after the window.
   */
  horizon?: number;
  /** Training loss on normalised values (default 'mse'); 'huber' uses δ = 1 as nn.HuberLoss. */
  loss?: RegressionLoss;
  hiddenSize: number;
  numLayers: number;
  /** Used by cell 'rnn' only, as in nn.RNN. */
  nonlinearity: Nonlinearity;
  /** Inverted dropout between recurrent layers (nn.RNN semantics), in [0, 1). */
  dropout: number;
}

/** Values the head outputs per window: outputSize · horizon. */
export function headSize(config: Pick<ForecastConfig, 'outputSize' | 'horizon'>): number {
  return config.outputSize * (config.horizon ?? 1);
}

export class ForecastConfigError extends RangeError {
  constructor(readonly field: keyof ForecastConfig, message: string) {
    super(message);
    this.name = 'ForecastConfigError';
  }
}

function validateForecastConfig(c: ForecastConfig): void {
  for (const field of ['inputSize', 'outputSize', 'hiddenSize', 'numLayers'] as const) {
    if (!Number.isInteger(c[field]) || c[field] < 1) throw new ForecastConfigError(field, `${field} must be a positive integer, got ${c[field]}`);
  }
  if (c.horizon !== undefined && !(Number.isInteger(c.horizon) && c.horizon >= 1)) throw new ForecastConfigError('horizon', `horizon must be a positive integer, got ${c.horizon}`);
  if (c.loss !== undefined && !['mse', 'mae', 'huber'].includes(c.loss)) throw new ForecastConfigError('loss', `loss must be mse, mae or huber, got ${String(c.loss)}`);
}

/**
 * Parameters named and shaped like the PyTorch module with children `rnn` (nn.RNN/GRU/LSTM over
 * x: [seq, batch, inputSize]) and `head` (nn.Linear(hiddenSize, outputSize · horizon)), in state_dict order.
 *
 * It is the language model's machinery with two changes: layer 0 reads float rows (through
 * `Workspace.forwardInputs`, where the embedding's rows would go) and the output layer is the
 * regression head, trained on MSE (or MAE / Huber) at the last step only. The inner RnnModel is built with
 * vocabSize = outputSize · horizon and embeddingDim = inputSize; its embedding table is never read, and
 * `params` / `grads` here leave it out, so optimizers, clipping and exports never see it.
 */
export class ForecastModel<A extends FloatArray = Float32Array> {
  readonly config: ForecastConfig;
  readonly inner: RnnModel<A>;
  readonly params: NamedTensors<A>;
  readonly grads: NamedTensors<A>;

  constructor(config: ForecastConfig, options: Omit<ModelOptions<A>, 'rng' | 'init'> & { rng?: Rng }) {
    validateForecastConfig(config);
    this.config = { ...config, horizon: config.horizon ?? 1, loss: config.loss ?? 'mse' };
    this.inner = new RnnModel<A>({
      cell: config.cell, vocabSize: headSize(config), embeddingDim: config.inputSize, hiddenSize: config.hiddenSize,
      numLayers: config.numLayers, nonlinearity: config.nonlinearity, dropout: config.dropout,
    }, { dtype: options.dtype, kernels: options.kernels, allocate: options.allocate });
    const rename = (m: NamedTensors<A>): NamedTensors<A> => {
      const out: NamedTensors<A> = new Map();
      for (const [name, t] of m) {
        if (name.startsWith('rnn.')) out.set(name, t);
      }
      out.set('head.weight', m.get('output.weight')!);
      out.set('head.bias', m.get('output.bias')!);
      return out;
    };
    this.params = rename(this.inner.params);
    this.grads = rename(this.inner.grads);
    if (options.rng) this.initialize(options.rng);
  }

  /** PyTorch defaults: recurrent weights and biases U(−1/√H, 1/√H); nn.Linear(H, out) likewise (fan_in = H). Drawn in state_dict order. */
  initialize(rng: Rng): void {
    const bound = 1 / Math.sqrt(this.config.hiddenSize);
    for (const t of this.params.values()) for (let i = 0; i < t.data.length; i++) t.data[i] = rng.uniform(-bound, bound);
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

  /** Copy values into the parameters; every name must exist with the same shape. */
  loadParameters(source: ReadonlyMap<string, { shape: readonly number[]; data: ArrayLike<number> }>): void {
    copyTensorsInto(this.params, source);
  }

  createState(batch: number): RecurrentState<A> {
    return this.inner.createState(batch);
  }

  /** Buffers for forward + BPTT over windows of `window` steps and exactly `batch` sequences. */
  createWorkspace(window: number, batch: number): ForecastWorkspace<A> {
    return new ForecastWorkspace(this, window, batch);
  }
}

export interface ForecastForwardOptions<A extends FloatArray> {
  /** Next values (batch, outputSize · horizon), laid out like the predictions; without them forward only predicts and returns NaN. */
  targets?: ArrayLike<number>;
  /** The loss to compute (and backpropagate); default the model's `config.loss`. */
  loss?: RegressionLoss;
  initial?: RecurrentState<A> | null;
  final?: RecurrentState<A>;
  training?: boolean;
  rng?: Rng;
}

/** Forward (prediction and loss) and backward for one forecaster over windows of fixed length and batch. */
export class ForecastWorkspace<A extends FloatArray> {
  readonly window: number;
  readonly batch: number;
  /** The head's output at every step (window·batch, outputSize·horizon), time-major; the prediction is the last step's rows. */
  readonly outputs: A;
  /** (batch, outputSize·horizon): the head on the last hidden state, after forward; row b holds target j, step h at j·horizon + h. */
  readonly predictions: A;
  /** The mean loss of the last forward (NaN without targets). */
  loss = NaN;
  /** Which loss the last forward computed. */
  lossKind: RegressionLoss;

  private readonly model: ForecastModel<A>;
  private readonly ws: Workspace<A>;
  private readonly targets: Float64Array;
  private readonly dOutputs: A;
  private hasTargets = false;

  constructor(model: ForecastModel<A>, window: number, batch: number) {
    this.model = model;
    this.window = window;
    this.batch = batch;
    this.ws = model.inner.createWorkspace(window, batch);
    this.lossKind = model.config.loss ?? 'mse';
    const O = headSize(model.config);
    this.outputs = this.ws.logits;
    this.predictions = this.outputs.subarray((window - 1) * batch * O, window * batch * O) as A;
    this.targets = new Float64Array(batch * O);
    this.dOutputs = model.inner.allocate(window * batch * O);
  }

  /** ∂L/∂(initial state), after backward. */
  get dInitial(): RecurrentState<A> {
    return this.ws.dInitial;
  }

  /** ∂L/∂x (window·batch, inputSize), after backward. */
  get dInputs(): A {
    return this.ws.dInputs!;
  }

  /**
   * Run the window `x` (window·batch·inputSize, time-major: x[(t·B + b)·F + f], like PyTorch's
   * [seq, batch, features]) and predict the next value(s). Returns the mean loss (the model's
   * `config.loss` unless `options.loss` says otherwise) against `targets` ((batch, outputSize·horizon)),
   * or NaN without them.
   */
  forward(x: ArrayLike<number>, options: ForecastForwardOptions<A> = {}): number {
    const { targets, loss, ...rest } = options;
    const n = this.batch * headSize(this.model.config);
    if (targets && targets.length < n) throw new RangeError(`expected ${n} target values (${this.batch} × ${headSize(this.model.config)}), got ${targets.length}`);
    this.lossKind = loss ?? this.model.config.loss ?? 'mse';
    this.ws.forwardInputs(x, rest);
    this.hasTargets = targets !== undefined;
    this.loss = NaN;
    if (targets) {
      for (let i = 0; i < n; i++) this.targets[i] = targets[i]!;
      this.loss = regressionLossForward(this.lossKind, this.predictions, this.targets, n);
    }
    return this.loss;
  }

  /** Gradients of the last forward's loss, added into `model.grads` (zero them first). */
  backward(): void {
    if (!this.hasTargets) throw new Error('backward needs a forward with targets');
    const n = this.batch * headSize(this.model.config);
    const last = (this.window - 1) * n;
    const d = this.dOutputs;
    d.fill(0);
    regressionLossBackward(this.lossKind, d.subarray(last, last + n) as A, this.predictions, this.targets, n);
    this.ws.backwardFromOutputs(d);
  }
}
