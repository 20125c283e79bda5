/** The data services behind the datasets, runs and generate channels, wired to one file system. */
import type { FileSystem } from '../fs/file-system';
import { DatasetsService } from './datasets-service';
import { GenerationService } from './generation-service';
import { RunsService, type LiveRuns } from './runs-service';
import { TokenCountCache } from './token-counts';
import { EstimateService } from './estimate-service';

export { DatasetsService, type ImportRequest } from './datasets-service';
export { EstimateService, inProcess, type EstimateServiceOptions } from './estimate-service';
export { GenerationService, chooseCheckpoint, encodeText, type LoadedModel, type ScoreRequest } from './generation-service';
export { RunsService, type LiveRuns } from './runs-service';
export { loadRunData, prepareRunData, parseRunConfig, type LoadedRunData, type RunData, type RunDataConfig } from './run-data';
export { readRunVocab, RUN_VOCAB_FILE, type RunVocabFile } from './run-vocab';
export { DIVERGENCE_FILE } from './run-files';
export { ServiceError, type ServiceErrorCode } from './service-error';

export interface DataServices {
  datasets: DatasetsService;
  runs: RunsService;
  generation: GenerationService;
  estimates: EstimateService;
}

export function createDataServices({ fs, live, estimates }: { fs: FileSystem; live?: LiveRuns; estimates?: EstimateService }): DataServices {
  const generation = new GenerationService(fs);
  // measured with the kernels and threads the training host gives a trainer
  const trainerKernels = () => live?.trainerKernels?.() ?? { kernels: 'auto' as const, threads: 1 };
  return {
    datasets: new DatasetsService({ fs, counts: new TokenCountCache(fs) }),
    runs: new RunsService({ fs, ...(live && { live }), onDeleted: (dir, id) => generation.evictRun(dir, id) }),
    generation,
    estimates: estimates ?? new EstimateService({ trainerKernels }),
  };
}
