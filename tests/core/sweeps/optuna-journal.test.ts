import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SweepService } from '../../../src/core/sweeps/sweep-service';
import { readRun } from '../../../src/core/store/runs';
import { sweepConfigSchema, type SweepEvent } from '../../../src/shared/sweep';
import { diskTrainingProject, TINY } from '../training-fixtures';
import { optunaRead, testHost } from './sweep-helpers';

/** Python's naive isoformat of our ISO UTC time. */
const naive = (iso: string | null) => (iso === null ? null : `${iso.slice(0, 23)}000`);

describe('the Optuna journal of a real sweep', () => {
  it('is read by Optuna itself with the same trials, params, values, intermediate values and states', async () => {
    const p = await diskTrainingProject();
    const host = testHost(p.fs);
    const events: SweepEvent[] = [];
    const sweeps = new SweepService({ fs: p.fs, host, emit: (e) => events.push(e) });
    const config = sweepConfigSchema.parse({
      name: 'journal', datasetId: p.datasetId, method: 'random', trials: 8, parallel: 1, prune: 'asha', seed: 5,
      base: { ...TINY, epochs: 3, checkpointEvery: 3, sampleEvery: 3 },
      space: { lr: { low: 0.05, high: 5, log: true }, hiddenSize: { low: 4, high: 16 }, cell: { values: ['rnn', 'gru'] } },
    });
    const created = await sweeps.create(p.dir, config);
    const record = await sweeps.wait(p.dir, created.id);
    expect(record.state).toBe('done');
    const detail = await sweeps.get(p.dir, created.id);
    expect(detail.trials).toHaveLength(8);
    const states = new Set(detail.trials.map((t) => t.state));
    expect(states.has('COMPLETE')).toBe(true);
    expect(states.has('PRUNED')).toBe(true); // ASHA stops the ones behind at epochs 1 and 3

    const optuna = optunaRead(detail.journal, created.id);
    expect(optuna.direction).toBe('MINIMIZE');
    expect(optuna.trials.map((t) => ({ number: t.number, state: t.state, params: t.params, value: t.value, intermediate: t.intermediate_values, start: t.datetime_start, end: t.datetime_complete }))).toEqual(
      detail.trials.map((t) => ({
        number: t.number, state: t.state, params: t.params, value: t.value,
        intermediate: Object.fromEntries(t.intermediate.map((v) => [String(v.step), v.value])), start: naive(t.started), end: naive(t.finished),
      })),
    );
    // distributions as Optuna's: log float, int, categorical
    expect(JSON.parse(optuna.trials[0]!.distributions['lr']!)).toEqual({ name: 'FloatDistribution', attributes: { step: null, low: 0.05, high: 5, log: true } });
    expect(JSON.parse(optuna.trials[0]!.distributions['hiddenSize']!)).toEqual({ name: 'IntDistribution', attributes: { log: false, step: 1, low: 4, high: 16 } });
    expect(JSON.parse(optuna.trials[0]!.distributions['cell']!)).toEqual({ name: 'CategoricalDistribution', attributes: { choices: ['rnn', 'gru'] } });
    expect(optuna.trials[0]!.system_attrs).toHaveProperty('completed_rung_0');

    // each trial is a normal run: its config carries the params, and pruned runs say why
    for (const t of detail.trials) {
      const run = await readRun(p.fs, p.dir, t.runId!);
      const cfg = JSON.parse(readFileSync(`${p.dir}/runs/${t.runId}/config.json`, 'utf8'));
      expect(cfg).toMatchObject({ ...t.params, valEvery: 1, name: `journal #${t.number}` });
      expect(run.state).toBe('done');
      if (t.state === 'PRUNED') expect(run.message).toMatch(/^Pruned by ASHA at epoch [13] /);
    }
    // COMPLETE value = best validation perplexity; PRUNED = the last one reported
    for (const t of detail.trials) {
      if (t.state === 'COMPLETE') expect(t.value).toBe(Math.min(...t.intermediate.map((v) => v.value)));
      if (t.state === 'PRUNED') expect(t.value).toBe(t.intermediate.at(-1)!.value);
    }
    expect(detail.sweep.best?.value).toBe(Math.min(...detail.trials.filter((t) => t.state === 'COMPLETE').map((t) => t.value!)));
    expect(events.at(-1)?.sweep.state).toBe('done');
    expect(events.filter((e) => e.trial?.state === 'PRUNED').length).toBeGreaterThan(0);
    await host.shutdown();
  }, 120_000);
});
