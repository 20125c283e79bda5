/**
 * The `forecast:*` channels: creating a forecast run, its detail for the live training view, the
 * forecast view's figures and a forecast past the end. The heavy ones run as tasks (off the main
 * thread in the app); a run's live progress is known only to this thread's training host, so it
 * is laid over the detail as runs:get does.
 */
import type { Handlers } from '../../shared/ipc/handlers';
import type { RunsService } from '../services/runs-service';
import type { Tasks } from '../tasks/task-table';

export type ForecastChannel = 'forecast:create' | 'forecast:get' | 'forecast:view' | 'forecast:future';
export type ForecastHandlers = Pick<Handlers, ForecastChannel>;

export function createForecastHandlers({ runs, tasks }: { runs: RunsService; tasks: Tasks }): ForecastHandlers {
  return {
    'forecast:create': ({ projectDir, config }) => tasks.run('forecast:create', projectDir, config),
    'forecast:get': async ({ projectDir, runId }) => {
      const detail = await tasks.run('forecast:get', projectDir, runId);
      const live = runs.live?.status(projectDir, runId)?.progress ?? null;
      return live ? { ...detail, run: { ...detail.run, progress: live } } : detail;
    },
    'forecast:view': ({ projectDir, runId }) => tasks.run('forecast:view', projectDir, runId),
    'forecast:future': ({ projectDir, runId, steps, origin }) => tasks.run('forecast:future', projectDir, runId, steps, origin),
  };
}
