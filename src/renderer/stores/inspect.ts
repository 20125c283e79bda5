import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef, watch } from 'vue';
import type { Bridge } from '../bridge';
import type { CorpusMatch, InspectChunk, InspectDone, InspectMatches, InspectSource, SaliencyResult, SaturationResult } from '../../shared/inspect';
import { addChunk, newInspection, type Inspection } from '../components/inspect/inspection-buffer';
import { plainError } from '../lib/plain-errors';
import { BridgeError } from '../bridge';
import type { ProjectsStore } from './projects';

/** Which weights, and which text. */
export interface InspectTarget {
  runId: string;
  /** null = the run's last checkpoint. */
  checkpoint: string | null;
  source: InspectSource;
}

export type JobStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'failed';

let jobCounter = 0;
function newJobId(kind: string): string {
  jobCounter++;
  const random = typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID().slice(0, 8) : String(Math.floor(Math.random() * 1e8));
  return `${kind}-${random}-${jobCounter}`;
}

/**
 * The hidden-state inspector: one inspection streamed in chunks (kept in typed arrays, out of deep
 * reactivity; `version` ticks per chunk), the saturation scatter, saliency for one prediction, and
 * LSTMVis select/match with the corpus matches streamed as they improve. Only the latest job of
 * each kind is listened to; starting another cancels the one before.
 */
