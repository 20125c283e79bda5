/**
 * A checkpoint bundle: named tensors (weights, optimizer moments, hidden state, …) plus a JSON
 * state blob (RNG state, iterator position, counters) in one safetensors file. The blob and the
 * summary fields live in `__metadata__`; the checksum is always written and always required.
 */
import { SafetensorsError } from './safetensors-error';
import { encodeSafetensors } from './safetensors-encode';
import { decodeSafetensors, type ExpectedTensor, type ParsedHeader } from './safetensors-decode';
import type { DecodedTensor, SafeTensor } from './safetensors-types';
import { parseTagged, stringifyTagged } from './tagged-json';

export const CHECKPOINT_FORMAT = 'rnnlab-checkpoint';
export const CHECKPOINT_VERSION = 1;

export interface CheckpointSummary {
  step: number;
  /** Validation perplexity when one was measured at this step (NaN when it diverged). */
  valPerplexity?: number;
  /** ISO time supplied by the caller (the engine has no clock). */
  created?: string;
}

export interface CheckpointBundle<T extends SafeTensor = SafeTensor> extends CheckpointSummary {
  tensors: ReadonlyMap<string, T>;
  state: unknown;
}

export function encodeCheckpoint(bundle: CheckpointBundle): Uint8Array {
  if (!Number.isSafeInteger(bundle.step) || bundle.step < 0) throw new SafetensorsError('NotACheckpoint', { step: bundle.step });
  const metadata: Record<string, string> = {
    format: CHECKPOINT_FORMAT,
    format_version: String(CHECKPOINT_VERSION),
    step: String(bundle.step),
    state: stringifyTagged(bundle.state ?? null),
  };
  if (bundle.valPerplexity !== undefined) metadata.val_perplexity = String(bundle.valPerplexity);
  if (bundle.created !== undefined) metadata.created = bundle.created;
  return encodeSafetensors(bundle.tensors, metadata);
}

export function decodeCheckpoint(bytes: Uint8Array, expect?: ReadonlyMap<string, ExpectedTensor>): CheckpointBundle<DecodedTensor> {
  const decoded = decodeSafetensors(bytes, { checksum: 'require', expect });
  const summary = checkpointSummary(decoded.metadata);
  let state: unknown;
  try {
    state = parseTagged(decoded.metadata.state ?? 'null');
  } catch {
    throw new SafetensorsError('NotACheckpoint', { reason: 'state' });
  }
  return { ...summary, tensors: decoded.tensors, state };
}

/** The summary fields of a checkpoint's metadata (from a full decode or a header-only parse). */
export function checkpointSummary(metadata: ParsedHeader['metadata']): CheckpointSummary {
  if (metadata.format !== CHECKPOINT_FORMAT) throw new SafetensorsError('NotACheckpoint', { format: metadata.format });
  if (metadata.format_version !== String(CHECKPOINT_VERSION)) throw new SafetensorsError('NotACheckpoint', { version: metadata.format_version });
  const step = Number(metadata.step);
  if (!/^\d+$/.test(metadata.step ?? '') || !Number.isSafeInteger(step)) throw new SafetensorsError('NotACheckpoint', { step: metadata.step });
  const out: CheckpointSummary = { step };
  if (metadata.val_perplexity !== undefined) {
    const v = Number(metadata.val_perplexity);
    if (metadata.val_perplexity.trim() === '' || (Number.isNaN(v) && metadata.val_perplexity !== 'NaN')) {
      throw new SafetensorsError('NotACheckpoint', { valPerplexity: metadata.val_perplexity });
    }
    out.valPerplexity = v;
  }
  if (metadata.created !== undefined) out.created = metadata.created;
  return out;
}
