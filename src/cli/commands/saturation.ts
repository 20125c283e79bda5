/**
 * `rnn-lab saturation`: for every gate of every layer, the fraction of steps each unit spends
 * below 0.1 (left) and above 0.9 (right) over the last N tokens of the run's corpus (its
 * validation text). --json: {"layers":[{"<gate>":{"left":[…],"right":[…]}}]}.
 */
import { InspectService } from '../../core/inspect/inspect-service';
import { NodeFileSystem } from '../../core/fs/node-file-system';
import { GenerationService } from '../../core/services/generation-service';
import { DEFAULT_SATURATION_TOKENS, MAX_SATURATION_TOKENS, saturationRequestSchema } from '../../shared/inspect';
import { bool, flagHelp, num, parseFlags, str, type FlagTable } from '../args';
import type { Command } from '../command';
import { findTextRun, openProjectDir } from '../project-access';
import { UsageError } from '../usage-error';

const flags: FlagTable = {
  project: { kind: 'string', help: 'Project folder.', required: true },
  run: { kind: 'string', help: 'Run id.', required: true },
  tokens: { kind: 'number', help: `Tokens to read, from the end of the corpus (1..${MAX_SATURATION_TOKENS}, default ${DEFAULT_SATURATION_TOKENS}).` },
  checkpoint: { kind: 'string', help: 'Checkpoint file name (default: the last one).' },
  json: { kind: 'boolean', help: 'One JSON object on stdout.' },
};

export const saturationCommand: Command = {
  summary: 'How often each gate unit is saturated (< 0.1 or > 0.9) on the validation text',
  usage: ['Usage: rnn-lab saturation --project DIR --run ID [--tokens N] [--checkpoint NAME] [--json]', '', ...flagHelp(flags)].join('\n'),
  async run(args, io) {
    const f = parseFlags(args, flags);
    const fs = new NodeFileSystem();
    const projectDir = await openProjectDir(fs, str(f, 'project')!);
    const runId = str(f, 'run')!;
    await findTextRun(fs, projectDir, runId);
    const parsed = saturationRequestSchema.safeParse({ projectDir, runId, checkpoint: str(f, 'checkpoint') ?? null, ...(f.has('tokens') && { tokens: num(f, 'tokens') }) });
    if (!parsed.success) throw new UsageError(`--${String(parsed.error.issues[0]!.path.at(-1) ?? 'tokens')}: ${parsed.error.issues[0]!.message}`);
    const result = await new InspectService(fs, new GenerationService(fs)).saturation(parsed.data);
    if (bool(f, 'json')) {
      io.out(JSON.stringify({ checkpoint: result.checkpoint, cell: result.cell, tokens: result.tokens, layers: result.layers }));
      return 0;
    }
    io.out(`${result.cell}, ${result.tokens} tokens, checkpoint ${result.checkpoint}: units mostly (> 50 % of steps) left-saturated (< 0.1) / right-saturated (> 0.9)`);
    if (result.cell === 'rnn') io.out('An RNN cell has no gates.');
    result.layers.forEach((layer, l) => {
      for (const [gate, { left, right }] of Object.entries(layer)) {
        const mostly = (xs: number[]) => xs.filter((x) => x > 0.5).length;
        const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
        io.out(`layer ${l} gate ${gate}: ${mostly(left)} left / ${mostly(right)} right of ${left.length} units; mean share left ${mean(left).toFixed(3)}, right ${mean(right).toFixed(3)}`);
      }
    });
    return 0;
  },
};
