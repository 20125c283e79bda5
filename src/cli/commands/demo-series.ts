import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { D2L_SERIES, d2lSineSeries } from '../../engine/forecast/d2l';
import { Rng } from '../../engine/rng';
import { flagHelp, num, parseFlags, str, type FlagTable } from '../args';
import type { Command } from '../command';
import { UsageError } from '../usage-error';

const flags: FlagTable = {
  out: { kind: 'string', help: 'CSV file to write (columns t,x).', required: true },
  seed: { kind: 'number', help: 'Random seed of the noise (default 0).' },
};

export const demoSeriesCommand: Command = {
  summary: "Write d2l's demo series x_t = sin(0.01 t) + N(0, 0.2²), t = 1…1000, as CSV",
  usage: ['Usage: rnn-lab demo-series --out FILE [--seed N]', '', ...flagHelp(flags)].join('\n'),
  async run(args, io) {
    const f = parseFlags(args, flags);
    const seed = num(f, 'seed') ?? 0;
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new UsageError(`--seed: must be a whole number in 0..4294967295 (got ${seed})`);
    const path = resolve(str(f, 'out')!);
    const x = d2lSineSeries(new Rng(seed));
    const lines = ['t,x', ...Array.from(x, (v, i) => `${i + 1},${v}`)];
    try {
      await writeFile(path, `${lines.join('\n')}\n`, { flag: 'wx' });
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (code === 'EEXIST') throw new UsageError(`--out: ${path} already exists`);
      if (code === 'ENOENT' || code === 'ENOTDIR') throw new UsageError(`--out: cannot write ${path} (its folder does not exist)`);
      throw e;
    }
    io.out(`wrote ${D2L_SERIES.length} rows to ${path}`);
    return 0;
  },
};
