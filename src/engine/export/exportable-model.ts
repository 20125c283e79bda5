/**
 * What every exporter consumes and every importer produces: the model configuration, its
 * parameters in PyTorch state_dict order (float32, PyTorch names and shapes), and the vocabulary
 * with the text settings needed to turn a prompt into ids the same way training did.
 */
import { parameterShapes, validateModelConfig, ModelConfigError, type ModelConfig } from '../model/config';
import type { RnnModel } from '../model/rnn-model';
import type { NamedTensors } from '../tensor';
import type { Cleaning } from '../text/clean';
import type { TokenizerKind } from '../text/tokenize';
import { ExportError } from './export-error';

export interface ExportVocab {
  /** Index → token; tokens[0] is `<unk>`. */
  tokens: string[];
  tokenizer: TokenizerKind;
  cleaning: Cleaning;
}

export interface ExportableModel {
  config: ModelConfig;
  /** Exactly `parameterShapes(config)`, in that order. */
  weights: NamedTensors<Float32Array>;
  vocab: ExportVocab;
}

export interface TensorLike {
  shape: readonly number[];
  /** Float32/Float64 arrays or plain number arrays; anything else is a `DtypeMismatch`. */
  data: ArrayLike<number> | ArrayLike<bigint>;
}

/** A model's current parameters (copied to float32) with its vocabulary. */
export function exportableFromModel(model: RnnModel<Float32Array | Float64Array>, vocab: ExportVocab): ExportableModel {
  return exportableFromTensors(model.config, model.params, vocab);
}

/**
 * Checks `source` holds exactly the model's parameters (names, shapes, floating-point data,
 * finite values) and returns them as float32 in state_dict order. The first problem found is a
 * coded `ExportError` naming the tensor.
 */
export function exportableFromTensors(config: ModelConfig, source: ReadonlyMap<string, TensorLike & { dtype?: string }>, vocab: ExportVocab): ExportableModel {
  checkConfig(config);
  if (vocab.tokens.length !== config.vocabSize) {
    throw new ExportError('VocabSizeMismatch', { vocabTokens: vocab.tokens.length, vocabSize: config.vocabSize });
  }
  const expected = parameterShapes(config);
  const names = new Set(expected.map(([n]) => n));
  for (const name of source.keys()) {
    if (!names.has(name)) throw new ExportError('UnexpectedTensor', { name, expected: [...names] }, `The weights file has a tensor “${name}” the model does not have.`);
  }
  const weights: NamedTensors<Float32Array> = new Map();
  for (const [name, shape] of expected) {
    const t = source.get(name);
    if (t === undefined) throw new ExportError('MissingTensor', { name, shape }, `The weights file lacks the tensor “${name}” of shape [${shape.join(', ')}].`);
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      throw new ExportError('ShapeMismatch', { name, shape: [...t.shape], expected: shape },
        `The tensor “${name}” has shape [${t.shape.join(', ')}], but this model needs [${shape.join(', ')}].`);
    }
    const dtype = t.dtype;
    const floats = t.data instanceof Float32Array || t.data instanceof Float64Array || (Array.isArray(t.data) && t.data.every((x) => typeof x === 'number'));
    if ((dtype !== undefined && dtype !== 'F32' && dtype !== 'F64') || !floats) {
      throw new ExportError('DtypeMismatch', { name, dtype: dtype ?? typeof t.data }, `The tensor “${name}” is not stored as floats (${dtype ?? 'unknown type'}).`);
    }
    const data = t.data instanceof Float32Array ? t.data.slice() : Float32Array.from(t.data as ArrayLike<number>);
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i]!)) throw new ExportError('NonFiniteWeight', { name, index: i }, `The tensor “${name}” holds a non-finite value at index ${i}.`);
    }
    weights.set(name, { shape: [...shape], data });
  }
  return { config: { ...config }, weights, vocab: { ...vocab, tokens: [...vocab.tokens] } };
}

export function checkConfig(config: ModelConfig): void {
  try {
    validateModelConfig(config);
  } catch (e) {
    if (e instanceof ModelConfigError) throw new ExportError('InvalidConfig', { field: e.field }, `The model configuration is not valid: ${e.message}.`);
    throw e;
  }
}
