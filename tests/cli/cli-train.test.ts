import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/index';
import { corpus } from '../core/training-fixtures';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

async function run(argv: string[]) {
  const c = capture();
  const code = await main(argv, c.io);
  return {
    code, out: c.out, err: c.err,
    get json() {
      return c.out.map((l) => JSON.parse(l) as Record<string, unknown>);
    },
  };
}

const MODEL = ['--cell', 'gru', '--hidden', '12', '--steps', '8', '--batch', '4', '--seed', '5', '--checkpoint-every', '1'];

let root: string;
let data: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'rnnlab-cli-'));
  data = join(root, 'corpus.txt');
  writeFileSync(data, corpus(2400, 11));
});

/** Epoch lines without the clock-dependent field. */
const epochs = (json: Record<string, unknown>[]) => json.filter((j) => j.type === 'epoch').map(({ tokens_per_sec: _t, ...rest }) => rest);

describe('rnn-lab train / resume', () => {
  it('prints bit-identical epoch records for train --epochs 4 and for train --epochs 2 then resume --epochs 4', async () => {
    const project = join(root, 'resume.rnnlab');
    const straight = await run(['train', '--data', data, '--project', project, ...MODEL, '--epochs', '4', '--json']);
    expect(straight.code).toBe(0);
    const first = await run(['train', '--data', data, '--project', project, ...MODEL, '--epochs', '2', '--json']);
    expect(first.code).toBe(0);
    const runId = first.json.find((j) => j.type === 'summary')!.run as string;
    const rest = await run(['resume', '--project', project, '--run', runId, '--epochs', '4', '--json']);
    expect(rest.code).toBe(0);

    const all = epochs(straight.json);
    expect(all.map((e) => e.epoch)).toEqual([1, 2, 3, 4]);
    expect(all.every((e) => typeof e.train_ppl === 'number' && typeof e.val_ppl === 'number' && typeof e.grad_norm === 'number' && e.lr === 1)).toBe(true);
    expect([...epochs(first.json), ...epochs(rest.json)]).toEqual(all);

    const summary = rest.json.at(-1)!;
    expect(summary).toMatchObject({ type: 'summary', run: runId, state: 'done', epochs: 4 });
    expect(summary.train_ppl).toBe(all[3]!.train_ppl);
    // the second train reused the imported dataset
    expect(first.json[0]).toMatchObject({ type: 'run', dataset_reused: true, dataset: straight.json[0]!.dataset });

    const listed = await run(['runs', '--project', project, '--json']);
    expect(listed.code).toBe(0);
    expect(listed.json.map((r) => r.state)).toEqual(['done', 'done']);
    expect(listed.json.map((r) => r.id)).toContain(runId);
  });

  it('resumes a diverged run with a lower learning rate', async () => {
    const project = join(root, 'diverge.rnnlab');
    const bad = await run(['train', '--data', data, '--project', project, '--cell', 'rnn', '--nonlinearity', 'relu', '--hidden', '16', '--steps', '8', '--batch', '4', '--clip', '0', '--lr', '100', '--epochs', '2', '--json']);
    expect(bad.code).toBe(1);
    const summary = bad.json.at(-1)!;
    expect(summary).toMatchObject({ type: 'summary', state: 'diverged' });
    expect(summary.message).toMatch(/^Training diverged at update \d+/);
    const again = await run(['resume', '--project', project, '--run', summary.run as string, '--lr', '0.3', '--json']);
    expect(again.code).toBe(0);
    expect(epochs(again.json).map((e) => e.lr)).toEqual([0.3, 0.3]);
  });

  it('refuses to resume a run whose checkpoints are damaged or gone (exit 2, naming the run) instead of training it again from scratch', async () => {
    const project = join(root, 'nockpt.rnnlab');
    const first = await run(['train', '--data', data, '--project', project, ...MODEL, '--epochs', '2', '--json']);
    expect(first.code).toBe(0);
    const runId = first.json.find((j) => j.type === 'summary')!.run as string;
    const folder = join(project, 'runs', runId, 'checkpoints');
    const files = readdirSync(folder).filter((n) => n.endsWith('.safetensors'));
    expect(files.length).toBeGreaterThan(0);
    for (const name of files) {
      const bytes = readFileSync(join(folder, name));
      bytes[bytes.length - 5]! ^= 0x10; // one flipped bit in the data
      writeFileSync(join(folder, name), bytes);
    }
    const metricsBefore = readFileSync(join(project, 'runs', runId, 'metrics.log'));
    const damaged = await run(['resume', '--project', project, '--run', runId, '--epochs', '3', '--json']);
    expect(damaged.code).toBe(2);
    expect(damaged.err.join('\n')).toMatch(new RegExp(`^rnn-lab resume: Run .*${runId}.* cannot be resumed: its ${files.length === 1 ? 'checkpoint file is' : `${files.length} checkpoint files are`} damaged`));
    expect(readFileSync(join(project, 'runs', runId, 'metrics.log'))).toEqual(metricsBefore); // nothing trained

    for (const name of files) rmSync(join(folder, name));
    const gone = await run(['resume', '--project', project, '--run', runId, '--epochs', '3', '--json']);
    expect(gone.code).toBe(2);
    expect(gone.err.join('\n')).toMatch(/cannot be resumed: its checkpoints are gone/);
    expect(readFileSync(join(project, 'runs', runId, 'metrics.log'))).toEqual(metricsBefore);
  });

  it('generates and scores text from a trained run', async () => {
    const project = join(root, 'gen.rnnlab');
    const trained = await run(['train', '--data', data, '--project', project, ...MODEL, '--epochs', '2', '--json']);
    const runId = trained.json.at(-1)!.run as string;
    const greedy = await run(['generate', '--project', project, '--run', runId, '--prefix', 'the time', '--length', '20', '--greedy']);
    expect(greedy.code).toBe(0);
    expect(greedy.out).toHaveLength(1);
    expect(greedy.out[0]!.startsWith('the time')).toBe(true);
    expect(greedy.out[0]!.length).toBe('the time'.length + 20);
    const a = await run(['generate', '--project', project, '--run', runId, '--prefix', 'the', '--length', '30', '--temperature', '0.8', '--top-k', '5', '--top-p', '0.9', '--seed', '4', '--json']);
    const b = await run(['generate', '--project', project, '--run', runId, '--prefix', 'the', '--length', '30', '--temperature', '0.8', '--top-k', '5', '--top-p', '0.9', '--seed', '4', '--json']);
    expect(a.json[0]).toEqual(b.json[0]);
    expect((a.json[0]!.tokens as string[]).length).toBe(30);

    // with no --prefix it warms up on the run's own sample prefix (the corpus' opening words), 100 tokens by default
    const samplePrefix = (JSON.parse(readFileSync(join(project, 'runs', runId, 'config.json'), 'utf8')) as { samplePrefix: string }).samplePrefix;
    expect(samplePrefix.length).toBeGreaterThan(0);
    const plain = await run(['generate', '--project', project, '--run', runId, '--json']);
    expect(plain.code).toBe(0);
    expect(plain.json[0]).toMatchObject({ prefix: samplePrefix });
    expect(plain.json[0]!.tokens as string[]).toHaveLength(100);

    const scored = await run(['score', '--project', project, '--run', runId, '--text', 'the time traveller', '--json']);
    expect(scored.code).toBe(0);
    const s = scored.json[0] as { tokens: string[]; logprobs: number[]; perplexity: number };
    expect(s.tokens.join('')).toBe('the time traveller');
    expect(s.logprobs).toHaveLength(s.tokens.length - 1);
    expect(s.perplexity).toBeCloseTo(Math.exp(-s.logprobs.reduce((x, y) => x + y, 0) / s.logprobs.length), 10);
  });

  it('samples from the corpus opening unless --sample-prefix names another prefix', async () => {
    const project = join(root, 'prefix.rnnlab');
    const opening = (await import('node:fs')).readFileSync(data, 'utf8').split(/\s+/).slice(0, 2).join(' ');
    const samples = (r: { out: string[] }) => r.out.filter((l) => l.includes('sample @ epoch')).map((l) => l.replace(/^.*sample @ epoch \d+: /, '').split('|')[0]);
    const first = await run(['train', '--data', data, '--project', project, ...MODEL, '--epochs', '1']);
    expect(first.code).toBe(0);
    expect(samples(first)[0]!.startsWith(opening)).toBe(true);
    const named = await run(['train', '--data', data, '--project', project, ...MODEL, '--epochs', '1', '--sample-prefix', 'we sat']);
    expect(samples(named)).toEqual(['we sat']);
  });

  it('leaves <unk> out of generated text with --exclude-unk', async () => {
    const project = join(root, 'unk.rnnlab');
    // characters seen fewer than 120 times are <unk>: a good share of this corpus
    const trained = await run(['train', '--data', data, '--project', project, ...MODEL, '--min-freq', '120', '--epochs', '1', '--json']);
    expect(trained.code).toBe(0);
    const runId = trained.json.at(-1)!.run as string;
    const args = ['generate', '--project', project, '--run', runId, '--prefix', 'the', '--length', '400', '--temperature', '2', '--seed', '1', '--json'];
    const tokens = async (extra: string[]) => (await run([...args, ...extra])).json[0]!.tokens as string[];
    expect(await tokens([])).toContain('<unk>');
    const without = await tokens(['--exclude-unk']);
    expect(without).toHaveLength(400);
    expect(without).not.toContain('<unk>');
  });
});

