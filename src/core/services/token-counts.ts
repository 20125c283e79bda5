/**
 * Token counts of a text dataset for one tokenizer × cleaning, counted once by streaming the
 * source and kept in a small LRU, so the vocabulary view answers any `minFreq` from a binary
 * search instead of another pass over the file.
 */
import { TokenCounter, UNK, type Cleaning, type TokenizerKind } from '../../engine/text';
import type { FileSystem } from '../fs/file-system';
import type { DatasetRecord } from '../store/schemas';
import { streamDatasetText } from '../datasets/read-dataset';

export interface TokenCountTable {
  /** Token → count, in first-occurrence order (what `Vocab.fromCounts` expects). */
  counts: ReadonlyMap<string, number>;
  total: number;
  /** Counts of every distinct token except a literal `<unk>` in the text, descending. */
  freqsDesc: Float64Array;
  /** prefix[k] = freqsDesc[0] + … + freqsDesc[k − 1]. */
  prefix: Float64Array;
  /** Counts of all distinct tokens by rank (a literal `<unk>` included), descending. */
  rankCounts: Float64Array;
  /** fLogF[k] = Σ f·ln f over freqsDesc[0 … k − 1]: the unigram entropy for any `minFreq` in O(1). */
  fLogF: Float64Array;
  /** Most frequent tokens; ties in first-occurrence order, as the vocabulary orders them. */
  top: [string, number][];
}

export const TOP_TOKENS = 30;

export function tokenCountTable(counts: ReadonlyMap<string, number>, total: number): TokenCountTable {
  const sorted = [...counts].sort((a, b) => b[1] - a[1]);
  const rankCounts = Float64Array.from(sorted, ([, n]) => n);
  const freqsDesc = Float64Array.from(sorted.filter(([t]) => t !== UNK), ([, n]) => n);
  const prefix = new Float64Array(freqsDesc.length + 1);
  const fLogF = new Float64Array(freqsDesc.length + 1);
  for (let k = 0; k < freqsDesc.length; k++) {
    prefix[k + 1] = prefix[k]! + freqsDesc[k]!;
    fLogF[k + 1] = fLogF[k]! + freqsDesc[k]! * Math.log(freqsDesc[k]!);
  }
  return { counts, total, freqsDesc, prefix, rankCounts, fLogF, top: sorted.slice(0, TOP_TOKENS) };
}

export async function countDatasetTokens(fs: FileSystem, projectDir: string, record: DatasetRecord, tokenizer: TokenizerKind, cleaning: Cleaning): Promise<TokenCountTable> {
  const counter = new TokenCounter({ tokenizer, cleaning });
  await streamDatasetText(fs, projectDir, record, (text) => counter.push(text));
  counter.finish();
  return tokenCountTable(counter.counts, counter.total);
}

/** The last `capacity` tables used; concurrent requests for the same table share one pass. */
export class TokenCountCache {
  private readonly entries = new Map<string, Promise<TokenCountTable>>();

  constructor(
    private readonly fs: FileSystem,
    private readonly capacity = 4,
  ) {}

  get(projectDir: string, record: DatasetRecord, tokenizer: TokenizerKind, cleaning: Cleaning): Promise<TokenCountTable> {
    // the sha256 keys the content, so a dataset deleted and re-imported under the same id is recounted
    const key = [projectDir, record.id, record.source.sha256, tokenizer, cleaning].join('\u0000');
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const pending = countDatasetTokens(this.fs, projectDir, record, tokenizer, cleaning);
    this.entries.set(key, pending);
    pending.catch(() => this.entries.get(key) === pending && this.entries.delete(key));
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return pending;
  }

  /** Forgets every table of a dataset (after it is deleted). */
  evictDataset(projectDir: string, datasetId: string): void {
    const prefix = `${projectDir}\u0000${datasetId}\u0000`;
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.entries.delete(key);
  }
}
