/**
 * The token ids an inspection reads: a typed text cleaned and tokenised as the run's corpus was,
 * or a slice of the run's corpus (training tokens, then validation tokens). The corpus of the run
 * inspected last is kept, so scrolling through it or matching over it reads the dataset once.
 */
import { MAX_INSPECT_TOKENS, type InspectSource } from '../../shared/inspect';
import type { FileSystem } from '../fs/file-system';
import { encodeText } from '../services/generation-service';
import { loadRunData } from '../services/run-data';
import { ServiceError } from '../services/service-error';
import { InspectError } from './inspect-error';
import type { InspectModel } from './inspect-models';

export interface SourceIds {
  ids: Int32Array;
  /** Where the slice starts in the corpus (0 for typed text). */
  start: number;
}

export class CorpusCache {
  private last: { key: string; ids: Promise<Int32Array> } | null = null;

  constructor(private readonly fs: FileSystem) {}

  /** Training then validation ids of the run, as it trained on them. */
  corpus(projectDir: string, runId: string): Promise<Int32Array> {
    const key = `${projectDir}\u0000${runId}`;
    if (this.last?.key !== key) {
      const ids = loadRunData(this.fs, projectDir, runId).then(({ train, val }) => {
        const all = new Int32Array(train.length + val.length);
        all.set(train);
        all.set(val, train.length);
        return all;
      });
      ids.catch(() => this.last?.ids === ids && (this.last = null));
      this.last = { key, ids };
    }
    return this.last.ids;
  }

  evictRun(projectDir: string, runId: string): void {
    if (this.last?.key === `${projectDir}\u0000${runId}`) this.last = null;
  }

  async ids(projectDir: string, runId: string, source: InspectSource, m: InspectModel): Promise<SourceIds> {
    if (source.kind === 'text') {
      const ids = encodeText(source.text, m.vocab, m.vocabFile);
      if (ids.length === 0) throw new ServiceError('EmptyText', { field: 'text' });
      if (ids.length > MAX_INSPECT_TOKENS) {
        throw new InspectError('TooManyTokens', `The text is ${ids.length} tokens long; the inspector reads at most ${MAX_INSPECT_TOKENS}. Inspect a shorter part.`, { field: 'text', tokens: ids.length, max: MAX_INSPECT_TOKENS });
      }
      return { ids, start: 0 };
    }
    const corpus = await this.corpus(projectDir, runId);
    if (source.start >= corpus.length) {
      throw new InspectError('OutOfRange', `The corpus has ${corpus.length} tokens; start ${source.start} is past its end.`, { field: 'start', start: source.start, tokens: corpus.length });
    }
    return { ids: corpus.slice(source.start, Math.min(corpus.length, source.start + source.count)), start: source.start };
  }
}
