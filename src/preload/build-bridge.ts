/**
 * Builds `window.rnnlab` from the contract. Pure: the Electron wiring passes `invoke` and
 * `subscribe`, so tests check the exposed object without Electron. Only functions are exposed,
 * and a subscription hands the listener the payload alone, never the IPC event (which would leak
 * `sender`).
 */
import { eventChannels, requestChannels } from '../shared/ipc/contract';
import { eventVerb, splitChannel, type LocalVerbs, type RawBridge, type Unsubscribe } from '../shared/ipc/bridge-shape';

export type Invoke = (channel: string, payload: unknown) => Promise<unknown>;
export type Subscribe = (channel: string, listener: (payload: unknown) => void) => Unsubscribe;

export function buildBridge(invoke: Invoke, subscribe: Subscribe, local: LocalVerbs): RawBridge {
  const bridge: Record<string, Record<string, (arg: never) => unknown>> = {};
  const namespace = (name: string) => (bridge[name] ??= {});

  for (const channel of requestChannels) {
    const { namespace: ns, verb } = splitChannel(channel);
    namespace(ns)[verb] = (request: unknown) => invoke(channel, request);
  }
  for (const channel of eventChannels) {
    const { namespace: ns, verb } = eventVerb(channel);
    namespace(ns)[verb] = (listener: unknown) => {
      if (typeof listener !== 'function') throw new TypeError(`${ns}.${verb} needs a function`);
      return subscribe(channel, (payload) => (listener as (p: unknown) => void)(payload));
    };
  }
  for (const [ns, verbs] of Object.entries(local as unknown as Record<string, Record<string, (arg: never) => unknown>>)) {
    for (const [verb, fn] of Object.entries(verbs)) namespace(ns)[verb] = (arg: never) => fn(arg);
  }
  for (const ns of Object.values(bridge)) Object.freeze(ns);
  return Object.freeze(bridge) as unknown as RawBridge;
}

// The e2e harness bundles this file for the page; it needs the drop helper the preload uses too.
export { createDropPaths } from './drop-paths';
