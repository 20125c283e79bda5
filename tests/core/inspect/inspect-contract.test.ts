import { describe, expect, it } from 'vitest';
import { checkEvent } from '../../../src/main/router';
import { requests } from '../../../src/shared/ipc/contract';

const run = { projectDir: '/p/x.rnnlab', runId: 'r1', checkpoint: null };

describe('inspect contract', () => {
  it('fills defaults (top 5, 2,000 saturation tokens, 200,000 match tokens, 20 context tokens)', () => {
    expect(requests['inspect:start'].request.parse({ ...run, jobId: 'a', source: { kind: 'text', text: 'x' } })).toMatchObject({ topK: 5 });
    expect(requests['inspect:saturation'].request.parse(run)).toMatchObject({ tokens: 2000 });
    expect(requests['inspect:match'].request.parse({ ...run, jobId: 'm', layer: 0, units: [1], threshold: 0.5, length: 3 })).toMatchObject({ corpusTokens: 200_000, context: 20 });
  });

  it('refuses an empty select range, a job id that is not one, and a top-k above 20, naming the field', () => {
    const select = requests['inspect:select'].request.safeParse({ ...run, source: { kind: 'text', text: 'abc' }, layer: 0, from: 2, to: 2, threshold: 0 });
    expect(select.success).toBe(false);
    expect(select.error!.issues[0]!.path).toEqual(['to']);
    expect(requests['inspect:start'].request.safeParse({ ...run, jobId: '../x', source: { kind: 'text', text: 'x' } }).success).toBe(false);
    const topK = requests['inspect:start'].request.safeParse({ ...run, jobId: 'a', source: { kind: 'text', text: 'x' }, topK: 21 });
    expect(topK.error!.issues[0]!.path).toEqual(['topK']);
  });

  it('sends matrices only as Float32Arrays', () => {
    const chunk = (data: unknown) => ({
      jobId: 'a', start: 0, tokens: ['t'],
      layers: [{ h: { rows: 1, cols: 2, data }, c: null, gates: {} }],
      top: { k: 1, tokens: ['h'], probs: new Float32Array([0.5]) },
    });
    expect(checkEvent('inspect:chunk', chunk(new Float32Array([1, 2]))).layers[0]!.h.data).toBeInstanceOf(Float32Array);
    expect(() => checkEvent('inspect:chunk', chunk([1, 2]))).toThrow(/inspect:chunk/);
  });
});
