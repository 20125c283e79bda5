import type { FileSystem } from '../../core/fs/file-system';
import { NodeFileSystem } from '../../core/fs/node-file-system';
import { readRunConfig } from '../../core/store/runs';
import { GenerationService } from '../../core/services/generation-service';
import { generateRequestSchema, type Decoding } from '../../shared/runs';
import { bool, flagHelp, num, parseFlags, str, type FlagTable } from '../args';
import type { Command } from '../command';
import { findTextRun, openProjectDir } from '../project-access';
import { UsageError } from '../usage-error';

const DEFAULT_LENGTH = 100;

const flags: FlagTable = {
  project: { kind: 'string', help: 'Project folder.', required: true },
  run: { kind: 'string', help: 'Run id.', required: true },
  prefix: { kind: 'string', help: 'Text the model warms up on (default: the run\'s sample prefix, the corpus\' opening words).' },
  length: { kind: 'number', help: `Tokens to generate (1..10000, default ${DEFAULT_LENGTH}).` },
  greedy: { kind: 'boolean', help: 'Always take the most probable token.' },
  temperature: { kind: 'number', help: 'Sampling temperature (default 1).' },
  'top-k': { kind: 'number', help: 'Sample among the k most probable tokens (0 = all).' },
  'top-p': { kind: 'number', help: 'Nucleus sampling mass (default 1).' },
  seed: { kind: 'number', help: 'Sampling seed (default 0).' },
  'exclude-unk': { kind: 'boolean', help: 'Never generate <unk> (its probability becomes zero; greedy takes the best other token).' },
  checkpoint: { kind: 'string', help: 'Checkpoint file name (default: best by val perplexity, else latest).' },
  json: { kind: 'boolean', help: 'One JSON object on stdout.' },
};

const FLAG_OF: Record<string, string> = { prefix: 'prefix', length: 'length', seed: 'seed', temperature: 'temperature', topK: 'top-k', topP: 'top-p' };

export const generateCommand: Command = {
  summary: 'Generate text from a run after a warm-up prefix',
  usage: ['Usage: rnn-lab generate --project DIR --run ID [--prefix TEXT] [--length N] [--greedy | --temperature T --top-k K --top-p P] [--seed S] [--exclude-unk]', '', ...flagHelp(flags)].join('\n'),
  async run(args, io) {
    const f = parseFlags(args, flags);
    const sampling = ['temperature', 'top-k', 'top-p'].filter((n) => f.has(n));
    if (bool(f, 'greedy') && sampling.length > 0) throw new UsageError(`--greedy cannot be combined with --${sampling[0]}`);
    const decoding: Decoding = bool(f, 'greedy')
      ? { mode: 'greedy' }
      : { mode: 'sample', temperature: num(f, 'temperature') ?? 1, topK: num(f, 'top-k') ?? 0, topP: num(f, 'top-p') ?? 1 };
    const fs = new NodeFileSystem();
    const projectDir = await openProjectDir(fs, str(f, 'project')!);
    const runId = str(f, 'run')!;
    await findTextRun(fs, projectDir, runId);
    const prefix = str(f, 'prefix') ?? (await samplePrefixOf(fs, projectDir, runId));
    if (prefix === null) throw new UsageError('--prefix is required: this run has no sample prefix to start from');
    const parsed = generateRequestSchema.safeParse({
      projectDir, runId, checkpoint: str(f, 'checkpoint') ?? null, prefix, length: num(f, 'length') ?? DEFAULT_LENGTH, decoding, seed: num(f, 'seed') ?? 0,
      ...(bool(f, 'exclude-unk') && { excludeUnk: true }),
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const key = String(issue.path[issue.path.length - 1] ?? '');
      throw new UsageError(`--${FLAG_OF[key] ?? key}: ${issue.message}`);
    }
    const result = await new GenerationService(fs).generate(parsed.data);
    const text = result.tokens.join(result.separator);
    if (bool(f, 'json')) io.out(JSON.stringify({ type: 'generation', prefix: result.prefix, text, tokens: result.tokens, probabilities: result.probabilities }));
    else io.out(`${result.prefix}${result.separator}${text}`);
    return 0;
  },
};

/** The prefix the run's training samples start from (the corpus' opening words unless it was given another); null when it has none. */
async function samplePrefixOf(fs: FileSystem, projectDir: string, runId: string): Promise<string | null> {
  const config = (await readRunConfig(fs, projectDir, runId)) as { samplePrefix?: unknown };
  return typeof config.samplePrefix === 'string' && config.samplePrefix !== '' ? config.samplePrefix : null;
}
