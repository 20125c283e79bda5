import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { trainerWorkerSpec } from '../../src/core/training/worker-launcher';

describe('trainer worker entry', () => {
  it('starts from the tsx bootstrap when the host runs from TypeScript sources', () => {
    const spec = trainerWorkerSpec(new URL('../../src/core/training/worker-launcher.ts', import.meta.url).href);
    expect(fileURLToPath(spec.url)).toMatch(/src\/core\/trainer\/dev-bootstrap\.mjs$/);
    expect(existsSync(spec.url)).toBe(true);
    expect(existsSync(new URL(spec.workerData.entry as string))).toBe(true);
  });

  it('loads trainer-worker.js beside the bundled main process when built', () => {
    const spec = trainerWorkerSpec('file:///opt/rnn-lab/resources/app/out/main/index.js');
    expect(spec.url.href).toBe('file:///opt/rnn-lab/resources/app/out/main/trainer-worker.js');
    expect(spec.workerData).toEqual({});
  });
});
