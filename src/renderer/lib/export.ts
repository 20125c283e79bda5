import type { Bridge } from '../bridge';
import { plainError } from './plain-errors';

export interface SaveOutcome {
  path: string | null;
  error: string | null;
}

/** Writes a PNG (data URL from ECharts) through `files:save`; the user picks the path. */
export async function savePng(bridge: Bridge, suggestedName: string, dataUrl: string): Promise<SaveOutcome> {
  const base64 = dataUrl.replace(/^data:image\/png;base64,/, '');
  return save(bridge, { purpose: 'chart-png', suggestedName: safeName(suggestedName), data: base64, encoding: 'base64' });
}

export async function saveCsv(bridge: Bridge, suggestedName: string, csv: string): Promise<SaveOutcome> {
  return save(bridge, { purpose: 'metrics-csv', suggestedName: safeName(suggestedName), data: csv, encoding: 'utf8' });
}

async function save(bridge: Bridge, request: Parameters<Bridge['files']['save']>[0]): Promise<SaveOutcome> {
  try {
    const { path } = await bridge.files.save(request);
    return { path, error: null };
  } catch (err) {
    return { path: null, error: `Could not save the file: ${plainError(err)}` };
  }
}

/** A file name the save dialog can propose on every platform. */
export function safeName(name: string): string {
  return name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '-').slice(0, 200);
}
