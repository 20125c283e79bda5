/**
 * A fake of the `inspect:*` channels for renderer tests and the render bench: deterministic
 * activations (h[t][u] = tanh(sin((t + 1)(u + 1) / 7)) per layer, gates as sigmoids of the same),
 * streamed as the real handlers do — header as the answer, chunks and done as events. A test may
 * hold the stream (`hold`) to look at a half-received inspection, and release it chunk by chunk.
 */
import type { EmitEvent, Handlers } from '../../src/shared/ipc/handlers';
import { CELL_GATES, INSPECT_CHUNK_STEPS, type InspectChunk, type InspectHeader, type InspectRequest } from '../../src/shared/inspect';

export interface InspectFakeOptions {
  cell?: 'rnn' | 'gru' | 'lstm';
  layers?: number;
  units?: number;
  /** Corpus text for dataset slices and match context. */
  corpus?: string;
  /** Emit every chunk before answering the header (events overtaking the answer). */
  chunksFirst?: boolean;
  /** Keep chunks queued until `release` is called. */
  hold?: boolean;
}

export interface InspectFake {
  handlers: Pick<Handlers, 'inspect:start' | 'inspect:cancel' | 'inspect:saliency' | 'inspect:saturation' | 'inspect:select' | 'inspect:match'>;
  /** Sends up to `n` queued chunks (all when omitted), then `done` once the queue is empty. */
  release(n?: number): void;
  cancelled: string[];
  lastMatchJob(): string | null;
}

export const fakeValue = (layer: number, t: number, u: number) => Math.tanh(Math.sin(((t + 1) * (u + 1)) / 7) + layer * 0.1);

export function inspectFake(emit: () => EmitEvent, options: InspectFakeOptions = {}): InspectFake {
  const cell = options.cell ?? 'lstm';
  const L = options.layers ?? 2;
  const H = options.units ?? 8;
  const corpus = options.corpus ?? 'the time traveller for so it will be convenient to speak of him was expounding a recondite matter to us';
  let queue: Array<{ jobId: string; chunk: InspectChunk | null; processed: number }> = [];
  const cancelled: string[] = [];
  let matchJob: string | null = null;

  function tokensOf(req: InspectRequest): { tokens: string[]; start: number } {
    if (req.source.kind === 'text') return { tokens: [...req.source.text], start: 0 };
    const start = Math.min(req.source.start, corpus.length - 1);
    return { tokens: [...corpus.slice(start, start + req.source.count)], start };
  }

  function chunk(jobId: string, tokens: string[], from: number, k: number): InspectChunk {
    const n = Math.min(INSPECT_CHUNK_STEPS, tokens.length - from);
    const m = (f: (l: number, t: number, u: number) => number, l: number) => {
      const data = new Float32Array(n * H);
      for (let t = 0; t < n; t++) for (let u = 0; u < H; u++) data[t * H + u] = f(l, from + t, u);
      return { rows: n, cols: H, data };
    };
    return {
      jobId,
      start: from,
      tokens: tokens.slice(from, from + n),
      layers: Array.from({ length: L }, (_, l) => ({
        h: m(fakeValue, l),
        c: cell === 'lstm' ? m((a, t, u) => 2 * fakeValue(a, t, u), l) : null,
        gates: Object.fromEntries(CELL_GATES[cell].map((g, gi) => [g, m((a, t, u) => 1 / (1 + Math.exp(-3 * fakeValue(a, t + gi, u))), l)])),
      })),
      top: {
        k,
        tokens: Array.from({ length: n * k }, (_, j) => ['e', ' ', 't', 'a', 'h', 'o', 'n'][j % k % 7]!),
        probs: Float32Array.from({ length: n * k }, (_, j) => 0.5 / (1 + (j % k))),
      },
    };
  }

  function release(n = Infinity): void {
    let sent = 0;
    while (queue.length > 0 && sent < n) {
      const next = queue.shift()!;
      if (next.chunk) emit()('inspect:chunk', next.chunk);
      else emit()('inspect:done', { jobId: next.jobId, status: 'done', processed: next.processed, error: null });
      sent++;
    }
  }

  const handlers: InspectFake['handlers'] = {
    'inspect:start': (req) => {
      const { tokens, start } = tokensOf(req as InspectRequest);
      const r = req as InspectRequest;
      const header: InspectHeader = {
        jobId: r.jobId, checkpoint: r.checkpoint ?? 'step-100', cell, numLayers: L, hiddenSize: H, gates: [...CELL_GATES[cell]], steps: tokens.length, separator: '', start, kernels: 'fake',
      };
      queue = queue.filter((q) => q.jobId === r.jobId);
      for (let from = 0; from < tokens.length; from += INSPECT_CHUNK_STEPS) queue.push({ jobId: r.jobId, chunk: chunk(r.jobId, tokens, from, r.topK ?? 5), processed: 0 });
      queue.push({ jobId: r.jobId, chunk: null, processed: tokens.length });
      if (options.chunksFirst) release();
      else if (!options.hold) queueMicrotask(() => release());
      return header;
    },
    'inspect:cancel': ({ jobId }) => {
      cancelled.push(jobId);
      const had = queue.some((q) => q.jobId === jobId) || matchJob === jobId;
      queue = queue.filter((q) => q.jobId !== jobId);
      if (matchJob === jobId) matchJob = null;
      if (had) emit()('inspect:done', { jobId, status: 'cancelled', processed: 0, error: null });
      return { cancelled: had };
    },
    'inspect:saliency': ({ step, target }) => {
      const tokens = corpus.slice(0, step + 1).split('');
      return { checkpoint: 'step-100', step, target: target ?? 'e', probability: 0.42, from: 0, tokens, saliency: tokens.map((_, t) => (t % 3 === 0 ? -1 : 1) * (t + 1) / 10) };
    },
    'inspect:saturation': ({ tokens }) => ({
      checkpoint: 'step-100', cell, tokens: tokens ?? 2000,
      layers: Array.from({ length: L }, () => Object.fromEntries(CELL_GATES[cell].map((g) => [g, { left: Array.from({ length: H }, (_, u) => u / H / 2), right: Array.from({ length: H }, (_, u) => 0.5 - u / H / 2) }]))),
    }),
    'inspect:select': ({ from, to, threshold, layer }) => {
      const units: number[] = [];
      for (let u = 0; u < H; u++) {
        let on = true;
        for (let t = from; t < to; t++) on &&= fakeValue(layer, t, u) > threshold;
        if (on) units.push(u);
      }
      return { units, tokens: [] };
    },
    'inspect:match': ({ jobId }) => {
      matchJob = jobId;
      return { jobId, checkpoint: 'step-100', corpusTokens: corpus.length, separator: '' };
    },
  };
  return { handlers, release, cancelled, lastMatchJob: () => matchJob };
}
