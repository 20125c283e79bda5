/**
 * The `sweeps:*` channels: create (and start), list, get, stop and resume hyperparameter sweeps
 * over the app's training host. Progress reaches the renderer as `sweeps:progress` events.
 */
import type { EmitEvent, Handlers } from '../../shared/ipc/handlers';
import type { FileSystem } from '../fs/file-system';
import { SweepService } from '../sweeps/sweep-service';
import type { TrainingHost } from '../training/training-host';
import type { Tasks } from '../tasks/task-table';

export type SweepChannel = 'sweeps:create' | 'sweeps:list' | 'sweeps:get' | 'sweeps:stop' | 'sweeps:resume';
export type SweepHandlers = Pick<Handlers, SweepChannel>;

export interface SweepHandlerOptions {
  fs: FileSystem;
  host: TrainingHost;
  emit: EmitEvent;
  /** Where trial runs are created (their data prepared): the app's task worker, off the main thread. */
  tasks?: Tasks;
}

export function createSweepHandlers({ fs, host, emit, tasks }: SweepHandlerOptions): SweepHandlers {
  const sweeps = new SweepService({
    fs, host, emit: (event) => emit('sweeps:progress', event),
    ...(tasks && { createRun: async (projectDir: string, config: unknown) => (await tasks.run('runs:create', projectDir, config)).id }),
  });
  return {
    'sweeps:create': ({ projectDir, config }) => sweeps.create(projectDir, config),
    'sweeps:list': ({ projectDir }) => sweeps.list(projectDir),
    'sweeps:get': ({ projectDir, sweepId }) => sweeps.get(projectDir, sweepId),
    'sweeps:stop': ({ projectDir, sweepId }) => sweeps.stop(projectDir, sweepId),
    'sweeps:resume': ({ projectDir, sweepId }) => sweeps.resume(projectDir, sweepId),
  };
}
