import { NodeFileSystem } from '../../core/fs/node-file-system';
import { GenerationService } from '../../core/services/generation-service';
import { bool, flagHelp, parseFlags, str, type FlagTable } from '../args';
import type { Command } from '../command';
import { findTextRun, openProjectDir } from '../project-access';
import { UsageError } from '../usage-error';

const flags: FlagTable = {
  project: { kind: 'string', help: 'Project folder.', required: true },
  run: { kind: 'string', help: 'Run id.', required: true },
  text: { kind: 'string', help: 'Text to score (at least two tokens after cleaning).', required: true },
  checkpoint: { kind: 'string', help: 'Checkpoint file name (default: best by val perplexity, else latest).' },
  json: { kind: 'boolean', help: 'One JSON object on stdout: tokens, logprobs, perplexity.' },
};

export const scoreCommand: Command = {
  summary: "Score a text under a run's model: per-token log-probabilities and perplexity",
  usage: ['Usage: rnn-lab score --project DIR --run ID --text TEXT [--json]', '', ...flagHelp(flags)].join('\n'),
  async run(args, io) {
    const f = parseFlags(args, flags);
    const text = str(f, 'text')!;
    if (text.length === 0 || text.length > 100_000) throw new UsageError('--text: give between 1 and 100000 characters');
    const fs = new NodeFileSystem();
    const projectDir = await openProjectDir(fs, str(f, 'project')!);
    const runId = str(f, 'run')!;
    await findTextRun(fs, projectDir, runId);
    const result = await new GenerationService(fs).score({ projectDir, runId, checkpoint: str(f, 'checkpoint') ?? null, text });
    if (bool(f, 'json')) io.out(JSON.stringify({ tokens: result.tokens, logprobs: result.logprobs, perplexity: result.perplexity }));
    else {
      for (let i = 0; i < result.tokens.length; i++) io.out(`${JSON.stringify(result.tokens[i])}\t${i === 0 ? '-' : result.logprobs[i - 1]!.toFixed(4)}`);
      io.out(`perplexity ${result.perplexity.toFixed(4)}`);
    }
    return 0;
  },
};
