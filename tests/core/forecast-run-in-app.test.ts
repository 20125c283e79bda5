/** A project holding a forecast run (made by rnn-lab train --task forecast) opens and lists in the app's services. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/index';
import { createAppHandlers } from '../../src/core/app-handlers';
import { NodeFileSystem } from '../../src/core/fs/node-file-system';
import { createDataHandlers } from '../../src/core/handlers/runs-handlers';
import { createProjectServices } from '../../src/core/project-services';
import { checkEvent, createDispatcher, type InvokeEventLike } from '../../src/main/router';
import type { OpenedProject } from '../../src/shared/dto';
import type { Envelope } from '../../src/shared/errors';
import type { Handlers } from '../../src/shared/ipc/handlers';
import type { RunDetail, RunSummaryDto } from '../../src/shared/runs';
import { unavailableHandlers } from '../helpers/unavailable-handlers';

const event: InvokeEventLike = { sender: { id: 1 }, senderFrame: { url: 'file:///app/index.html', parent: null } };
const quiet = { out: () => {}, err: () => {} };

async function projectWithForecastRun() {
  const root = mkdtempSync(join(tmpdir(), 'rnnlab-forecast-app-'));
  const projectDir = join(root, 'mixed.rnnlab');
  const series = join(root, 'series.csv');
  const text = join(root, 'tm.txt');
  writeFileSync(text, 'the time machine by h g wells. the time traveller was expounding. '.repeat(30));
  expect(await main(['demo-series', '--out', series], quiet)).toBe(0);
  expect(await main(['train', '--data', text, '--project', projectDir, '--hidden', '8', '--steps', '5', '--batch', '2', '--epochs', '1'], quiet)).toBe(0);
  expect(await main(['train', '--task', 'forecast', '--data', series, '--target', 'x', '--project', projectDir, '--hidden', '8', '--epochs', '1'], quiet)).toBe(0);
  const fs = new NodeFileSystem();
  const handlers = {
    ...unavailableHandlers(),
    ...createAppHandlers({ services: createProjectServices(join(root, 'app-data'), fs), documentsDir: root, version: '0.0.0' }),
    ...createDataHandlers({ fs, emit: (c, p) => void checkEvent(c, p) }),
  } as Handlers;
  const dispatch = createDispatcher(handlers, () => null);
  const call = <T>(channel: string, payload: unknown) => dispatch(event, channel, payload) as Promise<Envelope<T>>;
  const value = async <T>(channel: string, payload: unknown): Promise<T> => {
    const res = await call<T>(channel, payload);
    if (!res.ok) throw new Error(`${channel}: ${res.error.code} ${res.error.message}`);
    return res.value;
  };
  return { projectDir, call, value };
}

describe('a forecast run in the app', () => {
  it('projects:open and runs:list show it beside the text run, with no problem reported', async () => {
    const { projectDir, value } = await projectWithForecastRun();
    const opened = await value<OpenedProject>('projects:open', { dir: projectDir });
    expect(opened.problems).toEqual([]);
    expect(opened.runs).toHaveLength(2);
    expect(opened.datasets.map((d) => d.kind).sort()).toEqual(['csv', 'text']);

    const listed = await value<RunSummaryDto[]>('runs:list', { projectDir });
    expect(listed).toHaveLength(2);
    const forecast = listed.find((r) => r.name === 'forecast x')!;
    expect(forecast).toMatchObject({ state: 'done', bestValPerplexity: null, task: 'forecast' });
    expect(forecast.message).toBe('Finished 1 epoch (update 44).');
  }, 60_000);

  it('runs:get answers the text run and says in words that the forecast run opens in the forecast views', async () => {
    const { projectDir, call, value } = await projectWithForecastRun();
    const listed = await value<RunSummaryDto[]>('runs:list', { projectDir });
    const textRun = listed.find((r) => r.name !== 'forecast x')!;
    const forecast = listed.find((r) => r.name === 'forecast x')!;
    expect((await value<RunDetail>('runs:get', { projectDir, runId: textRun.id })).run.id).toBe(textRun.id);
    const res = await call<RunDetail>('runs:get', { projectDir, runId: forecast.id });
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error).toMatchObject({ code: 'ForecastRun', message: expect.stringContaining('forecast run; the app shows it in its forecast views') });
  }, 60_000);
});
