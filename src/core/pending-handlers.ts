/**
 * Channels declared in the contract whose services have not landed yet answer with a coded
 * `NotAvailable` error instead of being silently missing. Each service that lands removes its
 * channels from this list; the list must be empty when the training service is complete.
 */
import { AppError } from '../shared/errors';
import type { Handlers } from '../shared/ipc/handlers';
import type { RequestChannel } from '../shared/ipc/contract';

export function pendingHandlers<C extends RequestChannel>(channels: readonly C[]): Pick<Handlers, C> {
  const table = {} as Record<C, () => never>;
  for (const channel of channels) {
    table[channel] = () => {
      throw new AppError('NotAvailable', `“${channel}” is not available in this build of RNN Lab yet.`);
    };
  }
  return table as unknown as Pick<Handlers, C>;
}

export const PENDING_CHANNELS = [
  'files:save',
] as const satisfies readonly RequestChannel[];
