import { resolve } from 'node:path';
import { importWeights, type ImportWeightsRequest } from '../../core/export';
import { importPytorchRun } from '../../core/export/train-elsewhere';
import { NodeFileSystem } from '../../core/fs/node-file-system';
import { bool, flagHelp, parseFlags, str, type FlagTable } from '../args';
import type { Command } from '../command';
import { lockProject, openProjectDir } from '../project-access';
import { UsageError } from '../usage-error';

const flags: FlagTable = {
  project: { kind: 'string', help: 'Project folder.', required: true },
  weights: { kind: 'string', help: 'A safetensors state dict (embedding.*, rnn.*, output.*).' },
  config: { kind: 'string', help: 'Its config.json (cell, vocab_size, embedding_dim, hidden_size, num_layers, …).' },
  vocab: { kind: 'string', help: 'Its vocab.json (tokens in index order, tokenizer, cleaning).' },
  'from-json': { kind: 'string', help: 'Instead of the three files: one JSON export of RNN Lab.' },
  'from-pytorch-run': { kind: 'string', help: 'Instead: the output folder of train.py (export --format pytorch-run), with its curves.' },
  name: { kind: 'string', help: 'Name of the new run.' },
  json: { kind: 'boolean', help: 'One JSON object on stdout.' },
};

export const importCommand: Command = {
  summary: 'Import weights trained elsewhere (e.g. PyTorch) as a finished run',
  usage: [
    'Usage: rnn-lab import --project DIR --weights FILE --config FILE --vocab FILE [--name NAME]',
    '       rnn-lab import --project DIR --from-json FILE [--name NAME]',
    '       rnn-lab import --project DIR --from-pytorch-run DIR [--name NAME]',
    '',
    ...flagHelp(flags),
  ].join('\n'),
  async run(args, io) {
    const f = parseFlags(args, flags);
    const triple = (['weights', 'config', 'vocab'] as const).filter((n) => f.has(n));
    const json = str(f, 'from-json');
    const pytorchRun = str(f, 'from-pytorch-run');
    if (pytorchRun !== undefined && (json !== undefined || triple.length > 0)) throw new UsageError(`--from-pytorch-run cannot be combined with --${json !== undefined ? 'from-json' : triple[0]}`);
    if (json !== undefined && triple.length > 0) throw new UsageError(`--from-json cannot be combined with --${triple[0]}`);
    if (pytorchRun === undefined && json === undefined && triple.length < 3) {
      throw new UsageError(`--${['weights', 'config', 'vocab'].find((n) => !f.has(n))} is required (or give --from-json)`);
    }
    const fs = new NodeFileSystem();
    const projectDir = await openProjectDir(fs, str(f, 'project')!);
    await lockProject(fs, projectDir); // an import adds a run: one writer at a time; released when the command ends
    const name = str(f, 'name');
    if (pytorchRun !== undefined) {
      const run = await importPytorchRun(fs, { projectDir, dir: resolve(pytorchRun), ...(name !== undefined && { name }) });
      if (bool(f, 'json')) io.out(JSON.stringify({ type: 'run', id: run.id, name: run.name, state: run.state }));
      else io.out(`${run.id}  ${run.name}  (${run.message ?? 'imported'})`);
      return 0;
    }
    const files: ImportWeightsRequest = json !== undefined
      ? { projectDir, jsonPath: resolve(json) }
      : { projectDir, weightsPath: resolve(str(f, 'weights')!), configPath: resolve(str(f, 'config')!), vocabPath: resolve(str(f, 'vocab')!) };
    const run = await importWeights(fs, { ...files, ...(name !== undefined && { name }) });
    if (bool(f, 'json')) io.out(JSON.stringify({ type: 'run', id: run.id, name: run.name, state: run.state }));
    else io.out(`${run.id}  ${run.name}  (${run.message ?? 'imported'})`);
    return 0;
  },
};
