/**
 * Reproduces d2l's "Sequence Models" section (9.1) with RNN Lab's forecaster, beside PyTorch
 * training the same model on the same data (bench/d2l_sequence_torch.py):
 *
 *   npm run bench -- d2l-sequence [--seeds 5] [--epochs 10] [--cell gru] [--hidden 16] [--json]
 *
 * For each seed: d2l's series x_t = sin(0.01 t) + N(0, 0.2²), T = 1000 (`rnn-lab demo-series`),
 * τ = 4, the first 600 rows for training and the rest for validation; ours is trained and evaluated
 * through the command line (`rnn-lab train --task forecast`, `rnn-lab evaluate`), PyTorch with the
 * same split, z-score, windows, Adam and batch size. Prints the one-step MSE on the validation part
 * and d2l's k-step-ahead MSE (k = 1, 4, 16, 64, from every origin in the validation part), in
 * original units: the medians over the seeds for both and for the last-value baseline, then every
 * seed. The noise alone has MSE 0.04, the floor any one-step predictor can reach.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/index';

interface Side { oneStep: number; baselineOneStep: number; k: number[]; kMse: number[]; baselineK: number[] }

function parseArgs(argv: string[]) {
  const out = { seeds: 5, epochs: 10, cell: 'gru', hidden: 16, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => argv[++i] ?? (() => { throw new Error(`${a} needs a value`); })();
    if (a === '--seeds') out.seeds = Number(value());
    else if (a === '--epochs') out.epochs = Number(value());
    else if (a === '--cell') out.cell = value();
    else if (a === '--hidden') out.hidden = Number(value());
    else if (a === '--json') out.json = true;
    else throw new Error(`unknown argument ${a}`);
  }
  return out;
}

async function cli(args: string[]): Promise<string[]> {
  const lines: string[] = [];
  const errors: string[] = [];
  const code = await main(args, { out: (l) => lines.push(l), err: (l) => errors.push(l), status: { write: () => true } as unknown as NodeJS.WriteStream });
  if (code !== 0) throw new Error(`rnn-lab ${args.join(' ')} exited ${code}: ${errors.join('\n')}`);
  return lines;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((p, q) => p - q);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const args = parseArgs(process.argv.slice(2));
const python = '/usr/bin/python3';
if (!existsSync(python)) throw new Error('PyTorch side needs /usr/bin/python3 with torch (Debian python3-torch)');
const dir = mkdtempSync(join(tmpdir(), 'd2l-sequence-'));
const model = ['--cell', args.cell, '--hidden', String(args.hidden), '--layers', '1', '--epochs', String(args.epochs), '--lr', '0.01', '--batch', '16'];
const ours: Side[] = [], torch: Side[] = [];
let torchVersion = '';
try {
  for (let seed = 0; seed < args.seeds; seed++) {
    const csv = join(dir, `series-${seed}.csv`);
    await cli(['demo-series', '--out', csv, '--seed', String(seed)]);
    const project = join(dir, `project-${seed}`);
    const train = (await cli(['train', '--task', 'forecast', '--data', csv, '--target', 'x', '--window', '4', '--train-fraction', '0.6', '--val-fraction', '0.4',
      ...model, '--seed', String(seed), '--project', project, '--json'])).map((l) => JSON.parse(l) as Record<string, unknown>);
    const summary = train.find((r) => r.type === 'summary')!;
    const ev = JSON.parse((await cli(['evaluate', '--project', project, '--run', String(summary.run), '--k', '1,4,16,64', '--json']))[0]!) as { k: number[]; mse: number[]; baseline_mse: number[] };
    ours.push({ oneStep: summary.val_mse as number, baselineOneStep: summary.baseline_val_mse as number, k: ev.k, kMse: ev.mse, baselineK: ev.baseline_mse });
    const t = JSON.parse(execFileSync(python, [join(import.meta.dirname, 'd2l_sequence_torch.py'), csv, '--window', '4', '--train', '600', '--cell', args.cell,
      '--hidden', String(args.hidden), '--layers', '1', '--epochs', String(args.epochs), '--lr', '0.01', '--batch', '16', '--seed', String(seed)], { encoding: 'utf8' })) as
      { torch: string; one_step_mse: number; baseline_one_step_mse: number; k: number[]; k_mse: number[]; baseline_k_mse: number[] };
    torchVersion = t.torch;
    torch.push({ oneStep: t.one_step_mse, baselineOneStep: t.baseline_one_step_mse, k: t.k, kMse: t.k_mse, baselineK: t.baseline_k_mse });
    if (!args.json) process.stderr.write(`seed ${seed}: ours one-step ${ours[seed]!.oneStep.toFixed(4)}, PyTorch ${torch[seed]!.oneStep.toFixed(4)}\n`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const ks = ours[0]!.k;
const row = (label: string, sides: Side[], pick: (s: Side) => number[]) => `| ${label} | ${ks.map((_, i) => median(sides.map((s) => pick(s)[i]!)).toFixed(4)).join(' | ')} |`;
if (args.json) {
  console.log(JSON.stringify({ torch: torchVersion, seeds: args.seeds, epochs: args.epochs, cell: args.cell, hidden: args.hidden, ours, pytorch: torch }));
} else {
  console.log(`d2l 9.1 series, τ = 4, ${args.cell.toUpperCase()}-${args.hidden} + linear head, Adam lr 0.01, batch 16, ${args.epochs} epochs; medians over seeds 0…${args.seeds - 1}; PyTorch ${torchVersion}`);
  console.log('');
  console.log(`| MSE (original units) | one-step (val) | ${ks.map((k) => `k = ${k}`).join(' | ')} |`);
  console.log(`|---|---|${ks.map(() => '---').join('|')}|`);
  const full = (label: string, sides: Side[], one: (s: Side) => number, pick: (s: Side) => number[]) =>
    console.log(`| ${label} | ${median(sides.map(one)).toFixed(4)} ${row('', sides, pick).slice(3)}`);
  full('RNN Lab', ours, (s) => s.oneStep, (s) => s.kMse);
  full('PyTorch, same model and data', torch, (s) => s.oneStep, (s) => s.kMse);
  full('last value (baseline)', ours, (s) => s.baselineOneStep, (s) => s.baselineK);
  console.log(`| noise floor | 0.0400 | ${ks.map((k) => (k === 1 ? '0.0400' : '')).join(' | ')} |`);
  console.log('');
  console.log('per seed (one-step, k-step…):');
  for (let s = 0; s < args.seeds; s++) {
    console.log(`  seed ${s}: ours ${[ours[s]!.oneStep, ...ours[s]!.kMse].map((v) => v.toFixed(4)).join(' ')} | PyTorch ${[torch[s]!.oneStep, ...torch[s]!.kMse].map((v) => v.toFixed(4)).join(' ')}`);
  }
}
