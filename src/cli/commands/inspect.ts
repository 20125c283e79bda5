/**
 * `rnn-lab inspect`: the hidden state of a run over a text, step by step (issue 13). With --json,
 * one object: {"tokens":[…],"layers":[{"h":[[…]],"c":[[…]]|null,"gates":{"i":[[…]],…}}]} with
 * rows = time steps and columns = units (float32 values, printed exactly); --top-k adds "top".
 */
import { InspectError } from '../../core/inspect/inspect-error';
import { InspectService, type InspectEvent } from '../../core/inspect/inspect-service';
import { NodeFileSystem } from '../../core/fs/node-file-system';
import { GenerationService } from '../../core/services/generation-service';
import { inspectRequestSchema, MAX_TOP_K, type InspectChunk, type InspectHeader, type InspectSource } from '../../shared/inspect';
import { bool, flagHelp, num, parseFlags, str, type FlagTable } from '../args';
import type { Command } from '../command';
import { findTextRun, openProjectDir } from '../project-access';
import { UsageError } from '../usage-error';

const flags: FlagTable = {
  project: { kind: 'string', help: 'Project folder.', required: true },
  run: { kind: 'string', help: 'Run id.', required: true },
  text: { kind: 'string', help: "Text to read (cleaned and tokenised as the run's corpus was)." },
  start: { kind: 'number', help: 'Instead of --text: the first corpus token to read (training tokens, then validation tokens).' },
  count: { kind: 'number', help: 'With --start: how many tokens (default 256).' },
  checkpoint: { kind: 'string', help: 'Checkpoint file name (default: the last one).' },
  'top-k': { kind: 'number', help: `Also list the k most probable next tokens after each step (1..${MAX_TOP_K}).` },
  json: { kind: 'boolean', help: 'One JSON object on stdout.' },
};

/** A float32 value in the fewest digits that still read back as the same float32. */
export const f32 = (x: number): number => Number(x.toPrecision(9));

export function matrixRows(m: { rows: number; cols: number; data: Float32Array }): number[][] {
  return Array.from({ length: m.rows }, (_, t) => Array.from(m.data.subarray(t * m.cols, (t + 1) * m.cols), f32));
}

export const inspectCommand: Command = {
  summary: 'Hidden state, cell and gates of a run at every step of a text',
  usage: ['Usage: rnn-lab inspect --project DIR --run ID (--text TEXT | --start N [--count N]) [--checkpoint NAME] [--top-k K] [--json]', '', ...flagHelp(flags)].join('\n'),
  async run(args, io) {
    const f = parseFlags(args, flags);
    const text = str(f, 'text'), start = num(f, 'start');
    if ((text === undefined) === (start === undefined)) throw new UsageError('give either --text or --start (a slice of the corpus)');
    if (text !== undefined && f.has('count')) throw new UsageError('--count goes with --start, not --text');
    const fs = new NodeFileSystem();
    const projectDir = await openProjectDir(fs, str(f, 'project')!);
    const runId = str(f, 'run')!;
    await findTextRun(fs, projectDir, runId);
    const source: InspectSource = text !== undefined ? { kind: 'text', text } : { kind: 'dataset', start: start!, count: num(f, 'count') ?? 256 };
    const parsed = inspectRequestSchema.safeParse({ projectDir, runId, checkpoint: str(f, 'checkpoint') ?? null, jobId: 'cli', source, topK: num(f, 'top-k') ?? 1 });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const key = String(issue.path[issue.path.length - 1] ?? '');
      throw new UsageError(`--${key === 'topK' ? 'top-k' : key}: ${issue.message}`);
    }
    let header: InspectHeader | null = null;
    const chunks: InspectChunk[] = [];
    const emit = (e: InspectEvent) => (e.kind === 'head' ? (header = e.value) : chunks.push(e.value));
    const service = new InspectService(fs, new GenerationService(fs));
    try {
      await service.inspect(parsed.data, { emit, signal: new AbortController().signal });
    } catch (e) {
      if (e instanceof InspectError && typeof e.details?.['field'] === 'string') throw new UsageError(`--${String(e.details['field'])}: ${e.message}`);
      throw e;
    }
    const head = header as InspectHeader | null;
    if (head === null) throw new Error('the inspection ended before it started');
    const tokens = chunks.flatMap((c) => c.tokens);
    const withTop = f.has('top-k');
    const top = () => chunks.flatMap((c) => Array.from({ length: c.tokens.length }, (_, t) =>
      Array.from({ length: c.top.k }, (_, r) => ({ token: c.top.tokens[t * c.top.k + r]!, p: f32(c.top.probs[t * c.top.k + r]!) })).filter((x) => x.token !== '')));
    if (bool(f, 'json')) {
      const layers = Array.from({ length: head.numLayers }, (_, l) => {
        const rows = (pick: (c: InspectChunk) => { rows: number; cols: number; data: Float32Array }) => chunks.flatMap((c) => matrixRows(pick(c)));
        return {
          h: rows((c) => c.layers[l]!.h),
          c: head.cell === 'lstm' ? rows((c) => c.layers[l]!.c!) : null,
          gates: Object.fromEntries(head.gates.map((g) => [g, rows((c) => c.layers[l]!.gates[g]!)])),
        };
      });
      io.out(JSON.stringify({ checkpoint: head.checkpoint, start: head.start, tokens, layers, ...(withTop && { top: top() }) }));
      return 0;
    }
    io.out(`${head.cell} × ${head.numLayers} layers of ${head.hiddenSize} units, ${tokens.length} tokens, checkpoint ${head.checkpoint}`);
    const best = top();
    const last = chunks.length > 0 ? chunks.flatMap((c) => matrixRows(c.layers[head.numLayers - 1]!.h)) : [];
    tokens.forEach((token, t) => {
      const h = last[t]!;
      const mean = h.reduce((s, x) => s + Math.abs(x), 0) / h.length;
      const next = best[t]!.map((x) => `${JSON.stringify(x.token)} ${x.p.toFixed(3)}`).join(', ');
      io.out(`${String(head.start + t).padStart(6)}  ${JSON.stringify(token).padEnd(8)} mean |h| ${mean.toFixed(3)}  next: ${next}`);
    });
    return 0;
  },
};
