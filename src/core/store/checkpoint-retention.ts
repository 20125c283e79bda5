/**
 * Which checkpoints to keep: the last `keepLast` by step, plus the one with the lowest finite
 * validation perplexity (the earliest on ties), so pruning never deletes the best model.
 */
export interface RetentionEntry {
  name: string;
  step: number;
  valPerplexity?: number;
}

export interface RetentionPolicy {
  keepLast: number;
  keepBest: boolean;
}

export function bestCheckpoint<E extends RetentionEntry>(entries: readonly E[]): E | undefined {
  let best: E | undefined;
  for (const e of entries) {
    const v = e.valPerplexity;
    if (v === undefined || !Number.isFinite(v)) continue;
    if (best === undefined || v < best.valPerplexity! || (v === best.valPerplexity && e.step < best.step)) best = e;
  }
  return best;
}

/** Names to delete under `policy`, oldest first. */
export function checkpointsToDelete(entries: readonly RetentionEntry[], policy: RetentionPolicy): string[] {
  const byStep = [...entries].sort((a, b) => a.step - b.step);
  const keep = new Set(byStep.slice(Math.max(0, byStep.length - Math.max(0, Math.floor(policy.keepLast)))).map((e) => e.name));
  if (policy.keepBest) {
    const best = bestCheckpoint(byStep);
    if (best !== undefined) keep.add(best.name);
  }
  return byStep.filter((e) => !keep.has(e.name)).map((e) => e.name);
}
