import type { RunState } from '../../shared/runs';

export const STATE_WORDS: Record<RunState, string> = {
  queued: 'queued',
  running: 'running',
  paused: 'paused',
  done: 'done',
  failed: 'failed',
  diverged: 'diverged',
  interrupted: 'interrupted',
};

export const STATE_GLYPHS: Record<RunState, string> = { queued: '◷', running: '', paused: '❚❚', done: '✓', failed: '✕', diverged: '⚠', interrupted: '◌' };

export const isActive = (s: RunState) => s === 'running' || s === 'queued';