describe('rnn-lab usage errors', () => {
  const cases: [string, string[], RegExp][] = [
    ['an unknown flag', ['train', '--data', 'x', '--project', 'y', '--hiden', '8'], /^rnn-lab train: unknown flag --hiden$/],
    ['a value out of range, named by its flag', ['train', '--data', 'x', '--project', 'y', '--hidden', '99999'], /^rnn-lab train: --hidden: Hidden size must be at most 4096/],
    ['a choice that does not exist', ['train', '--data', 'x', '--project', 'y', '--cell', 'transformer'], /^rnn-lab train: --cell: must be one of rnn, gru, lstm/],
    ['a number that is not one', ['train', '--data', 'x', '--project', 'y', '--lr', 'fast'], /^rnn-lab train: --lr must be a number, not "fast"$/],
    ['a fractional integer', ['train', '--data', 'x', '--project', 'y', '--layers', '1.5'], /^rnn-lab train: --layers: Layers must be a whole number/],
    ['a missing required flag', ['train', '--project', 'y'], /^rnn-lab train: --data is required$/],
    ['a flag without its value', ['runs', '--project'], /^rnn-lab runs: --project needs a value$/],
    ['a resume epoch total out of range', ['resume', '--project', 'y', '--run', 'r', '--epochs', '0'], /^rnn-lab resume: --epochs: Epochs must be a whole number between 1 and/],
    ['greedy mixed with sampling', ['generate', '--project', 'y', '--run', 'r', '--prefix', 'a', '--length', '3', '--greedy', '--top-k', '3'], /^rnn-lab generate: --greedy cannot be combined with --top-k$/],
  ];
  for (const [what, argv, message] of cases) {
    it(`exits 2 with one line naming the flag for ${what}`, async () => {
      const r = await run(argv);
      expect(r.code).toBe(2);
      expect(r.err).toHaveLength(1);
      expect(r.err[0]).toMatch(message);
    });
  }

  it('exits 2 naming --data for a missing file, before creating anything', async () => {
    const project = join(root, 'never.rnnlab');
    const r = await run(['train', '--data', join(root, 'nope.txt'), '--project', project]);
    expect(r.code).toBe(2);
    expect(r.err).toEqual([`rnn-lab train: --data: no such file: ${join(root, 'nope.txt')}`]);
  });

  it('exits 2 naming --project and --run for a folder that is not a project and a run that does not exist', async () => {
    const r = await run(['runs', '--project', join(root, 'missing.rnnlab')]);
    expect(r.code).toBe(2);
    expect(r.err[0]).toMatch(/^rnn-lab runs: --project: .* is not a readable RNN Lab project/);
    const project = join(root, 'empty.rnnlab');
    await run(['train', '--data', data, '--project', project, ...MODEL, '--epochs', '1']);
    const g = await run(['generate', '--project', project, '--run', 'run-nope', '--prefix', 'a', '--length', '3']);
    expect(g.code).toBe(2);
    expect(g.err[0]).toMatch(/^rnn-lab generate: --run: no run "run-nope"/);
  });

  it('prints a command’s flags with --help', async () => {
    const r = await run(['train', '--help']);
    expect(r.code).toBe(0);
    expect(r.out.join('\n')).toContain('--hidden N');
    expect(r.out.join('\n')).toContain('default 256');
  });
});

describe('rnn-lab as a process', () => {
  it('trains through the package bin with one JSON object per line on stdout and nothing on stderr', () => {
    const project = join(root, 'bin.rnnlab');
    const r = spawnSync(process.execPath, ['bin/rnn-lab.js', 'train', '--data', data, '--project', project, ...MODEL, '--epochs', '2', '--json'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string });
    expect(lines.map((l) => l.type)).toEqual(['run', 'epoch', 'epoch', 'summary']);
  });
});
