/**
 * Models the inspector runs: a run's checkpoint (its last one unless named) loaded through the
 * generation service, then copied onto a kernel set of its own (WebAssembly SIMD where the runtime
 * has it, one thread), as training computes. A kernel set's memory is never freed while it lives,
 * so each cached model owns its set and both go together when the model leaves the cache.
 */
import { selectKernels, type KernelChoice } from '../../engine/kernels/wasm';
import { RnnModel } from '../../engine/model/rnn-model';
import type { Vocab } from '../../engine/text';
import type { FileSystem } from '../fs/file-system';
import { enableRelaxedSimd } from '../kernels/run-kernels';
import type { GenerationService } from '../services/generation-service';
import { readCheckpointEntries } from '../services/run-files';
import type { RunVocabFile } from '../services/run-vocab';
import { ServiceError } from '../services/service-error';

export interface InspectModel {
  model: RnnModel<Float32Array>;
  vocab: Vocab;
  vocabFile: RunVocabFile;
  checkpoint: string;
  /** "wasm-relaxed-simd (1 thread)". */
  kernels: string;
}

export class InspectModels {
  private readonly cache = new Map<string, Promise<InspectModel>>();

  constructor(
    private readonly fs: FileSystem,
    private readonly generation: GenerationService,
    private readonly kernels: KernelChoice = 'auto',
    private readonly cacheSize = 2,
  ) {}

  async load(projectDir: string, runId: string, checkpoint: string | null): Promise<InspectModel> {
    const name = checkpoint ?? (await this.lastCheckpoint(projectDir, runId));
    const loaded = await this.generation.load(projectDir, runId, name);
    const key = [projectDir, runId, loaded.checkpoint.name, loaded.checkpoint.bytes, loaded.checkpoint.created ?? ''].join('\u0000');
    let hit = this.cache.get(key);
    if (hit === undefined) {
      if (this.kernels !== 'ts') enableRelaxedSimd();
      const { kernels, description } = selectKernels(this.kernels);
      const model = new RnnModel(loaded.model.config, { dtype: Float32Array, kernels });
      model.loadParameters(loaded.model.params);
      hit = Promise.resolve({
        model, vocab: loaded.vocab, vocabFile: loaded.vocabFile, checkpoint: loaded.checkpoint.name,
        kernels: `${description.name} (${description.threads} thread${description.threads === 1 ? '' : 's'})`,
      });
    }
    this.cache.delete(key);
    this.cache.set(key, hit);
    while (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
    return hit;
  }

  evictRun(projectDir: string, runId: string): void {
    const prefix = `${projectDir}\u0000${runId}\u0000`;
    for (const key of [...this.cache.keys()]) if (key.startsWith(prefix)) this.cache.delete(key);
  }

  /** The checkpoint of the latest step. */
  private async lastCheckpoint(projectDir: string, runId: string): Promise<string> {
    const entries = await readCheckpointEntries(this.fs, projectDir, runId);
    if (entries.length === 0) throw new ServiceError('NoCheckpoint', undefined, 'This run has not saved a checkpoint yet; the inspector needs trained weights.');
    return entries.reduce((a, b) => (b.step > a.step ? b : a)).name;
  }
}
