import { defineStore } from 'pinia';
import { computed, markRaw, reactive, ref, shallowRef, watch } from 'vue';
import type { Bridge } from '../bridge';
import type { RunConfig } from '../../shared/run-config';
import type { CheckpointInfo, RunDetail, RunEstimate, RunEvent, RunSummaryDto, SampleRecord } from '../../shared/runs';
import { RunSeries } from '../charts/metric-columns';
import { plainError } from '../lib/plain-errors';
import type { ProjectsStore } from './projects';
import type { NavigationStore, ToastsStore } from './types';
import { deleteFromListWithUndo } from './list-delete';

/** What the views show of an opened run besides its series: config, checkpoints, divergence, baselines. */
export type RunMeta = Omit<RunDetail, 'metrics' | 'samples' | 'run'>;

const MAX_SAMPLES = 200;

/**
 * The project's runs. Summaries (state, progress) are reactive; the metric series of opened runs
 * live in non-reactive typed arrays (`RunSeries`), and `versions[runId]` ticks when they grow so
 * charts know to redraw.
 */
export function defineRunsStore(bridge: Bridge, useProjects: () => ProjectsStore, useNavigation: () => NavigationStore, useToasts: () => ToastsStore) {
  return defineStore('runs', () => {
    const projects = useProjects();
    const list = ref<RunSummaryDto[]>([]);
    const meta = shallowRef<Record<string, RunMeta>>({});
    const samples = shallowRef<Record<string, SampleRecord[]>>({});
    const versions = reactive<Record<string, number>>({});
    const loading = ref<Record<string, boolean>>({});
    const errors = ref<Record<string, string>>({});
    const listError = ref<string | null>(null);
    const busy = ref<Record<string, string>>({});
    const series = new Map<string, RunSeries>();
    /** Events that arrive while a run's detail is being fetched, replayed after it lands. */
    const buffered = new Map<string, RunEvent[]>();

    const dir = computed(() => projects.current?.project.dir ?? null);
    /** Runs of language models: what generation and the perplexity comparison work on (forecast runs have their own views). */
    const textRuns = computed(() => list.value.filter((r) => r.task !== 'forecast'));
    const byId = computed(() => Object.fromEntries(list.value.map((r) => [r.id, r])) as Record<string, RunSummaryDto>);

    watch(
      () => projects.current,
      (opened, before) => {
        if (opened?.project.dir === before?.project.dir && before) return;
        series.clear();
        buffered.clear();
        meta.value = {};
        samples.value = {};
        for (const k of Object.keys(versions)) delete versions[k];
        list.value = (opened?.runs ?? []).map((r) => ({ id: r.id, name: r.name, state: asState(r.state), created: '', message: null, progress: null, bestValPerplexity: null }));
        if (opened) void refresh();
      },
      { immediate: true },
    );

    // leaving the project while its runs train asks first
    projects.setTrainingCheck(() => list.value.filter((r) => r.state === 'running' || r.state === 'queued').length);

    bridge.runs.onUpdate((e: RunEvent) => {
      if (e.projectDir !== dir.value) return;
      applyEvent(e);
    });

    async function refresh(): Promise<void> {
      if (!dir.value) return;
      try {
        list.value = await bridge.runs.list({ projectDir: dir.value });
        listError.value = null;
      } catch (err) {
        listError.value = plainError(err);
      }
    }

    function applyEvent(e: RunEvent): void {
      const i = list.value.findIndex((r) => r.id === e.runId);
      if (i >= 0) {
        const r = list.value[i]!;
        let best = r.bestValPerplexity;
        for (const m of e.metrics) if (m.kind === 'val' && typeof m.perplexity === 'number' && Number.isFinite(m.perplexity) && (best === null || m.perplexity < best)) best = m.perplexity;
        const next = [...list.value];
        next[i] = { ...r, state: e.state, progress: e.progress ?? r.progress, message: e.message, bestValPerplexity: best };
        list.value = next;
      }
      if (buffered.has(e.runId)) {
        buffered.get(e.runId)!.push(e);
        return;
      }
      const s = series.get(e.runId);
      if (!s) return;
      if (s.append(e.metrics) > 0) versions[e.runId] = (versions[e.runId] ?? 0) + 1;
      if (e.samples.length > 0) samples.value = { ...samples.value, [e.runId]: [...(samples.value[e.runId] ?? []), ...e.samples].slice(-MAX_SAMPLES) };
      const m = meta.value[e.runId];
      if (m && e.divergence && m.divergence !== e.divergence) meta.value = { ...meta.value, [e.runId]: { ...m, divergence: e.divergence } };
      if (m && e.checkpoints) meta.value = { ...meta.value, [e.runId]: { ...meta.value[e.runId]!, checkpoints: withEpochs(e.checkpoints, m.checkpoints, s) } };
    }

    /** Fetches a run's full detail once; later events keep it current. */
    async function open(runId: string, force = false): Promise<boolean> {
      if (!dir.value) return false;
      if (series.has(runId) && !force) return true;
      if (buffered.has(runId)) return waitFor(runId);
      buffered.set(runId, []);
      loading.value = { ...loading.value, [runId]: true };
      try {
        const d = await bridge.runs.get({ projectDir: dir.value, runId });
        const s = markRaw(new RunSeries());
        s.append(d.metrics);
        series.set(runId, s);
        const { metrics: _m, samples: sm, run, ...rest } = d;
        meta.value = { ...meta.value, [runId]: rest };
        samples.value = { ...samples.value, [runId]: sm.slice(-MAX_SAMPLES) };
        upsert(run);
        const queued = buffered.get(runId) ?? [];
        buffered.delete(runId);
        for (const e of queued) applyEvent(e);
        versions[runId] = (versions[runId] ?? 0) + 1;
        const { [runId]: _e, ...restErrors } = errors.value;
        errors.value = restErrors;
        return true;
      } catch (err) {
        buffered.delete(runId);
        errors.value = { ...errors.value, [runId]: plainError(err) };
        return false;
      } finally {
        const { [runId]: _l, ...rest } = loading.value;
        loading.value = rest;
      }
    }

    function waitFor(runId: string): Promise<boolean> {
      return new Promise((resolve) => {
        const stop = watch(
          () => loading.value[runId],
          (l) => {
            if (l) return;
            stop();
            resolve(series.has(runId));
          },
        );
      });
    }

    function seriesOf(runId: string): RunSeries | undefined {
      return series.get(runId);
    }

    /** A summary from a call replaces the listed one, except that a run no trainer reports on any more keeps its last progress. */
    function upsert(run: RunSummaryDto): void {
      const i = list.value.findIndex((r) => r.id === run.id);
      const before = list.value[i];
      const next = run.progress === null && before?.progress && run.state !== 'queued' ? { ...run, progress: before.progress } : run;
      list.value = i < 0 ? [...list.value, next] : list.value.map((r) => (r.id === run.id ? next : r));
    }

    /** Creates a run from a config and starts it; resolves to its id. */
    /** How long `config` will train, measured on this machine by the main process (throws on failure). */
    async function estimate(config: RunConfig): Promise<RunEstimate | null> {
      if (!dir.value) return null;
      return bridge.runs.estimate({ projectDir: dir.value, config });
    }

    async function createAndStart(config: RunConfig): Promise<string | null> {
      if (!dir.value) return null;
      try {
        const created = await bridge.runs.create({ projectDir: dir.value, config });
        upsert(created);
        upsert(await bridge.runs.start({ projectDir: dir.value, runId: created.id }));
        return created.id;
      } catch (err) {
        useToasts().show(`Could not start the run: ${plainError(err)}`, { kind: 'error' });
        return null;
      }
    }

    type Control = 'pause' | 'resume' | 'stop' | 'step' | 'start';
    async function control(runId: string, action: Control, options: { lr?: number } = {}): Promise<boolean> {
      if (!dir.value || busy.value[runId]) return false;
      busy.value = { ...busy.value, [runId]: action };
      try {
        const ref = { projectDir: dir.value, runId };
        const summary =
          action === 'pause' ? await bridge.runs.pause(ref)
          : action === 'stop' ? await bridge.runs.stop(ref)
          : action === 'step' ? await bridge.runs.step(ref)
          : action === 'start' ? await bridge.runs.start(ref)
          : await bridge.runs.resume(options.lr !== undefined ? { ...ref, lr: options.lr } : ref);
        upsert(summary);
        return true;
      } catch (err) {
        useToasts().show(`Could not ${action} the run: ${plainError(err)}`, { kind: 'error' });
        return false;
      } finally {
        const { [runId]: _b, ...rest } = busy.value;
        busy.value = rest;
      }
    }

    /**
     * d2l's remedy for an exploding run: continue from the last good checkpoint at half the learning
     * rate it trains with now, so a second resume halves again.
     */
    async function resumeWithHalfLr(runId: string): Promise<boolean> {
      const m = meta.value[runId];
      if (!m) return false;
      const lr = effectiveLr(m) / 2;
      const ok = await control(runId, 'resume', { lr });
      const now = meta.value[runId];
      if (ok && now) meta.value = { ...meta.value, [runId]: { ...now, effective: { lr, epochs: now.effective?.epochs ?? now.config.epochs } } };
      return ok;
    }

    async function rename(runId: string, name: string): Promise<boolean> {
      const before = byId.value[runId];
      if (!dir.value || !before || before.name === name.trim()) return false;
      const toasts = useToasts();
      try {
        await applyName(runId, name.trim());
        toasts.show(`Renamed “${before.name}” to “${name.trim()}”.`, { action: { label: 'Undo', run: () => void applyName(runId, before.name) } });
        return true;
      } catch (err) {
        toasts.show(plainError(err), { kind: 'error' });
        return false;
      }
    }

    async function applyName(runId: string, name: string): Promise<void> {
      upsert(await bridge.runs.rename({ projectDir: dir.value!, runId, name }));
    }

    function remove(runId: string): void {
      const projectDir = dir.value;
      if (!projectDir) return;
      deleteFromListWithUndo({
        kind: 'run', list, id: runId, toasts: useToasts(), navigation: useNavigation(),
        commit: async () => {
          await bridge.runs.delete({ projectDir, runId });
          series.delete(runId);
        },
        stillOpen: () => dir.value === projectDir,
        putBack: upsert,
      });
    }

    return { list, textRuns, byId, meta, samples, versions, loading, errors, listError, busy, refresh, open, seriesOf, estimate, createAndStart, control, resumeWithHalfLr, rename, remove, applyEvent, applySummary: upsert };
  });
}

export type RunsStore = ReturnType<ReturnType<typeof defineRunsStore>>;

/** The learning rate a run trains with now (config.json's, or the last resume's). */
export function effectiveLr(m: Pick<RunMeta, 'config' | 'effective'>): number {
  return m.effective?.lr ?? m.config.lr;
}

/** A pushed checkpoint list carries no epochs: keep the ones known, and read new ones off the run's series. */
function withEpochs(next: readonly CheckpointInfo[], known: readonly CheckpointInfo[], series: RunSeries | undefined): CheckpointInfo[] {
  const epochs = new Map(known.map((c) => [c.name, c.epoch]));
  return next.map((c) => ({ ...c, epoch: c.epoch ?? epochs.get(c.name) ?? series?.epochAtStep(c.step) ?? null }));
}

function asState(s: string): RunSummaryDto['state'] {
  const states: RunSummaryDto['state'][] = ['queued', 'running', 'paused', 'done', 'failed', 'diverged', 'interrupted'];
  return (states as string[]).includes(s) ? (s as RunSummaryDto['state']) : 'interrupted';
}
