/**
 * The token streams a run trains on.
 *
 * - `prepareRunData(fs, projectDir, config)` streams the run's dataset and builds vocabulary and
 *   ids exactly as the engine's `buildCorpus` does (cleaning, tokenizer, `minFreq`; vocabulary
 *   from every token, then the first `maxTokens` ids (0 = all), then the tail `valFraction` held
 *   out). Used once, when a run is created, to write `runs/<id>/vocab.json`.
 * - `loadRunData(fs, projectDir, runId): Promise<RunData>` — for the training executor, generation
 *   and export: the same streams encoded with the run's stored vocabulary, so ids never shift even
 *   if the vocabulary code changes. Checks the dataset is still the one the run was created from
 *   (`DatasetChanged`). A run whose vocab.json is missing (a crash between creating the run and
 *   writing it) gets it rebuilt and written. This signature is stable.
 *
 * Errors (coded): `DatasetNotFound`, `UnsupportedDataset` (CSV), `DatasetChanged`,
 * `CorruptVocabulary`, `InvalidConfig`, and store errors for a missing or damaged run.
 */
import { isForecastConfig } from '../../shared/forecast-config';
import { CorpusBuilder, unigramPerplexity, type CorpusOptions, type Vocab } from '../../engine/text';
import { runConfigSchema, type RunConfig } from '../../shared/run-config';
import { streamDatasetText } from '../datasets/read-dataset';
import type { FileSystem } from '../fs/file-system';
import { readDataset } from '../store/datasets';
import { readRunConfig } from '../store/runs';
import type { DatasetRecord } from '../store/schemas';
import { StoreError } from '../store/store-error';
import { readRunVocab, runVocabFile, writeRunVocab, type RunVocabFile } from './run-vocab';
import { ServiceError } from './service-error';

export type RunDataConfig = Pick<RunConfig, 'datasetId' | 'tokenizer' | 'clean' | 'minFreq' | 'maxTokens' | 'valFraction'>;

export interface RunData {
  vocab: Vocab;
  /** Training ids (a view of one buffer shared with `val`). */
  train: Int32Array;
  val: Int32Array;
  /** Perplexity baselines: uniform = vocabulary size; unigram = exp(entropy) of the training ids. */
  baselines: { uniform: number; unigram: number };
  /** Tokens in the whole dataset, before `maxTokens`. */
  totalTokens: number;
  dataset: DatasetRecord;
}

export interface LoadedRunData extends RunData {
  config: RunConfig;
  vocabFile: RunVocabFile;
}

/** A stored or submitted text-run config, validated and completed with defaults; a forecast config is refused as such. */
export function parseRunConfig(raw: unknown): RunConfig {
  // a forecast run (rnn-lab train --task forecast) keeps its own config schema
  if (isForecastConfig(raw)) throw new ServiceError('ForecastRun');
  const parsed = runConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first && first.path.length > 0 ? `${first.path.join('.')}: ` : '';
    throw new ServiceError('InvalidConfig', { issues: parsed.error.issues.length }, `The run configuration is not valid (${where}${first?.message ?? 'malformed'}).`);
  }
  return parsed.data;
}

/** The dataset a run trains on: it must exist and be text. */
export async function runDataset(fs: FileSystem, projectDir: string, datasetId: string): Promise<DatasetRecord> {
  let record: DatasetRecord;
  try {
    record = await readDataset(fs, projectDir, datasetId);
  } catch (e) {
    if (e instanceof StoreError && (e.code === 'NotFound' || e.code === 'InvalidId')) throw new ServiceError('DatasetNotFound', { datasetId });
    throw e;
  }
  if (record.kind !== 'text') throw new ServiceError('UnsupportedDataset', { datasetId, kind: record.kind });
  return record;
}

function corpusOptions(config: RunDataConfig): CorpusOptions {
  return {
    tokenizer: config.tokenizer,
    cleaning: config.clean,
    minFreq: config.minFreq,
    maxTokens: config.maxTokens === 0 ? undefined : config.maxTokens,
    valFraction: config.valFraction,
  };
}

/** exp(entropy) of the id distribution: the perplexity of a context-free model of these ids. */
export function idUnigramPerplexity(ids: Int32Array): number {
  const counts = new Map<string, number>();
  for (let i = 0; i < ids.length; i++) {
    const key = String(ids[i]);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return unigramPerplexity(counts);
}

/**
 * Streams the dataset through a `CorpusBuilder`: memory is the kept ids plus the token counts,
 * never the text. With the run's stored vocabulary reading stops after the first `maxTokens`
 * tokens, and the total comes from vocab.json.
 */
async function corpusOf(fs: FileSystem, projectDir: string, record: DatasetRecord, config: RunDataConfig, stored?: { vocab: Vocab; totalTokens: number }): Promise<Omit<RunData, 'dataset'>> {
  const builder = new CorpusBuilder(corpusOptions(config), stored?.vocab);
  const enough = new Error('enough tokens');
  try {
    await streamDatasetText(fs, projectDir, record, (text) => {
      builder.push(text);
      if (builder.full) throw enough;
    });
  } catch (e) {
    if (e !== enough) throw e;
  }
  const corpus = builder.finish(stored?.totalTokens);
  return {
    vocab: corpus.vocab,
    train: corpus.train,
    val: corpus.val,
    baselines: { uniform: corpus.vocab.size, unigram: idUnigramPerplexity(corpus.train) },
    totalTokens: corpus.totalTokens,
  };
}

export async function prepareRunData(fs: FileSystem, projectDir: string, config: RunDataConfig): Promise<RunData> {
  const record = await runDataset(fs, projectDir, config.datasetId);
  return { ...(await corpusOf(fs, projectDir, record, config)), dataset: record };
}

/** What vocab.json records for data prepared from `config`. */
export function vocabFileFor(data: RunData, config: RunDataConfig): RunVocabFile {
  return runVocabFile(data.vocab, {
    tokenizer: config.tokenizer,
    cleaning: config.clean,
    minFreq: config.minFreq,
    maxTokens: config.maxTokens,
    valFraction: config.valFraction,
    dataset: { id: data.dataset.id, sha256: data.dataset.source.sha256 },
    corpus: { totalTokens: data.totalTokens, trainTokens: data.train.length, valTokens: data.val.length },
    baselines: data.baselines,
  });
}

export async function loadRunData(fs: FileSystem, projectDir: string, runId: string): Promise<LoadedRunData> {
  const config = parseRunConfig(await readRunConfig(fs, projectDir, runId));
  const stored = await readRunVocab(fs, projectDir, runId);
  if (stored === null) {
    const data = await prepareRunData(fs, projectDir, config);
    const vocabFile = vocabFileFor(data, config);
    await writeRunVocab(fs, projectDir, runId, vocabFile);
    return { ...data, config, vocabFile };
  }
  const { file, vocab } = stored;
  if (file.tokenizer !== config.tokenizer || file.cleaning !== config.clean || file.dataset.id !== config.datasetId) {
    throw new ServiceError('CorruptVocabulary', { runId, reason: 'settings differ from config.json' });
  }
  const record = await runDataset(fs, projectDir, config.datasetId);
  if (record.source.sha256 !== file.dataset.sha256) throw new ServiceError('DatasetChanged', { runId, datasetId: record.id });
  const data = await corpusOf(fs, projectDir, record, config, { vocab, totalTokens: file.corpus.totalTokens });
  return { ...data, dataset: record, config, vocabFile: file };
}
