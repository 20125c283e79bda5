/**
 * Datasets of a project: import (with throttled progress), records, the live vocabulary view,
 * a cleaned preview, rename and delete. Token counts are cached across vocabulary requests.
 */
import { cleanText, type Cleaning, type TokenizerKind } from '../../engine/text';
import type { DatasetRecord, VocabularyView } from '../../shared/datasets';
import { importDataset } from '../datasets/import-dataset';
import type { FileSystem } from '../fs/file-system';
import { deleteDataset, readDataset, renameDataset } from '../store/datasets';
import { listRuns } from '../store/runs';
import { hasEnded } from '../store/run-state';
import { readRunConfig } from '../store/runs';
import { streamDatasetText } from '../datasets/read-dataset';
import { LettersShare } from '../datasets/text-stats';
import { ServiceError } from './service-error';
import { Throttle } from './throttle';
import { TokenCountCache } from './token-counts';
import { vocabularyView } from './vocabulary-view';

export interface ImportRequest {
  filePath: string;
  name?: string;
  kind?: 'text' | 'csv';
  /** Called at most ten times a second while the file is copied. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

export interface DatasetsServiceOptions {
  fs: FileSystem;
  /** Shared with the runs service so a run created after browsing the vocabulary reuses the counts. */
  counts?: TokenCountCache;
  /** Milliseconds between progress callbacks (default 100). */
  progressIntervalMs?: number;
  now?: () => number;
  /** Bytes read per import step (default 1 MiB); smaller in tests to see many progress calls. */
  importChunkBytes?: number;
}

export class DatasetsService {
  readonly fs: FileSystem;
  readonly counts: TokenCountCache;
  private readonly progressIntervalMs: number;
  private readonly now: (() => number) | undefined;
  private readonly importChunkBytes: number | undefined;

  constructor(options: DatasetsServiceOptions) {
    this.fs = options.fs;
    this.counts = options.counts ?? new TokenCountCache(options.fs);
    this.progressIntervalMs = options.progressIntervalMs ?? 100;
    this.now = options.now;
    this.importChunkBytes = options.importChunkBytes;
  }

  async import(projectDir: string, request: ImportRequest): Promise<DatasetRecord> {
    const { onProgress } = request;
    const throttle = onProgress && new Throttle<[number, number]>(([read, total]) => onProgress(read, total), this.progressIntervalMs, this.now);
    const record = await importDataset(this.fs, projectDir, request.filePath, {
      ...(request.name !== undefined && { name: request.name }),
      ...(request.kind !== undefined && { kind: request.kind }),
      ...(this.importChunkBytes !== undefined && { chunkBytes: this.importChunkBytes }),
      ...(throttle && { onProgress: (read: number, total: number) => throttle.push([read, total]) }),
    });
    throttle?.flush();
    return record;
  }

  get(projectDir: string, datasetId: string): Promise<DatasetRecord> {
    return readDataset(this.fs, projectDir, datasetId);
  }

  /** A text dataset's record; CSV tables are refused with `UnsupportedDataset`. */
  async textDataset(projectDir: string, datasetId: string): Promise<DatasetRecord> {
    const record = await readDataset(this.fs, projectDir, datasetId);
    if (record.kind !== 'text') throw new ServiceError('UnsupportedDataset', { datasetId, kind: record.kind });
    return record;
  }

  async vocabulary(projectDir: string, datasetId: string, tokenizer: TokenizerKind, cleaning: Cleaning, minFreq: number): Promise<VocabularyView> {
    const record = await this.textDataset(projectDir, datasetId);
    const table = await this.counts.get(projectDir, record, tokenizer, cleaning);
    return vocabularyView(table, tokenizer, cleaning, minFreq);
  }

  /** The first `maxChars` characters (UTF-16 units, never splitting a pair) of the cleaned text. */
  /** `lettersKept`: the share of the previewed raw text's non-space characters `letters` cleaning keeps. */
  async preview(projectDir: string, datasetId: string, cleaning: Cleaning, maxChars: number): Promise<{ text: string; truncated: boolean; lettersKept: number }> {
    const record = await this.textDataset(projectDir, datasetId);
    // Cleaning is local (a run of non-letters becomes one space), so cleaning a raw prefix a
    // little longer than maxChars gives the prefix of the cleaned whole, except possibly its
    // last space; reading one extra character decides `truncated`.
    const want = maxChars + 1;
    let raw = '';
    const stop = new Error('enough');
    try {
      await streamDatasetText(this.fs, projectDir, record, (text) => {
        raw += text;
        if (cleanText(raw, cleaning).length > want) throw stop;
      }, 64 * 1024);
    } catch (e) {
      if (e !== stop) throw e;
    }
    const share = new LettersShare();
    share.push(raw);
    const lettersKept = share.kept;
    const cleaned = cleanText(raw, cleaning);
    if (cleaned.length <= maxChars) return { text: cleaned, truncated: false, lettersKept };
    let cut = maxChars;
    const unit = cleaned.charCodeAt(cut - 1);
    if (unit >= 0xd800 && unit <= 0xdbff) cut -= 1;
    return { text: cleaned.slice(0, cut), truncated: true, lettersKept };
  }

  rename(projectDir: string, datasetId: string, name: string): Promise<DatasetRecord> {
    return renameDataset(this.fs, projectDir, datasetId, name);
  }

  /** Refused while a run that may still train (queued, running, paused, interrupted) uses it. */
  async delete(projectDir: string, datasetId: string): Promise<{ deleted: boolean }> {
    await readDataset(this.fs, projectDir, datasetId).catch((e: unknown) => {
      // a damaged dataset may still be deleted; only a missing one is an error
      if ((e as { code?: unknown }).code === 'NotFound') throw e;
    });
    const { runs } = await listRuns(this.fs, projectDir);
    for (const run of runs) {
      if (hasEnded(run.state)) continue;
      const config = await readRunConfig(this.fs, projectDir, run.id).catch(() => null);
      if (config?.datasetId === datasetId) throw new ServiceError('DatasetInUse', { datasetId, runId: run.id, runName: run.name });
    }
    await deleteDataset(this.fs, projectDir, datasetId);
    this.counts.evictDataset(projectDir, datasetId);
    return { deleted: true };
  }
}
