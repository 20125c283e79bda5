/**
 * The `inspect:*` channels (issue 13): the hidden-state inspector's work runs in the task worker;
 * streamed results are pushed as `inspect:chunk`, `inspect:matches` and `inspect:done` events.
 */
import type { InspectChunk, InspectHeader, InspectMatches, MatchStart } from '../../shared/inspect';
import type { EmitEvent, Handlers } from '../../shared/ipc/handlers';
import type { Tasks } from '../tasks/task-table';
import { InspectJobs } from './inspect-jobs';

export type InspectChannel = 'inspect:start' | 'inspect:cancel' | 'inspect:saliency' | 'inspect:saturation' | 'inspect:select' | 'inspect:match';
export type InspectHandlers = Pick<Handlers, InspectChannel>;

export function createInspectHandlers({ emit, tasks }: { emit: EmitEvent; tasks: Tasks }): InspectHandlers {
  const jobs = new InspectJobs((done) => emit('inspect:done', done));
  return {
    'inspect:start': (request) =>
      jobs.begin<InspectHeader, InspectChunk>(request.jobId, (onEvent) => tasks.stream('inspect:run', request, onEvent), (chunk) => emit('inspect:chunk', chunk)),
    'inspect:match': (request) =>
      jobs.begin<MatchStart, InspectMatches>(request.jobId, (onEvent) => tasks.stream('inspect:match', request, onEvent), (matches) => emit('inspect:matches', matches)),
    'inspect:cancel': ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),
    'inspect:saliency': (request) => tasks.run('inspect:saliency', request),
    'inspect:saturation': (request) => tasks.run('inspect:saturation', request),
    'inspect:select': (request) => tasks.run('inspect:select', request),
  };
}
