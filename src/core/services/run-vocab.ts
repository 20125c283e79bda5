/**
 * `runs/<id>/vocab.json`: the run's vocabulary (loadable as it is by `Vocab.fromJSON`) plus the
 * settings that produced the token stream, so the training worker, generation and export all see
 * exactly the same ids.
 *
 * ```json
 * { "format": "rnnlab.vocab", "version": 1, "tokens": ["<unk>", " ", "e", …],
 *   "tokenizer": "char", "cleaning": "letters", "separator": "",
 *   "minFreq": 1, "maxTokens": 0, "valFraction": 0.1,
 *   "dataset": { "id": "ds-…", "sha256": "…" },
 *   "corpus": { "totalTokens": 173428, "trainTokens": 9000, "valTokens": 1000 },
 *   "baselines": { "uniform": 28, "unigram": 17.9 } }
 * ```
 */
import { z } from 'zod';
import { tokenSeparator, Vocab, type VocabJSON } from '../../engine/text';
import type { FileSystem } from '../fs/file-system';
import { readJsonFile, writeJsonAtomic } from '../store/json-file';
import { runFile } from '../store/layout';
import { ServiceError } from './service-error';

export const RUN_VOCAB_FILE = 'vocab.json';

const count = z.number().int().nonnegative();
export const runVocabFileSchema = z.object({
  format: z.literal('rnnlab.vocab'),
  version: z.literal(1),
  tokens: z.array(z.string()).min(1),
  tokenizer: z.enum(['char', 'word']),
  cleaning: z.enum(['none', 'letters']),
  separator: z.string(),
  minFreq: z.number().int().positive(),
  maxTokens: count,
  valFraction: z.number().min(0).max(1),
  dataset: z.object({ id: z.string(), sha256: z.string() }),
  corpus: z.object({ totalTokens: count, trainTokens: count, valTokens: count }),
  baselines: z.object({ uniform: z.number(), unigram: z.number() }),
});
export type RunVocabFile = z.infer<typeof runVocabFileSchema> & VocabJSON;

export interface RunVocabSettings {
  tokenizer: 'char' | 'word';
  cleaning: 'none' | 'letters';
  minFreq: number;
  maxTokens: number;
  valFraction: number;
  dataset: { id: string; sha256: string };
  corpus: RunVocabFile['corpus'];
  baselines: RunVocabFile['baselines'];
}

export function runVocabFile(vocab: Vocab, settings: RunVocabSettings): RunVocabFile {
  return { ...vocab.toJSON(), ...settings, separator: tokenSeparator(settings.tokenizer) };
}

export async function writeRunVocab(fs: FileSystem, projectDir: string, runId: string, file: RunVocabFile): Promise<void> {
  await writeJsonAtomic(fs, runFile(projectDir, runId, RUN_VOCAB_FILE), file);
}

/** The file and its `Vocab`, or null when the run has none; damage is `CorruptVocabulary`. */
export async function readRunVocab(fs: FileSystem, projectDir: string, runId: string): Promise<{ file: RunVocabFile; vocab: Vocab } | null> {
  const read = await readJsonFile(fs, runFile(projectDir, runId, RUN_VOCAB_FILE), runVocabFileSchema);
  if (!read.ok) {
    if (read.reason === 'Missing') return null;
    throw new ServiceError('CorruptVocabulary', { runId, reason: read.reason, detail: read.detail });
  }
  let vocab: Vocab;
  try {
    vocab = Vocab.fromJSON(read.value);
  } catch (e) {
    throw new ServiceError('CorruptVocabulary', { runId, reason: (e as Error).message });
  }
  return { file: read.value as RunVocabFile, vocab };
}
