/**
 * Errors cross process boundaries as plain data: a stable code that tests assert, a sentence a
 * person understands, and optional details. Every layer throws `AppError` (or a subclass with its
 * own codes); the IPC router turns whatever reaches it into a `WireError`.
 */
export interface WireError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/** Codes the IPC layer itself produces; domain layers add their own (`NotEmpty`, `InvalidUtf8`, …). */
export const IpcErrorCodes = ['ForbiddenSender', 'ForbiddenPath', 'InvalidPayload', 'UnknownChannel', 'InvalidResponse', 'Internal'] as const;
export type IpcErrorCode = (typeof IpcErrorCodes)[number];

export class AppError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  toWire(): WireError {
    return this.details === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, details: this.details };
  }
}

export function isWireError(value: unknown): value is WireError {
  return typeof value === 'object' && value !== null && typeof (value as WireError).code === 'string' && typeof (value as WireError).message === 'string';
}

/** Results travel as envelopes, because Electron flattens rejected invoke() errors into strings. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: WireError };
