/** Trained runs on disk for the inspector's core tests, and a reference recording in float64. */
import { GenerationService } from '../../../src/core/services/generation-service';
import { InspectService, type InspectEvent, type JobOutcome } from '../../../src/core/inspect/inspect-service';
import { recordChunk, type ChunkRecord } from '../../../src/engine/inspect';
import { RnnModel } from '../../../src/engine/model/rnn-model';
import type { InspectChunk, InspectHeader, InspectRequest } from '../../../src/shared/inspect';
import type { RunConfig } from '../../../src/shared/run-config';
import { trainedProject } from '../../export/project-fixture';

export { trainedProject };

export function service(fs: ConstructorParameters<typeof GenerationService>[0]): { inspect: InspectService; generation: GenerationService } {
  const generation = new GenerationService(fs);
  return { inspect: new InspectService(fs, generation), generation };
}

export async function trained(config: Partial<RunConfig> = {}) {
  return trainedProject({ cell: 'lstm', numLayers: 2, hiddenSize: 16, ...config }, 10);
}

/** Runs an inspection to its end, collecting head, chunks and outcome. */
export async function inspectAll(s: InspectService, request: InspectRequest, signal: AbortSignal = new AbortController().signal) {
  let header: InspectHeader | null = null;
  const chunks: InspectChunk[] = [];
  const emit = (e: InspectEvent) => (e.kind === 'head' ? (header = e.value) : chunks.push(e.value));
  const outcome: JobOutcome = await s.inspect(request, { emit, signal });
  return { header: header as InspectHeader | null, chunks, outcome };
}

/** h, c and gates of the whole id sequence in one float64 pass from a zero state (TypeScript kernels). */
export async function reference(generation: GenerationService, projectDir: string, runId: string, ids: Int32Array): Promise<ChunkRecord> {
  const loaded = await generation.load(projectDir, runId, null);
  const model = new RnnModel(loaded.model.config, { dtype: Float64Array });
  model.loadParameters(loaded.model.params);
  return recordChunk(model, model.createWorkspace(ids.length, 1), ids, ids.length, model.createState(1));
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** The rows of every chunk's matrix `pick` joined in order. */
export function joined(chunks: InspectChunk[], pick: (c: InspectChunk) => Float32Array): Float32Array {
  const out = new Float32Array(chunks.reduce((n, c) => n + pick(c).length, 0));
  let o = 0;
  for (const c of chunks) { out.set(pick(c), o); o += pick(c).length; }
  return out;
}
