/**
 * For fakes that implement only some channels (in-memory bridges, benches): every other channel
 * answers a coded `NotAvailable` error, so a test that strays into one fails loudly.
 */
import { AppError } from '../../src/shared/errors';
import { requestChannels, type RequestChannel } from '../../src/shared/ipc/contract';
import type { Handlers } from '../../src/shared/ipc/handlers';

export function unavailableHandlers(channels: readonly RequestChannel[] = requestChannels): Handlers {
  const table: Record<string, () => never> = {};
  for (const channel of channels) {
    table[channel] = () => {
      throw new AppError('NotAvailable', `“${channel}” is not part of this fake.`);
    };
  }
  return table as unknown as Handlers;
}
