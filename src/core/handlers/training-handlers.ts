/**
 * `runs:start|pause|resume|stop|step` over the training host. Each answers with the run's summary
 * after the action (live progress included); progress itself arrives as `runs:update` events,
 * which the host sends through the `emit` it was built with.
 */
import type { Handlers } from '../../shared/ipc/handlers';
import { RunsService } from '../services/runs-service';
import type { RunRecord } from '../store/schemas';
import type { TrainingHost } from '../training/training-host';

export type TrainingChannel = 'runs:start' | 'runs:pause' | 'runs:resume' | 'runs:stop' | 'runs:step';
export type TrainingHandlers = Pick<Handlers, TrainingChannel>;
export const TRAINING_CHANNELS: readonly TrainingChannel[] = ['runs:start', 'runs:pause', 'runs:resume', 'runs:stop', 'runs:step'];

export interface TrainingHandlerOptions {
  host: TrainingHost;
  /** Builds the summaries (default: a runs service over the host's file system, live from the host). */
  runs?: RunsService;
}

export function createTrainingHandlers({ host, runs = new RunsService({ fs: host.fs, live: host }) }: TrainingHandlerOptions): TrainingHandlers {
  const summary = (projectDir: string) => (run: RunRecord) => runs.summary(projectDir, run);
  return {
    'runs:start': ({ projectDir, runId }) => host.start(projectDir, runId).then(summary(projectDir)),
    'runs:pause': ({ projectDir, runId }) => host.pause(projectDir, runId).then(summary(projectDir)),
    'runs:resume': ({ projectDir, runId, lr, epochs }) =>
      host.resume(projectDir, runId, { ...(lr !== undefined && { lr }), ...(epochs !== undefined && { epochs }) }).then(summary(projectDir)),
    'runs:stop': ({ projectDir, runId }) => host.stop(projectDir, runId).then(summary(projectDir)),
    'runs:step': ({ projectDir, runId }) => host.step(projectDir, runId).then(summary(projectDir)),
  };
}
