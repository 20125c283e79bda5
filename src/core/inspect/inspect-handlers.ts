/**
 * The `inspect:*` channels (issue 13): the hidden-state inspector's jobs run in the task worker;
 * streamed results are pushed as `inspect:chunk`, `inspect:matches` and `inspect:done` events.
 */
import { AppError } from '../../shared/errors';
import type { EmitEvent, Handlers } from '../../shared/ipc/handlers';
import type { Tasks } from '../tasks/task-table';

export type InspectChannel = 'inspect:start' | 'inspect:cancel' | 'inspect:saliency' | 'inspect:saturation' | 'inspect:select' | 'inspect:match';
export type InspectHandlers = Pick<Handlers, InspectChannel>;

export function createInspectHandlers(_options: { emit: EmitEvent; tasks: Tasks }): InspectHandlers {
  const notYet = (): never => {
    throw new AppError('NotImplemented', 'The inspector is not available yet.');
  };
  return {
    'inspect:start': notYet,
    'inspect:cancel': notYet,
    'inspect:saliency': notYet,
    'inspect:saturation': notYet,
    'inspect:select': notYet,
    'inspect:match': notYet,
  };
}
