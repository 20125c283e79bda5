/**
 * Reading what the training executor leaves in a run folder, as the DTOs of src/shared/runs.ts:
 * metric and sample records (framed logs), checkpoints with the best one flagged, the divergence
 * report (`divergence.json`). Damaged pieces are skipped.
 */
import { z } from 'zod';
import { bestCheckpoint } from '../store/checkpoint-retention';
import { listCheckpoints, type CheckpointEntry } from '../store/checkpoints';
import { readJsonFile } from '../store/json-file';
import { METRICS_LOG, SAMPLES_LOG, runFile } from '../store/layout';
import { readLog, type LogRead } from '../store/record-log';
import { StoreError } from '../store/store-error';
import { FsError, type FileSystem } from '../fs/file-system';
import {
  metricRecordSchema, nonFiniteReportSchema, sampleRecordSchema,
  type CheckpointInfo, type MetricRecord, type NonFiniteReportDto, type SampleRecord,
} from '../../shared/runs';

export const DIVERGENCE_FILE = 'divergence.json';

const METRIC_FIELDS = ['loss', 'perplexity', 'gradNorm', 'lr', 'tokensPerSec'] as const;

/** Non-finite metric values (a diverged loss) travel as null, as the DTO declares. */
export function toMetricRecord(raw: unknown): MetricRecord | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const copy: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  for (const key of METRIC_FIELDS) {
    const v = copy[key];
    if (typeof v === 'number' && !Number.isFinite(v)) copy[key] = null;
  }
  const parsed = metricRecordSchema.safeParse(copy);
  return parsed.success ? parsed.data : null;
}

/**
 * A log is a timeline. When training resumes from a checkpoint older than the last record (after
 * a crash, a divergence, or a resume with a new learning rate), the step goes backwards: the
 * records written from then on replace the earlier ones from that step forward.
 */
export function latestTimeline<R extends { step: number }>(records: readonly R[]): R[] {
  const out: R[] = [];
  for (const r of records) {
    if (out.length > 0 && r.step < out[out.length - 1]!.step) {
      while (out.length > 0 && out[out.length - 1]!.step >= r.step) out.pop();
    }
    out.push(r);
  }
  return out;
}

/** One of a run's logs; a damaged one is a `CorruptLog` error that names the run and the file. */
async function readRunLog(fs: FileSystem, projectDir: string, runId: string, file: string): Promise<LogRead> {
  try {
    return await readLog(fs, runFile(projectDir, runId, file));
  } catch (e) {
    if (e instanceof StoreError && e.code === 'CorruptLog') throw new StoreError('CorruptLog', { id: runId, file, reason: e.details?.reason }, e);
    if (e instanceof FsError && e.code === 'Io') throw new StoreError('CorruptLog', { id: runId, file, reason: 'Unreadable' }, e);
    throw e;
  }
}

export async function readMetrics(fs: FileSystem, projectDir: string, runId: string): Promise<MetricRecord[]> {
  const { records } = await readRunLog(fs, projectDir, runId, METRICS_LOG);
  return latestTimeline(records.map(toMetricRecord).filter((r): r is MetricRecord => r !== null));
}

export async function readSamples(fs: FileSystem, projectDir: string, runId: string): Promise<SampleRecord[]> {
  const { records } = await readRunLog(fs, projectDir, runId, SAMPLES_LOG);
  const out: SampleRecord[] = [];
  for (const r of records) {
    const parsed = sampleRecordSchema.safeParse(r);
    if (parsed.success) out.push(parsed.data);
  }
  return latestTimeline(out);
}

const finiteOrNull = (v: number | undefined): number | null => (v !== undefined && Number.isFinite(v) ? v : null);

/** Checkpoints by step; `epoch` comes from the metric record logged at the same step, if any. */
export function checkpointInfos(entries: readonly CheckpointEntry[], metrics: readonly MetricRecord[]): CheckpointInfo[] {
  const best = bestCheckpoint(entries);
  const epochAt = new Map<number, number>();
  for (const m of metrics) epochAt.set(m.step, m.epoch);
  return entries.map((e) => ({
    name: e.name,
    step: e.step,
    epoch: epochAt.get(e.step) ?? null,
    valPerplexity: finiteOrNull(e.valPerplexity),
    best: e.name === best?.name,
  }));
}

export async function readCheckpointEntries(fs: FileSystem, projectDir: string, runId: string): Promise<CheckpointEntry[]> {
  return (await listCheckpoints(fs, projectDir, runId)).checkpoints;
}

/** Lowest finite validation perplexity seen in the metric log or in a checkpoint. */
export function bestValPerplexity(entries: readonly CheckpointEntry[], metrics: readonly MetricRecord[]): number | null {
  let best = Infinity;
  for (const e of entries) if (e.valPerplexity !== undefined && Number.isFinite(e.valPerplexity)) best = Math.min(best, e.valPerplexity);
  for (const m of metrics) if (m.kind === 'val' && typeof m.perplexity === 'number' && Number.isFinite(m.perplexity)) best = Math.min(best, m.perplexity);
  return best === Infinity ? null : best;
}

const engineReport = z.object({
  cause: z.string().optional(),
  parameter: z.object({ name: z.string() }).nullable().optional(),
  gradient: z.object({ name: z.string() }).nullable().optional(),
  hidden: z.object({ step: z.number().int() }).nullable().optional(),
  message: z.string(),
});

/**
 * `runs/<id>/divergence.json`: either the DTO itself ({ where, parameter, timeStep, message }) or
 * the engine's `DivergenceReport` as the trainer returns it, mapped onto the DTO.
 */
export function toNonFiniteReport(raw: unknown): NonFiniteReportDto | null {
  const direct = nonFiniteReportSchema.safeParse(raw);
  if (direct.success) return direct.data;
  const report = engineReport.safeParse(raw);
  if (!report.success) return null;
  const r = report.data;
  return { where: r.cause ?? 'unknown', parameter: r.parameter?.name ?? r.gradient?.name ?? null, timeStep: r.hidden?.step ?? null, message: r.message };
}

export async function readDivergence(fs: FileSystem, projectDir: string, runId: string): Promise<NonFiniteReportDto | null> {
  const read = await readJsonFile(fs, runFile(projectDir, runId, DIVERGENCE_FILE), z.unknown());
  return read.ok ? toNonFiniteReport(read.value) : null;
}

