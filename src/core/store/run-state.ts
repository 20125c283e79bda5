import type { RunState } from './schemas';

/**
 * Allowed run-state moves. `interrupted` is what a `running` run becomes when the app finds it
 * after a crash. A run that has ended (`done`, `failed`, `diverged`) trains again only through an
 * explicit resume of the same run from its last good checkpoint: more epochs after `done`, a lower
 * learning rate after `diverged`, another try after a crashed trainer.
 */
export const RUN_TRANSITIONS: Readonly<Record<RunState, readonly RunState[]>> = {
  queued: ['running', 'failed'],
  running: ['paused', 'done', 'failed', 'diverged', 'interrupted'],
  paused: ['running', 'done', 'failed'],
  interrupted: ['running', 'done', 'failed'],
  done: ['running'],
  failed: ['running'],
  diverged: ['running'],
};

const ENDED: readonly RunState[] = ['done', 'failed', 'diverged'];

export function canTransition(from: RunState, to: RunState): boolean {
  return RUN_TRANSITIONS[from].includes(to);
}

/** The run has ended: nothing trains it until someone resumes it. */
export function hasEnded(state: RunState): boolean {
  return ENDED.includes(state);
}
