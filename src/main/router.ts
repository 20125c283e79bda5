/**
 * The single IPC router. It is the only module that calls `ipcMain.handle`, and no handler runs
 * before every check passes: the sender is our window's main frame at our own URL, the payload
 * matches the contract, and (with an access policy) every path it names is the open project or
 * one the user chose. Every failure becomes a coded `WireError` in an envelope.
 */
import type { z } from 'zod';
import { AppError, type Envelope, type WireError } from '../shared/errors';
import { events, preloadChannels, preloadRequests, requestChannels, requests, type EventChannel, type RequestChannel } from '../shared/ipc/contract';
import type { Handlers } from '../shared/ipc/handlers';
import type { AccessPolicy } from './access-policy';

/** The parts of Electron's IpcMainInvokeEvent the router looks at. */
export interface InvokeEventLike {
  sender: { id: number };
  senderFrame: { url: string; parent: unknown } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, payload: unknown) => Promise<unknown>): void;
}

export type SenderCheck = (event: InvokeEventLike) => WireError | null;

/** Trusted renderer location: the built index.html (file:) or, in development, the dev server origin. */
export interface TrustedRenderer {
  webContentsId: () => number | undefined;
  fileUrl?: string;
  devOrigin?: string;
}

export function isTrustedRendererUrl(url: string, trusted: Pick<TrustedRenderer, 'fileUrl' | 'devOrigin'>): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (trusted.fileUrl !== undefined && parsed.protocol === 'file:') {
    const expected = new URL(trusted.fileUrl);
    return parsed.pathname === expected.pathname && parsed.host === expected.host;
  }
  if (trusted.devOrigin !== undefined && (parsed.protocol === 'http:' || parsed.protocol === 'https:')) {
    return parsed.origin === new URL(trusted.devOrigin).origin;
  }
  return false;
}

export function senderCheck(trusted: TrustedRenderer): SenderCheck {
  return (event) => {
    const frame = event.senderFrame;
    if (frame === null) return forbidden('The request came from a frame that no longer exists.');
    if (event.sender.id !== trusted.webContentsId()) return forbidden('The request did not come from the RNN Lab window.');
    if (frame.parent !== null) return forbidden('The request came from a sub-frame, not the main frame.');
    if (!isTrustedRendererUrl(frame.url, trusted)) return forbidden(`The request came from an untrusted page (${safeOrigin(frame.url)}).`);
    return null;
  };
}

export type Dispatch = (event: InvokeEventLike, channel: string, payload: unknown) => Promise<Envelope<unknown>>;

/**
 * The app and the e2e harness pass an access policy; unit tests of handlers over an in-memory disk
 * may leave it out. Without one, the preload-only channels do not exist.
 */
export function createDispatcher(handlers: Handlers, checkSender: SenderCheck, policy?: AccessPolicy): Dispatch {
  return async (event, channel, payload) => {
    const refused = checkSender(event);
    if (refused) return { ok: false, error: refused };
    if (policy && channel === 'files:dropped') {
      const parsed = preloadRequests['files:dropped'].request.safeParse(payload);
      if (!parsed.success) {
        return { ok: false, error: { code: 'InvalidPayload', message: describeIssues(channel, parsed.error), details: { channel } } };
      }
      policy.chooseDropped(parsed.data.path);
      return { ok: true, value: { registered: true } };
    }
    if (!Object.hasOwn(requests, channel)) {
      return { ok: false, error: { code: 'UnknownChannel', message: `There is no channel named "${channel}".` } };
    }
    const spec = requests[channel as RequestChannel];
    const parsed = spec.request.safeParse(payload);
    if (!parsed.success) {
      return { ok: false, error: { code: 'InvalidPayload', message: describeIssues(channel, parsed.error), details: { channel } } };
    }
    try {
      const outside = policy ? await policy.check(channel as RequestChannel, parsed.data) : null;
      if (outside) return { ok: false, error: outside };
      const handler = handlers[channel as RequestChannel] as (request: unknown) => unknown;
      const value = await handler(parsed.data);
      const checked = spec.response.safeParse(value);
      if (!checked.success) {
        return { ok: false, error: { code: 'InvalidResponse', message: describeIssues(channel, checked.error), details: { channel } } };
      }
      policy?.record(channel as RequestChannel, parsed.data, checked.data);
      return { ok: true, value: checked.data };
    } catch (err) {
      return { ok: false, error: toWireError(err) };
    }
  };
}

export function registerIpc(ipcMain: IpcMainLike, dispatch: Dispatch): void {
  for (const channel of [...requestChannels, ...preloadChannels]) {
    ipcMain.handle(channel, (event, payload) => dispatch(event, channel, payload));
  }
}

/** Validates an outgoing event against the contract before it is sent. */
export function checkEvent<E extends EventChannel>(channel: E, payload: unknown): z.output<(typeof events)[E]> {
  const parsed = events[channel].safeParse(payload);
  if (!parsed.success) throw new AppError('InvalidPayload', describeIssues(channel, parsed.error));
  return parsed.data as z.output<(typeof events)[E]>;
}

export function toWireError(err: unknown): WireError {
  if (err instanceof AppError) return err.toWire();
  if (isCodedError(err)) return { code: err.code, message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'Internal', message: `Something went wrong inside RNN Lab: ${message}` };
}

/** Domain errors carry PascalCase codes (`NotEmpty`); Node's `ENOENT`-style codes are not for users. */
function isCodedError(err: unknown): err is Error & { code: string } {
  const code: unknown = err instanceof Error ? (err as unknown as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[A-Z][a-z]+[A-Za-z]*$/.test(code);
}

function describeIssues(channel: string, error: z.ZodError): string {
  const first = error.issues[0];
  const where = first && first.path.length > 0 ? ` at "${first.path.join('.')}"` : '';
  return `Invalid request for ${channel}${where}: ${first?.message ?? 'malformed payload'}`;
}

function forbidden(message: string): WireError {
  return { code: 'ForbiddenSender', message };
}

function safeOrigin(url: string): string {
  try {
    const u = new URL(url);
    return u.protocol === 'file:' ? 'file:' : u.origin;
  } catch {
    return 'an unparsable URL';
  }
}
