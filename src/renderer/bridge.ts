/**
 * The renderer's one door to the app. It wraps `window.rnnlab` (the preload's raw bridge, whose
 * verbs resolve to envelopes) into a client whose verbs resolve to values and reject with a
 * `BridgeError` carrying the error code. Stores receive a `Bridge`; tests hand them an in-memory one.
 */
import type { Envelope, WireError } from '../shared/errors';
import type { RawBridge } from '../shared/ipc/bridge-shape';

type Verb<F> = F extends (request: infer Q) => Promise<Envelope<infer R>>
  ? undefined extends Q
    ? (request?: Q) => Promise<R>
    : (request: Q) => Promise<R>
  : F;

export type Bridge = { [N in keyof RawBridge]: { [K in keyof RawBridge[N]]: Verb<RawBridge[N][K]> } };

export class BridgeError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;
  constructor(error: WireError) {
    super(error.message);
    this.name = 'BridgeError';
    this.code = error.code;
    this.details = error.details;
  }
}

const LOCAL_VERBS = new Set(['files.pathFor']);

export function wrapBridge(raw: RawBridge): Bridge {
  const client: Record<string, Record<string, unknown>> = {};
  for (const [ns, verbs] of Object.entries(raw as unknown as Record<string, Record<string, (arg: unknown) => unknown>>)) {
    const wrapped: Record<string, unknown> = {};
    for (const [name, fn] of Object.entries(verbs)) {
      // Subscriptions and the preload's local verbs (files.pathFor) answer directly, not in envelopes.
      wrapped[name] = name.startsWith('on') || LOCAL_VERBS.has(`${ns}.${name}`)
        ? fn
        : async (request?: unknown) => {
            const envelope = (await fn(request)) as Envelope<unknown>;
            if (envelope.ok) return envelope.value;
            throw new BridgeError(envelope.error);
          };
    }
    client[ns] = wrapped;
  }
  return client as unknown as Bridge;
}

declare global {
  interface Window {
    rnnlab?: RawBridge;
  }
}

export function windowBridge(): Bridge {
  if (!window.rnnlab) throw new Error('RNN Lab bridge is missing: the page was not loaded by the RNN Lab app.');
  return wrapBridge(window.rnnlab);
}

/** The sentence to show for a failed call. */
export function errorMessage(err: unknown): string {
  if (err instanceof BridgeError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}
