/**
 * The `runs:*` channels this layer owns (not start/pause/resume/stop/step, which belong to the
 * training host) and `generate:*`, plus `createDataHandlers`, the one table the Electron main
 * process and the e2e harness spread for every data channel.
 */
import type { EmitEvent, Handlers } from '../../shared/ipc/handlers';
import type { FileSystem } from '../fs/file-system';
import { createDataServices, type DataServices } from '../services';
import type { GenerationService } from '../services/generation-service';
import { EstimateService } from '../services/estimate-service';
import type { LiveRuns, RunsService } from '../services/runs-service';
import { createDatasetsHandlers, type DatasetsChannel } from './datasets-handlers';

export type RunsChannel = 'runs:list' | 'runs:get' | 'runs:create' | 'runs:estimate' | 'runs:rename' | 'runs:delete' | 'generate:text' | 'generate:score';
export type RunsHandlers = Pick<Handlers, RunsChannel>;
export type DataChannel = DatasetsChannel | RunsChannel;
export type DataHandlers = Pick<Handlers, DataChannel>;

export function createRunsHandlers({ runs, generation, estimates = new EstimateService() }: { runs: RunsService; generation: GenerationService; estimates?: EstimateService }): RunsHandlers {
  return {
    'runs:list': ({ projectDir }) => runs.list(projectDir),
    'runs:get': ({ projectDir, runId }) => runs.get(projectDir, runId),
    'runs:create': ({ projectDir, config }) => runs.create(projectDir, config),
    'runs:estimate': ({ projectDir, config }) => estimates.estimate(projectDir, config),
    'runs:rename': ({ projectDir, runId, name }) => runs.rename(projectDir, runId, name),
    'runs:delete': ({ projectDir, runId }) => runs.delete(projectDir, runId),
    'generate:text': (request) => generation.generate(request),
    'generate:score': (request) => generation.score(request),
  };
}

export interface DataHandlerOptions {
  fs: FileSystem;
  emit: EmitEvent;
  /** The training host's view of live runs (progress, and which runs may not be deleted). */
  live?: LiveRuns;
  /** Prebuilt services, when the caller also needs them (e.g. to hand `runs.live` over later). */
  services?: DataServices;
}

export function createDataHandlers({ fs, emit, live, services }: DataHandlerOptions): DataHandlers {
  const s = services ?? createDataServices({ fs, ...(live && { live }) });
  if (live && services) s.runs.live = live;
  return { ...createDatasetsHandlers({ datasets: s.datasets, emit }), ...createRunsHandlers(s) };
}
