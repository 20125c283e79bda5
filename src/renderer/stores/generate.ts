import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { Bridge } from '../bridge';
import type { Decoding, GenerateResult, ScoreResult } from '../../shared/runs';
import { plainError } from '../lib/plain-errors';
import type { ProjectsStore } from './projects';

export interface Source {
  runId: string;
  /** null = the latest weights. */
  checkpoint: string | null;
}

export interface GenerateParams {
  prefix: string;
  length: number;
  decoding: Decoding;
  seed: number;
  /** Never generate `<unk>`. */
  excludeUnk?: boolean;
}

/** Generation and scoring from a run's checkpoint, and the side-by-side comparison. */
export function defineGenerateStore(bridge: Bridge, useProjects: () => ProjectsStore) {
  return defineStore('generate', () => {
    const projects = useProjects();
    const results = shallowRef<Array<{ source: Source; result: GenerateResult } | null>>([null, null]);
    const score = shallowRef<{ source: Source; result: ScoreResult } | null>(null);
    const busy = ref(false);
    const error = ref<string | null>(null);
    const dir = computed(() => projects.current?.project.dir ?? null);

    /** Runs one request with the busy flag and the error message kept up to date. */
    async function attempt(work: (projectDir: string) => Promise<void>): Promise<boolean> {
      if (!dir.value) return false;
      busy.value = true;
      error.value = null;
      try {
        await work(dir.value);
        return true;
      } catch (err) {
        error.value = plainError(err);
        return false;
      } finally {
        busy.value = false;
      }
    }

    /** Generates from one source, or from two with the same prefix and seed. */
    function generate(sources: Source[], params: GenerateParams): Promise<boolean> {
      return attempt(async (projectDir) => {
        const out = await Promise.all(sources.map((s) => bridge.generate.text({ projectDir, runId: s.runId, checkpoint: s.checkpoint, ...params })));
        results.value = [0, 1].map((i) => (sources[i] && out[i] ? { source: sources[i]!, result: out[i]! } : null));
      });
    }

    function scoreText(source: Source, text: string): Promise<boolean> {
      return attempt(async (projectDir) => {
        score.value = { source, result: await bridge.generate.score({ projectDir, runId: source.runId, checkpoint: source.checkpoint, text }) };
      });
    }

    return { results, score, busy, error, generate, scoreText };
  });
}
