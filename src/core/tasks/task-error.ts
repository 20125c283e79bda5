/**
 * Errors cross the worker boundary as plain data and are rebuilt as the same class, so the
 * router's `instanceof AppError` mapping and every `code` check behave as if the service had run
 * in this thread. Structured clone would keep only name, message and stack.
 */
import { AppError } from '../../shared/errors';
import { DatasetError } from '../datasets/dataset-error';
import { DemoError } from '../demo/demo-error';
import { FsError } from '../fs/file-system';
import { ProjectLockError } from '../store/project-lock-error';
import { StoreError } from '../store/store-error';
import { ServiceError } from '../services/service-error';
import { TrainingError } from '../training/training-error';
import { ExportError } from '../../engine/export/export-error';
import { SafetensorsError } from '../../engine/formats/safetensors-error';
import { ModelConfigError } from '../../engine/model/config';
import { TextError } from '../../engine/text/errors';
import { InspectError } from '../inspect/inspect-error';

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: unknown;
  details?: unknown;
}

const KNOWN: Record<string, { prototype: Error }> = {
  AppError, DatasetError, DemoError, FsError, ProjectLockError, StoreError, ServiceError, TrainingError,
  ExportError, SafetensorsError, ModelConfigError, TextError, InspectError,
};

export function serializeError(e: unknown): SerializedError {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e) };
  const coded = e as Error & { code?: unknown; details?: unknown };
  return {
    name: e instanceof AppError && !Object.hasOwn(KNOWN, e.name) ? 'AppError' : e.name,
    message: e.message,
    ...(e.stack !== undefined && { stack: e.stack }),
    ...(coded.code !== undefined && { code: coded.code }),
    ...(coded.details !== undefined && { details: coded.details }),
  };
}

/** The error as its own class (without running its constructor), else a plain Error with its code. */
export function reviveError(s: SerializedError): Error {
  const cls = Object.hasOwn(KNOWN, s.name) ? KNOWN[s.name]! : Error;
  const e = Object.create(cls.prototype) as Error & { code?: unknown; details?: unknown };
  Object.defineProperty(e, 'message', { value: s.message, writable: true, configurable: true });
  Object.defineProperty(e, 'stack', { value: s.stack ?? `${s.name}: ${s.message}`, writable: true, configurable: true });
  e.name = s.name;
  if (s.code !== undefined) e.code = s.code;
  if (s.details !== undefined) e.details = s.details;
  return e;
}
