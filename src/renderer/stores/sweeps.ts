import { defineStore } from 'pinia';
import { computed, reactive, ref, shallowRef, watch } from 'vue';
import type { Bridge } from '../bridge';
import type { SweepConfigInput, SweepDetail, SweepEvent, SweepSummary, TrialDto } from '../../shared/sweep';
import { plainError } from '../lib/plain-errors';
import type { ProjectsStore } from './projects';
import type { RunsStore } from './runs';
import type { ToastsStore } from './types';

/**
 * The project's sweeps. Summaries are reactive; an opened sweep's detail (config and trials) is
 * replaced as a whole when a trial changes, and `versions[sweepId]` ticks so its charts redraw.
 */
export function defineSweepsStore(bridge: Bridge, useProjects: () => ProjectsStore, useRuns: () => RunsStore, useToasts: () => ToastsStore) {
  return defineStore('sweeps', () => {
    const projects = useProjects();
    const list = ref<SweepSummary[]>([]);
    const details = shallowRef<Record<string, SweepDetail>>({});
    const versions = reactive<Record<string, number>>({});
    const loading = ref<Record<string, boolean>>({});
    const errors = ref<Record<string, string>>({});
    const listError = ref<string | null>(null);
    const busy = ref<Record<string, 'stop' | 'resume'>>({});
    /** Events that arrive while a sweep's detail is being fetched, replayed after it lands. */
    const buffered = new Map<string, SweepEvent[]>();

    const dir = computed(() => projects.current?.project.dir ?? null);
    const byId = computed(() => Object.fromEntries(list.value.map((s) => [s.id, s])) as Record<string, SweepSummary>);

    watch(
      () => projects.current?.project.dir ?? null,
      (now, before) => {
        if (now === before) return;
        list.value = [];
        details.value = {};
        buffered.clear();
        for (const k of Object.keys(versions)) delete versions[k];
        if (now) void refresh();
      },
      { immediate: true },
    );

    bridge.sweeps.onProgress((e: SweepEvent) => {
      if (e.projectDir !== dir.value) return;
      applyEvent(e);
    });

    async function refresh(): Promise<void> {
      const projectDir = dir.value;
      if (!projectDir) return;
      try {
        const got = await bridge.sweeps.list({ projectDir });
        if (projectDir !== dir.value) return;
        list.value = got;
        listError.value = null;
      } catch (err) {
        listError.value = plainError(err);
      }
    }

    function upsert(s: SweepSummary): void {
      const i = list.value.findIndex((x) => x.id === s.id);
      list.value = i < 0 ? [...list.value, s] : list.value.map((x) => (x.id === s.id ? s : x));
      const d = details.value[s.id];
      if (d) details.value = { ...details.value, [s.id]: { ...d, sweep: s } };
    }

    function applyEvent(e: SweepEvent): void {
      upsert(e.sweep);
      if (buffered.has(e.sweepId)) {
        buffered.get(e.sweepId)!.push(e);
        return;
      }
      const d = details.value[e.sweepId];
      if (!d || !e.trial) return;
      const known = d.trials.find((t) => t.number === e.trial!.number);
      if (e.trial.runId && !known?.runId && !useRuns().byId[e.trial.runId]) void useRuns().refresh();
      details.value = { ...details.value, [e.sweepId]: { ...d, sweep: e.sweep, trials: withTrial(d.trials, e.trial) } };
      versions[e.sweepId] = (versions[e.sweepId] ?? 0) + 1;
    }

    /** Fetches a sweep's detail once; later events keep it current. */
    async function open(sweepId: string, force = false): Promise<boolean> {
      const projectDir = dir.value;
      if (!projectDir) return false;
      if (details.value[sweepId] && !force) return true;
      if (buffered.has(sweepId)) return true;
      buffered.set(sweepId, []);
      loading.value = { ...loading.value, [sweepId]: true };
      try {
        const d = await bridge.sweeps.get({ projectDir, sweepId });
        details.value = { ...details.value, [sweepId]: d };
        const queued = buffered.get(sweepId) ?? [];
        buffered.delete(sweepId);
        upsert(d.sweep);
        for (const e of queued) applyEvent(e);
        versions[sweepId] = (versions[sweepId] ?? 0) + 1;
        const { [sweepId]: _e, ...rest } = errors.value;
        errors.value = rest;
        return true;
      } catch (err) {
        buffered.delete(sweepId);
        errors.value = { ...errors.value, [sweepId]: plainError(err) };
        return false;
      } finally {
        const { [sweepId]: _l, ...rest } = loading.value;
        loading.value = rest;
      }
    }

    /** Creates and starts a sweep; resolves to its id, or null with the reason in a toast. */
    async function create(config: SweepConfigInput): Promise<string | null> {
      if (!dir.value) return null;
      try {
        const s = await bridge.sweeps.create({ projectDir: dir.value, config });
        upsert(s);
        return s.id;
      } catch (err) {
        useToasts().show(`Could not start the sweep: ${plainError(err)}`, { kind: 'error' });
        return null;
      }
    }

    async function control(sweepId: string, action: 'stop' | 'resume'): Promise<boolean> {
      if (!dir.value || busy.value[sweepId]) return false;
      busy.value = { ...busy.value, [sweepId]: action };
      try {
        const ref = { projectDir: dir.value, sweepId };
        upsert(action === 'stop' ? await bridge.sweeps.stop(ref) : await bridge.sweeps.resume(ref));
        return true;
      } catch (err) {
        useToasts().show(`Could not ${action} the sweep: ${plainError(err)}`, { kind: 'error' });
        return false;
      } finally {
        const { [sweepId]: _b, ...rest } = busy.value;
        busy.value = rest;
      }
    }

    return { list, byId, details, versions, loading, errors, listError, busy, refresh, open, create, control, applyEvent };
  });
}

export type SweepsStore = ReturnType<ReturnType<typeof defineSweepsStore>>;

/** The trials with `t` put in place of the one with its number (or added), ordered by number. */
export function withTrial(trials: readonly TrialDto[], t: TrialDto): TrialDto[] {
  const i = trials.findIndex((x) => x.number === t.number);
  if (i >= 0) return trials.map((x, j) => (j === i ? t : x));
  return [...trials, t].sort((a, b) => a.number - b.number);
}
