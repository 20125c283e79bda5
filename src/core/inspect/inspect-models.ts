/**
 * Models the inspector runs: a run's checkpoint (its last one unless named), loaded and cached by
 * the generation service, which gives each model its own single-threaded WebAssembly kernels
 * (where the runtime has SIMD), the float32 kernels training computes with.
 */
import { describeKernels } from '../../engine/kernels/wasm';
import type { FileSystem } from '../fs/file-system';
import type { GenerationService, LoadedModel } from '../services/generation-service';
import { readCheckpointEntries } from '../services/run-files';
import { ServiceError } from '../services/service-error';

export interface InspectModel extends Pick<LoadedModel, 'model' | 'vocab' | 'vocabFile'> {
  checkpoint: string;
  /** "wasm-relaxed-simd (1 thread)". */
  kernels: string;
}

export class InspectModels {
  constructor(
    private readonly fs: FileSystem,
    private readonly generation: GenerationService,
  ) {}

  async load(projectDir: string, runId: string, checkpoint: string | null): Promise<InspectModel> {
    const loaded = await this.generation.load(projectDir, runId, checkpoint ?? (await this.lastCheckpoint(projectDir, runId)));
    const d = describeKernels(loaded.model.kernels);
    return { model: loaded.model, vocab: loaded.vocab, vocabFile: loaded.vocabFile, checkpoint: loaded.checkpoint.name, kernels: `${d.name} (${d.threads} thread${d.threads === 1 ? '' : 's'})` };
  }

  /** The checkpoint of the latest step. */
  private async lastCheckpoint(projectDir: string, runId: string): Promise<string> {
    const entries = await readCheckpointEntries(this.fs, projectDir, runId);
    if (entries.length === 0) throw new ServiceError('NoCheckpoint', undefined, 'This run has not saved a checkpoint yet; the inspector needs trained weights.');
    return entries.reduce((a, b) => (b.step > a.step ? b : a)).name;
  }
}
