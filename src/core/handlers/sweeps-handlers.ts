/**
 * The `sweeps:*` channels: create (and start), list, get, stop and resume hyperparameter sweeps.
 * Progress reaches the renderer as `sweeps:progress` events.
 */
import { AppError } from '../../shared/errors';
import type { EmitEvent, Handlers } from '../../shared/ipc/handlers';
import type { FileSystem } from '../fs/file-system';
import type { TrainingHost } from '../training/training-host';

export type SweepChannel = 'sweeps:create' | 'sweeps:list' | 'sweeps:get' | 'sweeps:stop' | 'sweeps:resume';
export type SweepHandlers = Pick<Handlers, SweepChannel>;

export interface SweepHandlerOptions {
  fs: FileSystem;
  host: TrainingHost;
  emit: EmitEvent;
}

const notYet = (channel: SweepChannel) => (): never => {
  throw new AppError('NotImplemented', `“${channel}” is not implemented yet.`);
};

export function createSweepHandlers(_options: SweepHandlerOptions): SweepHandlers {
  return {
    'sweeps:create': notYet('sweeps:create'),
    'sweeps:list': notYet('sweeps:list'),
    'sweeps:get': notYet('sweeps:get'),
    'sweeps:stop': notYet('sweeps:stop'),
    'sweeps:resume': notYet('sweeps:resume'),
  };
}
