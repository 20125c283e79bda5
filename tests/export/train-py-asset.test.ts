/**
 * train.py lives twice: as a Python file to read, run and review (src/core/export/train-elsewhere/
 * train.py) and as the string module the app and the CLI bundle (train-py.ts). This test keeps
 * them equal; `UPDATE_TRAIN_PY=1 npx vitest run tests/export/train-py-asset.test.ts` regenerates
 * the module after an edit of train.py.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TRAIN_PY } from '../../src/core/export/train-elsewhere/train-py';

const DIR = resolve(import.meta.dirname, '../../src/core/export/train-elsewhere');

function moduleText(source: string): string {
  const lines = source.split('\n').map((line) => `  ${JSON.stringify(line)},`);
  return [
    '/** Generated from train.py by tests/export/train-py-asset.test.ts (UPDATE_TRAIN_PY=1); edit train.py, not this file. */',
    'export const TRAIN_PY = [',
    ...lines,
    "].join('\\n');",
    '',
  ].join('\n');
}

describe('the bundled train.py', () => {
  it('is the committed train.py, byte for byte', () => {
    const source = readFileSync(resolve(DIR, 'train.py'), 'utf8');
    if (process.env['UPDATE_TRAIN_PY'] === '1') writeFileSync(resolve(DIR, 'train-py.ts'), moduleText(source));
    expect(TRAIN_PY === source, 'train-py.ts is stale: run UPDATE_TRAIN_PY=1 npx vitest run tests/export/train-py-asset.test.ts').toBe(true);
  });
});
