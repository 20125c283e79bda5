import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/index';
import { DEMO_RUNS } from '../../src/core/demo/demo-recipe';
import { NodeFileSystem } from '../../src/core/fs/node-file-system';
import { openProject } from '../../src/core/store/project';
import { tempDir } from '../core/demo-helpers';

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('rnn-lab demo', () => {
  it('writes the demo project to a new folder, which opens with the two runs done and no problems', async () => {
    const dir = join(tempDir('cli'), 'nested', 'demo.rnnlab');
    const r = await run(['demo', '--project', dir]);
    expect(r.code).toBe(0);
    expect(r.err).toEqual([]);
    expect(r.out[0]).toContain(dir);
    const opened = await openProject(new NodeFileSystem(), dir);
    expect(opened.problems).toEqual([]);
    expect(opened.runs.map((x) => [x.id, x.state])).toEqual(DEMO_RUNS.map((x) => [x.id, 'done']));

    const generated = await run(['generate', '--project', dir, '--run', 'demo-gru', '--prefix', 'the time traveller', '--length', '20', '--greedy']);
    expect(generated.code).toBe(0);
  });

  it('writes into an existing empty folder', async () => {
    const dir = tempDir('cli-empty');
    expect((await run(['demo', '--project', dir])).code).toBe(0);
    expect(readdirSync(dir)).toEqual(expect.arrayContaining(['project.json', 'datasets', 'runs']));
  });

  it('refuses a folder that is not empty with exit 2 and one line, touching nothing', async () => {
    const dir = tempDir('cli-busy');
    writeFileSync(join(dir, 'keep.txt'), 'mine');
    mkdirSync(join(dir, 'sub'));
    const r = await run(['demo', '--project', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(/^rnn-lab demo: --project: .* is not empty/);
    expect(readdirSync(dir)).toEqual(['keep.txt', 'sub']);
  });

  it('refuses a file and a missing --project as usage errors', async () => {
    const file = join(tempDir('cli-file'), 'f.txt');
    writeFileSync(file, 'x');
    expect((await run(['demo', '--project', file])).code).toBe(2);
    expect((await run(['demo'])).code).toBe(2);
  });
});
