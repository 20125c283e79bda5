/**
 * The `sweeps:*` channels: create (and start), list, get, stop and resume hyperparameter sweeps
 * over the app's training host. Progress reaches the renderer as `sweeps:progress` events.
 */
import type { EmitEvent, Handlers } from '../../shared/ipc/handlers';
import type { FileSystem } from '../fs/file-system';
import { SweepService } from '../sweeps/sweep-service';
import type { TrainingHost } from '../training/training-host';

export type SweepChannel = 'sweeps:create' | 'sweeps:list' | 'sweeps:get' | 'sweeps:stop' | 'sweeps:resume';
export type SweepHandlers = Pick<Handlers, SweepChannel>;

export interface SweepHandlerOptions {
  fs: FileSystem;
  host: TrainingHost;
  emit: EmitEvent;
  /** The service to use (default: a new one over `host`); the app keeps it to interrupt sweeps on quit. */
  service?: SweepService;
}

export function createSweepHandlers({ fs, host, emit, service }: SweepHandlerOptions): SweepHandlers {
  const sweeps = service ?? new SweepService({ fs, host, emit: (event) => emit('sweeps:progress', event) });
  return {
    'sweeps:create': ({ projectDir, config }) => sweeps.create(projectDir, config),
    'sweeps:list': ({ projectDir }) => sweeps.list(projectDir),
    'sweeps:get': ({ projectDir, sweepId }) => sweeps.get(projectDir, sweepId),
    'sweeps:stop': ({ projectDir, sweepId }) => sweeps.stop(projectDir, sweepId),
    'sweeps:resume': ({ projectDir, sweepId }) => sweeps.resume(projectDir, sweepId),
  };
}
