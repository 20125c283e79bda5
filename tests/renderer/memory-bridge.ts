/**
 * An in-memory bridge for store and component tests: the preload's real `buildBridge` over the
 * real router, with the in-memory backend's handlers. Events are delivered: `backend.emit` (or
 * `pushMetrics`) goes through the contract's event validator to whoever subscribed.
 */
import { buildBridge } from '../../src/preload/build-bridge';
import { createDispatcher } from '../../src/main/router';
import type { Handlers } from '../../src/shared/ipc/handlers';
import { wrapBridge, type Bridge } from '../../src/renderer/bridge';
import { memoryBackend, type MemoryBackend } from './memory-backend';

export type { MemoryBackend };

export function memoryBridge(overrides: Partial<Handlers> = {}): { bridge: Bridge; backend: MemoryBackend } {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const { backend, handlers } = memoryBackend((channel, payload) => {
    for (const fn of listeners.get(channel) ?? []) fn(payload);
  }, overrides);
  const dispatch = createDispatcher(handlers, () => null);
  const raw = buildBridge(
    (channel, payload) => {
      backend.calls.push(channel);
      backend.requests.push({ channel, payload });
      return dispatch({ sender: { id: 1 }, senderFrame: { url: 'memory:', parent: null } }, channel, payload);
    },
    (channel, fn) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(fn);
      return () => listeners.get(channel)?.delete(fn);
    },
    { files: { pathFor: (file) => `/dropped/${(file as File).name}` } },
  );
  return { bridge: wrapBridge(raw), backend };
}
