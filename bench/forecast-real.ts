/**
 * A forecaster on a real series against the naive baselines, on the test split (the last rows,
 * never seen in training or model selection):
 *
 *   npm run bench -- forecast-real [FILE] [--target COL] [--window 12] [--hidden 32] [--epochs 60]
 *                                  [--lr 0.005] [--seeds 3] [--json]
 *
 * Default: the yearly sunspot numbers 1700–2008 that Debian's python3-statsmodels ships
 * (/usr/lib/python3/dist-packages/statsmodels/datasets/sunspots/sunspots.csv, column SUNACTIVITY).
 * Each seed trains through the command line (`rnn-lab train --task forecast`, split 70/20/10) and
 * reads the test-split figures of its summary line: MSE and MAE of the model's one-step predictions
 * and of the last-value baseline on the same windows, in original units. Prints the medians and every seed.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/index';

const SUNSPOTS = '/usr/lib/python3/dist-packages/statsmodels/datasets/sunspots/sunspots.csv';

function parseArgs(argv: string[]) {
  const out = { file: SUNSPOTS, target: 'SUNACTIVITY', window: 12, hidden: 32, epochs: 60, lr: 0.005, seeds: 3, cell: 'gru', json: false };
  let fileGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => argv[++i] ?? (() => { throw new Error(`${a} needs a value`); })();
    if (a === '--target') out.target = value();
    else if (a === '--window') out.window = Number(value());
    else if (a === '--hidden') out.hidden = Number(value());
    else if (a === '--epochs') out.epochs = Number(value());
    else if (a === '--lr') out.lr = Number(value());
    else if (a === '--seeds') out.seeds = Number(value());
    else if (a === '--cell') out.cell = value();
    else if (a === '--json') out.json = true;
    else if (!a.startsWith('--') && !fileGiven) { out.file = a; fileGiven = true; }
    else throw new Error(`unknown argument ${a}`);
  }
  if (!existsSync(out.file)) throw new Error(`${out.file} does not exist${out.file === SUNSPOTS ? ' (apt-get install python3-statsmodels)' : ''}`);
  return out;
}

async function cli(args: string[]): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const errors: string[] = [];
  const code = await main(args, { out: (l) => lines.push(l), err: (l) => errors.push(l), status: { write: () => true } as unknown as NodeJS.WriteStream });
  if (code !== 0) throw new Error(`rnn-lab ${args.join(' ')} exited ${code}: ${errors.join('\n')}`);
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((p, q) => p - q);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const args = parseArgs(process.argv.slice(2));
const dir = mkdtempSync(join(tmpdir(), 'forecast-real-'));
const seeds: { seed: number; testMse: number; baselineTestMse: number; testMae: number; baselineTestMae: number; valMse: number; baselineValMse: number; valMae: number; baselineValMae: number }[] = [];
try {
  for (let seed = 0; seed < args.seeds; seed++) {
    const out = await cli(['train', '--task', 'forecast', '--data', args.file, '--target', args.target, '--window', String(args.window), '--cell', args.cell,
      '--hidden', String(args.hidden), '--epochs', String(args.epochs), '--lr', String(args.lr), '--batch', '16', '--seed', String(seed),
      '--project', join(dir, `p${seed}`), '--json']);
    const s = out.find((r) => r.type === 'summary')!;
    if (typeof s.test_mse !== 'number') throw new Error('the run has no test split');
    seeds.push({ seed, testMse: s.test_mse, baselineTestMse: s.baseline_test_mse as number, testMae: s.test_mae as number, baselineTestMae: s.baseline_test_mae as number, valMse: s.val_mse as number, baselineValMse: s.baseline_val_mse as number, valMae: s.val_mae as number, baselineValMae: s.baseline_val_mae as number });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (args.json) {
  console.log(JSON.stringify({ ...args, seeds }));
} else {
  const m = (k: keyof (typeof seeds)[number]) => median(seeds.map((s) => s[k]));
  console.log(`${args.file} (${args.target}), ${args.cell.toUpperCase()}-${args.hidden}, window ${args.window}, ${args.epochs} epochs, Adam lr ${args.lr}, split 70/20/10; medians over ${args.seeds} seeds`);
  console.log('');
  console.log('| split | model MSE | last value MSE | model MAE | last value MAE | model / last value (MSE) |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const [name, a, b, c, d] of [['validation', m('valMse'), m('baselineValMse'), m('valMae'), m('baselineValMae')], ['test', m('testMse'), m('baselineTestMse'), m('testMae'), m('baselineTestMae')]] as const) {
    console.log(`| ${name} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${c.toFixed(2)} | ${d.toFixed(2)} | ${(a / b).toFixed(3)} |`);
  }
  console.log('');
  for (const s of seeds) console.log(`  seed ${s.seed}: test MSE ${s.testMse.toFixed(1)} (last value ${s.baselineTestMse.toFixed(1)}), val MSE ${s.valMse.toFixed(1)} (last value ${s.baselineValMse.toFixed(1)})`);
}
