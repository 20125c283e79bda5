import { defineStore } from 'pinia';
import { computed, markRaw, reactive, ref, shallowRef, watch } from 'vue';
import type { Bridge } from '../bridge';
import type { ForecastRunConfig } from '../../shared/forecast-config';
import type { ForecastDetail, ForecastFuture, ForecastView } from '../../shared/forecast';
import type { MetricRecord, RunEvent } from '../../shared/runs';
import { plainError } from '../lib/plain-errors';
import type { ProjectsStore } from './projects';
import type { RunsStore } from './runs';
import type { ToastsStore } from './types';

/** A forecast run's metric records, kept out of deep reactivity; `versions[runId]` ticks when they grow. */
export interface ForecastMetrics {
  train: MetricRecord[];
  val: MetricRecord[];
}

/**
 * Forecast runs: creating and starting one, its detail and live metric records for the training
 * view, the forecast view's figures (computed by the main process) and a forecast past the end.
 * States and progress stay in the runs store, which receives the same `runs:update` events.
 */
export function defineForecastStore(bridge: Bridge, useProjects: () => ProjectsStore, useRuns: () => RunsStore, useToasts: () => ToastsStore) {
  return defineStore('forecast', () => {
    const projects = useProjects();
    const dir = computed(() => projects.current?.project.dir ?? null);
    const details = shallowRef<Record<string, Omit<ForecastDetail, 'metrics' | 'run'>>>({});
    const metrics = new Map<string, ForecastMetrics>();
    const versions = reactive<Record<string, number>>({});
    const errors = ref<Record<string, string>>({});
    const views = shallowRef<Record<string, ForecastView>>({});
    const viewLoading = ref<Record<string, boolean>>({});
    const viewErrors = ref<Record<string, string>>({});

    watch(
      () => projects.current?.project.dir,
      () => {
        metrics.clear();
        details.value = {};
        views.value = {};
        errors.value = {};
        viewErrors.value = {};
      },
    );

    bridge.runs.onUpdate((e: RunEvent) => {
      if (e.projectDir !== dir.value) return;
      const m = metrics.get(e.runId);
      if (!m) return;
      if (append(m, e.metrics) > 0) versions[e.runId] = (versions[e.runId] ?? 0) + 1;
      const d = details.value[e.runId];
      if (d && e.checkpoints) details.value = { ...details.value, [e.runId]: { ...d, checkpoints: e.checkpoints } };
      // a run that just finished has a new last checkpoint: its figures are stale
      if (e.state !== 'running' && views.value[e.runId]) {
        const { [e.runId]: _v, ...rest } = views.value;
        views.value = rest;
      }
    });

    /** Appends records newer than the last one of their kind (events may race the detail fetch). */
    function append(m: ForecastMetrics, records: readonly MetricRecord[]): number {
      let n = 0;
      for (const r of records) {
        const list = r.kind === 'train' ? m.train : r.kind === 'val' ? m.val : null;
        if (!list) continue;
        const last = list[list.length - 1];
        if (last && (r.step < last.step || (r.step === last.step && r.epoch <= last.epoch))) continue;
        list.push(r);
        n++;
      }
      return n;
    }

    async function open(runId: string): Promise<boolean> {
      if (!dir.value) return false;
      try {
        const d = await bridge.forecast.get({ projectDir: dir.value, runId });
        const m = markRaw<ForecastMetrics>({ train: [], val: [] });
        append(m, d.metrics);
        const known = metrics.get(runId);
        if (known) append(m, [...known.train, ...known.val].sort((a, b) => a.step - b.step));
        metrics.set(runId, m);
        const { metrics: _m, run, ...rest } = d;
        details.value = { ...details.value, [runId]: rest };
        useRuns().applySummary(run);
        versions[runId] = (versions[runId] ?? 0) + 1;
        const { [runId]: _e, ...others } = errors.value;
        errors.value = others;
        return true;
      } catch (err) {
        errors.value = { ...errors.value, [runId]: plainError(err) };
        return false;
      }
    }

    function metricsOf(runId: string): ForecastMetrics | undefined {
      return metrics.get(runId);
    }

    /** Creates a forecast run and starts it; resolves to its id once created (a start that fails is told in a toast). */
    async function createAndStart(config: ForecastRunConfig): Promise<{ id: string | null; error: string | null }> {
      if (!dir.value) return { id: null, error: null };
      let id: string;
      try {
        const created = await bridge.forecast.create({ projectDir: dir.value, config });
        useRuns().applySummary(created);
        id = created.id;
      } catch (err) {
        return { id: null, error: plainError(err) };
      }
      try {
        useRuns().applySummary(await bridge.runs.start({ projectDir: dir.value, runId: id }));
      } catch (err) {
        useToasts().show(`The run was created but could not start: ${plainError(err)}`, { kind: 'error' });
      }
      return { id, error: null };
    }

    async function loadView(runId: string, force = false): Promise<void> {
      if (!dir.value || viewLoading.value[runId] || (views.value[runId] && !force)) return;
      viewLoading.value = { ...viewLoading.value, [runId]: true };
      try {
        const v = await bridge.forecast.view({ projectDir: dir.value, runId });
        views.value = { ...views.value, [runId]: markRaw(v) };
        const { [runId]: _e, ...rest } = viewErrors.value;
        viewErrors.value = rest;
      } catch (err) {
        viewErrors.value = { ...viewErrors.value, [runId]: plainError(err) };
      } finally {
        const { [runId]: _l, ...rest } = viewLoading.value;
        viewLoading.value = rest;
      }
    }

    /** Throws a plain sentence on failure. */
    /** `origin`: the row of the first forecast value (default: just past the end). */
    async function future(runId: string, steps: number, origin?: number): Promise<ForecastFuture> {
      if (!dir.value) throw new Error('No project is open.');
      try {
        return await bridge.forecast.future({ projectDir: dir.value, runId, steps, ...(origin !== undefined && { origin }) });
      } catch (err) {
        throw new Error(plainError(err));
      }
    }

    return { details, versions, errors, views, viewLoading, viewErrors, open, metricsOf, createAndStart, loadView, future };
  });
}

export type ForecastStore = ReturnType<ReturnType<typeof defineForecastStore>>;