export function defineInspectStore(bridge: Bridge, useProjects: () => ProjectsStore) {
  return defineStore('inspect', () => {
    const projects = useProjects();
    const dir = computed(() => projects.current?.project.dir ?? null);

    const target = shallowRef<InspectTarget | null>(null);
    const inspection = shallowRef<Inspection | null>(null);
    const version = ref(0);
    const status = ref<JobStatus>('idle');
    const error = ref<string | null>(null);
    let jobId: string | null = null;
    /** Events of the current job that overtook the header. */
    let early: InspectChunk[] = [];
    let earlyDone: InspectDone | null = null;
    let matchJob: string | null = null;

    const progress = computed(() => {
      void version.value;
      const ins = inspection.value;
      return ins ? { received: ins.received, steps: ins.header.steps } : null;
    });

    bridge.inspect.onChunk((chunk) => {
      if (chunk.jobId === jobId) {
        if (inspection.value) apply(chunk);
        else early.push(chunk);
      }
    });
    bridge.inspect.onDone((done) => {
      if (done.jobId === jobId) {
        if (inspection.value) finish(done);
        else earlyDone = done;
      } else if (done.jobId === matchJob) finishMatch(done);
    });
    bridge.inspect.onMatches((m) => {
      if (m.jobId === matchJob) applyMatches(m);
    });

    function apply(chunk: InspectChunk): void {
      if (!addChunk(inspection.value!, chunk)) {
        fail('The inspection sent data that does not fit what it announced. Try again.');
        return;
      }
      version.value++;
    }
    function finish(done: InspectDone): void {
      status.value = done.status;
      if (done.status === 'failed') error.value = done.error ? plainError(new BridgeError(done.error)) : 'The inspection failed.';
      jobId = null;
      version.value++;
    }
    function fail(message: string): void {
      if (jobId) void bridge.inspect.cancel({ jobId }).catch(() => {});
      jobId = null;
      status.value = 'failed';
      error.value = message;
    }

    /** Starts inspecting; resolves once the header is back (chunks keep arriving after). */
    async function start(next: InspectTarget, topK = 5): Promise<boolean> {
      if (!dir.value) return false;
      await cancel();
      const id = newJobId('inspect');
      jobId = id;
      early = [];
      earlyDone = null;
      target.value = next;
      inspection.value = null;
      status.value = 'running';
      error.value = null;
      clearDerived();
      try {
        const header = await bridge.inspect.start({ projectDir: dir.value, runId: next.runId, checkpoint: next.checkpoint, jobId: id, source: next.source, topK });
        if (jobId !== id) return false;
        inspection.value = markRaw(newInspection(header, topK));
        for (const c of early) apply(c);
        early = [];
        if (earlyDone) finish(earlyDone);
        version.value++;
        return true;
      } catch (err) {
        if (jobId === id) {
          jobId = null;
          status.value = 'failed';
          error.value = plainError(err);
        }
        return false;
      }
    }

    async function cancel(): Promise<void> {
      const id = jobId;
      if (!id) return;
      jobId = null;
      status.value = 'cancelled';
      try {
        await bridge.inspect.cancel({ jobId: id });
      } catch {
        // the job ended on its own meanwhile
      }
    }

    // saturation
    const saturation = shallowRef<SaturationResult | null>(null);
    const saturationBusy = ref(false);
    const saturationError = ref<string | null>(null);
    async function loadSaturation(runId: string, checkpoint: string | null, tokens: number): Promise<void> {
      if (!dir.value) return;
      saturationBusy.value = true;
      saturationError.value = null;
      try {
        saturation.value = markRaw(await bridge.inspect.saturation({ projectDir: dir.value, runId, checkpoint, tokens }));
      } catch (err) {
        saturationError.value = plainError(err);
      } finally {
        saturationBusy.value = false;
      }
    }

    // saliency
    const saliency = shallowRef<SaliencyResult | null>(null);
    const saliencyBusy = ref(false);
    const saliencyError = ref<string | null>(null);
    async function explain(step: number, targetToken: string | null): Promise<void> {
      const t = target.value;
      if (!dir.value || !t) return;
      saliencyBusy.value = true;
      saliencyError.value = null;
      try {
        saliency.value = markRaw(await bridge.inspect.saliency({ projectDir: dir.value, runId: t.runId, checkpoint: t.checkpoint, source: t.source, step, target: targetToken }));
      } catch (err) {
        saliencyError.value = plainError(err);
      } finally {
        saliencyBusy.value = false;
      }
    }

    // select / match (LSTMVis)
    const selected = shallowRef<{ layer: number; from: number; to: number; threshold: number; units: number[] } | null>(null);
    /** The select threshold as typed: kept here so it survives opening a match (a new inspection). */
    const threshold = ref('0.5');
    const selectBusy = ref(false);
    const selectError = ref<string | null>(null);
    async function select(layer: number, from: number, to: number, threshold: number): Promise<void> {
      const t = target.value;
      if (!dir.value || !t) return;
      selectBusy.value = true;
      selectError.value = null;
      try {
        const r = await bridge.inspect.select({ projectDir: dir.value, runId: t.runId, checkpoint: t.checkpoint, source: t.source, layer, from, to, threshold });
        selected.value = { layer, from, to, threshold, units: r.units };
      } catch (err) {
        selectError.value = plainError(err);
      } finally {
        selectBusy.value = false;
      }
    }

    const matches = shallowRef<CorpusMatch[]>([]);
    const matchStatus = ref<JobStatus>('idle');
    const matchProgress = ref<{ scanned: number; total: number } | null>(null);
    const matchError = ref<string | null>(null);
    const matchSeparator = ref('');
    async function findMatches(corpusTokens?: number): Promise<void> {
      const t = target.value;
      const s = selected.value;
      if (!dir.value || !t || !s || s.units.length === 0) return;
      await cancelMatch();
      const id = newJobId('match');
      matchJob = id;
      matches.value = [];
      matchProgress.value = null;
      matchError.value = null;
      matchStatus.value = 'running';
      try {
        const started = await bridge.inspect.match({
          projectDir: dir.value, runId: t.runId, checkpoint: t.checkpoint, jobId: id, layer: s.layer, units: s.units, threshold: s.threshold, length: s.to - s.from,
          ...(corpusTokens !== undefined && { corpusTokens }),
        });
        if (matchJob === id) matchSeparator.value = started.separator;
      } catch (err) {
        if (matchJob === id) {
          matchJob = null;
          matchStatus.value = 'failed';
          matchError.value = plainError(err);
        }
      }
    }
    function applyMatches(m: InspectMatches): void {
      matches.value = markRaw(m.matches);
      matchProgress.value = { scanned: m.scanned, total: m.total };
    }
    function finishMatch(done: InspectDone): void {
      matchJob = null;
      matchStatus.value = done.status;
      if (done.status === 'failed') matchError.value = done.error ? plainError(new BridgeError(done.error)) : 'Finding matches failed.';
    }
    async function cancelMatch(): Promise<void> {
      const id = matchJob;
      if (!id) return;
      matchJob = null;
      matchStatus.value = 'cancelled';
      try {
        await bridge.inspect.cancel({ jobId: id });
      } catch {
        // already over
      }
    }

    function clearDerived(): void {
      saliency.value = null;
      saliencyError.value = null;
      selected.value = null;
      selectError.value = null;
      void cancelMatch();
      matches.value = [];
      matchStatus.value = 'idle';
      matchProgress.value = null;
    }

    watch(dir, () => {
      void cancel();
      inspection.value = null;
      target.value = null;
      status.value = 'idle';
      saturation.value = null;
      clearDerived();
    });

    return {
      target, inspection, version, status, error, progress, start, cancel,
      saturation, saturationBusy, saturationError, loadSaturation,
      saliency, saliencyBusy, saliencyError, explain,
      selected, threshold, selectBusy, selectError, select,
      matches, matchStatus, matchProgress, matchError, matchSeparator, findMatches, cancelMatch,
    };
  });
}
