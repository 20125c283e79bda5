/**
 * How the contract becomes `window.rnnlab`: channel `ns:verb` → `rnnlab.ns.verb(request)`,
 * event `ns:name` → `rnnlab.ns.onName(callback) → unsubscribe`. Types and names derive from the
 * contract, so adding a channel adds its verb everywhere with no second declaration.
 */
import type { Envelope } from '../errors';
import type { EventChannel, EventPayloadOf, RequestChannel, RequestOf, ResponseOf } from './contract';

type Namespace<C extends string> = C extends `${infer N}:${string}` ? N : never;
type Capital<S extends string> = S extends `${infer F}${infer R}` ? `${Uppercase<F>}${R}` : S;

export type Unsubscribe = () => void;

/**
 * Verbs the preload answers itself, without IPC: the file-system path of a file the user dropped
 * on the window (Electron's webUtils; the sandboxed page cannot see paths).
 */
export interface LocalVerbs {
  files: { pathFor(file: Blob): string };
}

/** What the preload exposes: verbs resolve to envelopes; subscriptions pass only the payload. */
export type RawBridge = LocalVerbs & ContractBridge;

type ContractBridge = {
  [N in Namespace<RequestChannel | EventChannel>]: {
    [C in RequestChannel as C extends `${N}:${infer V}` ? V : never]: (request: RequestOf<C>) => Promise<Envelope<ResponseOf<C>>>;
  } & {
    [E in EventChannel as E extends `${N}:${infer V}` ? `on${Capital<V>}` : never]: (listener: (payload: EventPayloadOf<E>) => void) => Unsubscribe;
  };
};

export function splitChannel(channel: string): { namespace: string; verb: string } {
  const i = channel.indexOf(':');
  if (i <= 0 || i === channel.length - 1) throw new Error(`Channel "${channel}" is not namespaced as ns:verb`);
  return { namespace: channel.slice(0, i), verb: channel.slice(i + 1) };
}

export function eventVerb(channel: string): { namespace: string; verb: string } {
  const { namespace, verb } = splitChannel(channel);
  return { namespace, verb: `on${verb[0]!.toUpperCase()}${verb.slice(1)}` };
}
