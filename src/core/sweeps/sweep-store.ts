/**
 * A sweep on disk: `sweeps/<id>/sweep.json` holds the config, the state and every trial (written
 * atomically after each change, so a crash leaves the previous whole file), beside
 * `sweeps/<id>/optuna-journal.log`, the same history as Optuna's JournalStorage appends it.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { sweepConfigOutSchema, sweepStateSchema, trialDtoSchema, type SweepConfig, type SweepState, type TrialDto } from '../../shared/sweep';
import type { FileSystem } from '../fs/file-system';
import { FsError } from '../fs/file-system';
import { ensureDir } from '../fs/fs-utils';
import { containedPath, isValidId } from '../store/ids';
import { readJsonFile, writeJsonAtomic } from '../store/json-file';
import { SweepError } from './sweep-error';

export const SWEEPS_DIR = 'sweeps';
export const SWEEP_FILE = 'sweep.json';
export const JOURNAL_FILE = 'optuna-journal.log';

/** A trial as stored: the DTO plus ASHA's rung values (Optuna system attributes). */
export const trialRecordSchema = trialDtoSchema.extend({ rungs: z.record(z.string(), z.number()) });
export type TrialRecord = z.infer<typeof trialRecordSchema>;

export const sweepRecordSchema = z.object({
  formatVersion: z.literal(1),
  id: z.string(),
  config: sweepConfigOutSchema,
  state: sweepStateSchema,
  created: z.string(),
  finished: z.string().nullable(),
  message: z.string().nullable(),
  trials: z.array(trialRecordSchema),
});
export type SweepRecord = z.infer<typeof sweepRecordSchema>;

export const sweepsDir = (projectDir: string): string => join(projectDir, SWEEPS_DIR);

export function sweepDir(projectDir: string, id: string): string {
  if (!isValidId(id)) throw new SweepError('NotFound', `There is no sweep "${String(id).slice(0, 80)}" in this project.`, { sweepId: id });
  return containedPath(sweepsDir(projectDir), id);
}

export const journalPath = (projectDir: string, id: string): string => join(sweepDir(projectDir, id), JOURNAL_FILE);

/** `sweep-20261202-153012-3fa9c2`: sorts by creation time. */
export function newSweepId(now: Date): string {
  const t = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `sweep-${t}-${randomBytes(3).toString('hex')}`;
}

export async function createSweepDir(fs: FileSystem, projectDir: string, record: SweepRecord): Promise<void> {
  await ensureDir(fs, sweepsDir(projectDir));
  const dir = sweepDir(projectDir, record.id);
  await fs.mkdir(dir);
  await writeSweep(fs, projectDir, record);
}

export function writeSweep(fs: FileSystem, projectDir: string, record: SweepRecord): Promise<void> {
  return writeJsonAtomic(fs, join(sweepDir(projectDir, record.id), SWEEP_FILE), record);
}

export async function readSweep(fs: FileSystem, projectDir: string, id: string): Promise<SweepRecord> {
  const path = join(sweepDir(projectDir, id), SWEEP_FILE);
  const read = await readJsonFile(fs, path, sweepRecordSchema);
  if (read.ok) return read.value;
  if (read.reason === 'Missing') throw new SweepError('NotFound', `There is no sweep "${id}" in this project.`, { sweepId: id });
  throw new SweepError('CorruptSweep', `The sweep file ${path} is damaged (${read.detail}); the sweep cannot be opened.`, { sweepId: id, file: path });
}

/** Every readable sweep of the project, oldest first; damaged ones are skipped. */
export async function listSweeps(fs: FileSystem, projectDir: string): Promise<SweepRecord[]> {
  let names: string[];
  try {
    names = await fs.readdir(sweepsDir(projectDir));
  } catch (e) {
    if (e instanceof FsError && e.code === 'NotFound') return [];
    throw e;
  }
  const out: SweepRecord[] = [];
  for (const name of names.filter(isValidId)) {
    try {
      out.push(await readSweep(fs, projectDir, name));
    } catch (e) {
      if (!(e instanceof SweepError)) throw e;
    }
  }
  return out;
}

export function newSweepRecord(id: string, config: SweepConfig, created: string): SweepRecord {
  return { formatVersion: 1, id, config, state: 'running', created, finished: null, message: null, trials: [] };
}

/** The DTO of a stored trial (without the rung bookkeeping). */
export function trialDto(t: TrialRecord): TrialDto {
  const { rungs: _rungs, ...dto } = t;
  return { ...dto, intermediate: dto.intermediate.map((v) => ({ ...v })), params: { ...dto.params } };
}

export type { SweepState };
