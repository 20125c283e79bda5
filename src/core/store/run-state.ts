import type { RunState } from './schemas';

/**
 * Allowed run-state moves. `interrupted` is what a `running` run becomes when the app finds it
 * after a crash; it can resume. `done`, `failed` and `diverged` are final: training more means
 * a new run (which may start from a checkpoint).
 */
export const RUN_TRANSITIONS: Readonly<Record<RunState, readonly RunState[]>> = {
  queued: ['running', 'failed'],
  running: ['paused', 'done', 'failed', 'diverged', 'interrupted'],
  paused: ['running', 'done', 'failed'],
  interrupted: ['running', 'done', 'failed'],
  done: [],
  failed: [],
  diverged: [],
};

export function canTransition(from: RunState, to: RunState): boolean {
  return RUN_TRANSITIONS[from].includes(to);
}

export function isFinal(state: RunState): boolean {
  return RUN_TRANSITIONS[state].length === 0;
}
