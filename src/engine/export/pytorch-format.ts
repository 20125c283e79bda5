/**
 * The PyTorch export: `model.safetensors` (the state_dict of a module with children `embedding`
 * (only when embedding_dim > 0), `rnn` (nn.RNN/GRU/LSTM, batch_first=False) and `output`
 * (nn.Linear)), `config.json` (the module's constructor arguments) and `vocab.json` (tokens in
 * index order plus the tokenizer and cleaning settings). The same three files are what
 * `parsePytorchExport` accepts, so a model trained in PyTorch imports as a run.
 *
 * Every builder is deterministic: the same model gives the same bytes.
 */
import type { ModelConfig } from '../model/config';
import { decodeSafetensors } from '../formats/safetensors-decode';
import { encodeSafetensors } from '../formats/safetensors-encode';
import { CLEANINGS, type Cleaning } from '../text/clean';
import { TOKENIZERS, tokenSeparator, type TokenizerKind } from '../text/tokenize';
import { Vocab } from '../text/vocab';
import { ExportError } from './export-error';
import { checkConfig, exportableFromTensors, type ExportableModel, type ExportVocab } from './exportable-model';

export const PYTORCH_CONFIG_FORMAT = 'rnnlab.pytorch';

/** config.json: snake_case names as in the PyTorch constructors. */
export interface PytorchConfigJson {
  format: typeof PYTORCH_CONFIG_FORMAT;
  version: 1;
  cell: ModelConfig['cell'];
  vocab_size: number;
  /** 0 means one-hot inputs (no `embedding` child). */
  embedding_dim: number;
  hidden_size: number;
  num_layers: number;
  nonlinearity: ModelConfig['nonlinearity'];
  dropout: number;
  batch_first: false;
  bias: true;
}

export interface VocabFileJson {
  format: 'rnnlab.vocab';
  version: 1;
  tokenizer: TokenizerKind;
  cleaning: Cleaning;
  /** Placed between tokens when ids become text ('' for characters, ' ' for words). */
  separator: string;
  tokens: string[];
}

export interface PytorchExport {
  weights: Uint8Array;
  config: string;
  vocab: string;
}

export function pytorchConfigJson(config: ModelConfig): PytorchConfigJson {
  return {
    format: PYTORCH_CONFIG_FORMAT,
    version: 1,
    cell: config.cell,
    vocab_size: config.vocabSize,
    embedding_dim: config.embeddingDim,
    hidden_size: config.hiddenSize,
    num_layers: config.numLayers,
    nonlinearity: config.nonlinearity,
    dropout: config.dropout,
    batch_first: false,
    bias: true,
  };
}

export function vocabFileJson(vocab: ExportVocab): VocabFileJson {
  return { format: 'rnnlab.vocab', version: 1, tokenizer: vocab.tokenizer, cleaning: vocab.cleaning, separator: tokenSeparator(vocab.tokenizer), tokens: [...vocab.tokens] };
}

/** JSON text with two-space indentation and a final newline, one token per line in `tokens`. */
export function prettyJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function buildPytorchExport(m: ExportableModel): PytorchExport {
  return {
    weights: encodeSafetensors(m.weights, { format: 'pt' }),
    config: prettyJson(pytorchConfigJson(m.config)),
    vocab: prettyJson(vocabFileJson(m.vocab)),
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ExportError(file === 'vocab.json' ? 'InvalidVocab' : 'InvalidConfig', { file, reason: 'syntax' }, `${file} is not valid JSON.`);
  }
}

/** A model configuration from config.json (ours, or one written by hand or by a PyTorch script). */
export function parsePytorchConfig(value: unknown): ModelConfig {
  if (typeof value === 'string') value = parseJsonText(value, 'config.json');
  if (!isObject(value)) throw new ExportError('InvalidConfig', { reason: 'not an object' });
  const bad = (field: string, reason: string): never => {
    throw new ExportError('InvalidConfig', { field, reason }, `config.json: “${field}” ${reason}.`);
  };
  const int = (field: string, fallback?: number): number => {
    const v = value[field] ?? fallback;
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) return bad(field, 'must be a whole number');
    return v;
  };
  const cell = typeof value.cell === 'string' ? value.cell.toLowerCase() : value.cell;
  if (cell !== 'rnn' && cell !== 'gru' && cell !== 'lstm') bad('cell', 'must be "rnn", "gru" or "lstm"');
  const nonlinearity = value.nonlinearity ?? 'tanh';
  if (nonlinearity !== 'tanh' && nonlinearity !== 'relu') bad('nonlinearity', 'must be "tanh" or "relu"');
  const dropout = value.dropout ?? 0;
  if (typeof dropout !== 'number') bad('dropout', 'must be a number');
  if (value.bias !== undefined && value.bias !== true) bad('bias', 'must be true (RNN Lab models always have biases)');
  if (value.bidirectional !== undefined && value.bidirectional !== false) bad('bidirectional', 'must be false');
  if (value.proj_size !== undefined && value.proj_size !== 0) bad('proj_size', 'must be 0');
  const config: ModelConfig = {
    cell: cell as ModelConfig['cell'],
    vocabSize: int('vocab_size'),
    embeddingDim: int('embedding_dim', 0),
    hiddenSize: int('hidden_size'),
    numLayers: int('num_layers', 1),
    nonlinearity: nonlinearity as ModelConfig['nonlinearity'],
    dropout: dropout as number,
  };
  checkConfig(config);
  return config;
}

/** The vocabulary and text settings from vocab.json (RNN Lab's own, or the export's). */
export function parseVocabFile(value: unknown): ExportVocab {
  if (typeof value === 'string') value = parseJsonText(value, 'vocab.json');
  if (!isObject(value)) throw new ExportError('InvalidVocab', { reason: 'not an object' });
  const tokenizer = value.tokenizer ?? 'char';
  const cleaning = value.cleaning ?? 'none';
  if (!TOKENIZERS.includes(tokenizer as TokenizerKind)) throw new ExportError('InvalidVocab', { field: 'tokenizer' }, 'vocab.json: “tokenizer” must be "char" or "word".');
  if (!CLEANINGS.includes(cleaning as Cleaning)) throw new ExportError('InvalidVocab', { field: 'cleaning' }, 'vocab.json: “cleaning” must be "letters" or "none".');
  let vocab: Vocab;
  try {
    vocab = Vocab.fromJSON({ format: 'rnnlab.vocab', version: 1, tokens: value.tokens });
  } catch (e) {
    throw new ExportError('InvalidVocab', { reason: (e as Error).message }, `vocab.json: ${(e as Error).message}`);
  }
  return { tokens: [...vocab.tokens], tokenizer: tokenizer as TokenizerKind, cleaning: cleaning as Cleaning };
}

/** The model in a safetensors + config.json + vocab.json triple, checked tensor by tensor. */
export function parsePytorchExport(weights: Uint8Array, config: unknown, vocab: unknown): ExportableModel {
  const modelConfig = parsePytorchConfig(config);
  const vocabFile = parseVocabFile(vocab);
  const decoded = decodeSafetensors(weights, { checksum: 'if-present' });
  return exportableFromTensors(modelConfig, decoded.tensors, vocabFile);
}
