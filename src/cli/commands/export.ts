import { resolve } from 'node:path';
import { EXPORT_FORMATS, exportRun, type ExportFormat } from '../../core/export';
import { exportPytorchRun } from '../../core/export/train-elsewhere';
import { NodeFileSystem } from '../../core/fs/node-file-system';
import { readRunConfig } from '../../core/store/runs';
import { isForecastConfig } from '../../shared/forecast-config';
import { bool, flagHelp, parseFlags, str, type FlagTable } from '../args';
import type { Command } from '../command';
import { exportForecastRun } from '../forecast/export-forecast';
import { findRun, openProjectDir } from '../project-access';
import { UsageError } from '../usage-error';

/** The weight formats, and `pytorch-run`: the run as a folder PyTorch trains ("Train elsewhere"). */
const FORMATS = [...EXPORT_FORMATS, 'pytorch-run'] as const;

const flags: FlagTable = {
  project: { kind: 'string', help: 'Project folder.', required: true },
  run: { kind: 'string', help: 'Run id.', required: true },
  checkpoint: { kind: 'string', help: 'Checkpoint file name (default: best by val perplexity, else latest).' },
  format: { kind: 'string', help: `${FORMATS.join(' | ')}.`, required: true },
  out: { kind: 'string', help: 'Output file; for safetensors a folder (model.safetensors, config.json, vocab.json) or a NAME.safetensors path (NAME.config.json and NAME.vocab.json go beside it). A forecast run exports as safetensors (no vocab.json) or onnx. pytorch-run: a folder with train.py, config.json, the data and the initial weights.', required: true },
  prefix: { kind: 'string', help: 'html: the prefix filled in when the page opens.' },
  json: { kind: 'boolean', help: 'One JSON object on stdout.' },
};

export const exportCommand: Command = {
  summary: 'Export a run’s weights (PyTorch safetensors, ONNX, JSON, standalone HTML) or the run itself for PyTorch',
  usage: [
    'Usage: rnn-lab export --project DIR --run ID [--checkpoint NAME] --format safetensors|onnx|json|html --out PATH',
    '       rnn-lab export --project DIR --run ID --format pytorch-run --out DIR   (train elsewhere: python train.py)',
    '',
    ...flagHelp(flags),
  ].join('\n'),
  async run(args, io) {
    const f = parseFlags(args, flags);
    const format = str(f, 'format')!;
    if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${format}"`);
    const fs = new NodeFileSystem();
    const projectDir = await openProjectDir(fs, str(f, 'project')!);
    const runId = str(f, 'run')!;
    await findRun(fs, projectDir, runId);
    if (format === 'pytorch-run') {
      if (f.has('checkpoint')) throw new UsageError('--checkpoint does not apply to --format pytorch-run (it exports the run from its start)');
      const files = await exportPytorchRun(fs, { projectDir, runId, out: resolve(str(f, 'out')!) });
      if (bool(f, 'json')) io.out(JSON.stringify({ type: 'export', format, checkpoint: null, files }));
      else for (const file of files) io.out(`${file.path}  ${file.bytes.toLocaleString('en-US')} bytes`);
      return 0;
    }
    const prefix = str(f, 'prefix');
    const request = { projectDir, runId, checkpoint: str(f, 'checkpoint') ?? null, format: format as ExportFormat, out: resolve(str(f, 'out')!) };
    const result = isForecastConfig(await readRunConfig(fs, projectDir, runId))
      ? await exportForecastRun(fs, request)
      : await exportRun(fs, { ...request, ...(prefix !== undefined && { prefix }) });
    if (bool(f, 'json')) io.out(JSON.stringify({ type: 'export', format, checkpoint: result.checkpoint, files: result.files }));
    else for (const file of result.files) io.out(`${file.path}  ${file.bytes.toLocaleString('en-US')} bytes`);
    return 0;
  },
};
