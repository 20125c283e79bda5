/**
 * The `runs:*` channels this layer owns (not start/pause/resume/stop/step, which belong to the
 * training host) and `generate:*`, plus `createDataHandlers`, the one table the Electron main
 * process and the e2e harness spread for every data channel.
 */
import type { EmitEvent, Handlers } from '../../shared/ipc/handlers';
import type { FileSystem } from '../fs/file-system';
import { createDataServices, type DataServices } from '../services';
import { DatasetsService } from '../services/datasets-service';
import type { GenerationService } from '../services/generation-service';
import { EstimateService } from '../services/estimate-service';
import type { LiveRuns, RunsService } from '../services/runs-service';
import { inProcessTasks } from '../tasks/in-process-tasks';
import type { Tasks } from '../tasks/task-table';
import { createDatasetsHandlers, type DatasetsChannel } from './datasets-handlers';
import { createForecastHandlers, type ForecastChannel } from './forecast-handlers';
import { createInspectHandlers, type InspectChannel } from '../inspect/inspect-handlers';

export type RunsChannel = 'runs:list' | 'runs:get' | 'runs:create' | 'runs:estimate' | 'runs:rename' | 'runs:delete' | 'generate:text' | 'generate:score';
export type RunsHandlers = Pick<Handlers, RunsChannel>;
export type DataChannel = DatasetsChannel | RunsChannel | ForecastChannel | InspectChannel;
export type DataHandlers = Pick<Handlers, DataChannel>;

/**
 * Creation, details and generation are tasks (`tasks`, by default run in this thread over the same
 * services; the app passes `workerTasks()`), listing, renaming and deleting stay here. A run's
 * live progress is known only to this thread's training host, so it is laid over the details.
 */
export function createRunsHandlers({
  runs,
  generation,
  estimates = new EstimateService(),
  tasks = inProcessTasks(runs.fs, { runs, generation, datasets: new DatasetsService({ fs: runs.fs }) }),
}: { runs: RunsService; generation: GenerationService; estimates?: EstimateService; tasks?: Tasks }): RunsHandlers {
  return {
    'runs:list': ({ projectDir }) => runs.list(projectDir),
    'runs:get': async ({ projectDir, runId }) => {
      const detail = await tasks.run('runs:get', projectDir, runId);
      return { ...detail, run: { ...detail.run, progress: runs.live?.status(projectDir, runId)?.progress ?? null } };
    },
    'runs:create': ({ projectDir, config }) => tasks.run('runs:create', projectDir, config),
    'runs:estimate': ({ projectDir, config }) => estimates.estimate(projectDir, config),
    'runs:rename': ({ projectDir, runId, name }) => runs.rename(projectDir, runId, name),
    'runs:delete': async ({ projectDir, runId }) => {
      const result = await runs.delete(projectDir, runId);
      await tasks.run('evict:run', projectDir, runId);
      return result;
    },
    'generate:text': (request) => tasks.run('generate:text', request),
    'generate:score': (request) => tasks.run('generate:score', request),
  };
}

export interface DataHandlerOptions {
  fs: FileSystem;
  emit: EmitEvent;
  /** The training host's view of live runs (progress, and which runs may not be deleted). */
  live?: LiveRuns;
  /** Prebuilt services, when the caller also needs them (e.g. to hand `runs.live` over later). */
  services?: DataServices;
  /** Where the heavy calls run (default: in this thread, over `services`). */
  tasks?: Tasks;
}

export function createDataHandlers({ fs, emit, live, services, tasks }: DataHandlerOptions): DataHandlers {
  const s = services ?? createDataServices({ fs, ...(live && { live }) });
  if (live && services) s.runs.live = live;
  const t = tasks ?? inProcessTasks(fs, s);
  return {
    ...createDatasetsHandlers({ datasets: s.datasets, emit, tasks: t }),
    ...createRunsHandlers({ ...s, tasks: t }),
    ...createForecastHandlers({ runs: s.runs, tasks: t }),
    ...createInspectHandlers({ emit, tasks: t }),
  };
}
