/**
 * Asks before the window closes while runs train. Off macOS closing the window quits the app,
 * and quitting checkpoints every trainer (running runs become `interrupted` and resume from that
 * checkpoint); on macOS the app stays and training goes on without a window. The question says
 * which of the two will happen.
 */
import type { BrowserWindow, Dialog, MessageBoxOptions } from 'electron';

export interface CloseGuardOptions {
  training: { trainingCount(): number };
  dialog: Pick<Dialog, 'showMessageBox'>;
  /** True when closing the window quits the app (every platform but macOS). */
  quitsOnClose: boolean;
}

/** The question for `count` runs that train or wait to train; button 0 closes, 1 keeps the window. */
export function closeQuestion(count: number, quitsOnClose: boolean): MessageBoxOptions {
  const runs = count === 1 ? 'A run is training' : `${count} runs are training or waiting to train`;
  return quitsOnClose
    ? {
        type: 'warning',
        title: 'Quit RNN Lab?',
        message: `${runs}.`,
        detail: 'Closing the window quits RNN Lab: training stops after saving a checkpoint, and each run continues from there when you resume it.',
        buttons: ['Quit and save training', 'Keep training'],
        defaultId: 1,
        cancelId: 1,
      }
    : {
        type: 'question',
        title: 'Close the window?',
        message: `${runs}.`,
        detail: 'Training goes on in the background after the window closes; open RNN Lab from the Dock to watch it. Quitting RNN Lab saves a checkpoint and stops training.',
        buttons: ['Close window', 'Cancel'],
        defaultId: 1,
        cancelId: 1,
      };
}

type GuardedWindow = Pick<BrowserWindow, 'close'> & { on(event: 'close', listener: (event: { preventDefault(): void }) => void): unknown };

/** Holds the window's close while runs train until the user answers. */
export function guardClose(win: GuardedWindow, options: CloseGuardOptions): void {
  let confirmed = false;
  let asking = false;
  win.on('close', (event) => {
    const count = options.training.trainingCount();
    if (confirmed || count === 0) return;
    event.preventDefault();
    if (asking) return;
    asking = true;
    void options.dialog
      .showMessageBox(win as BrowserWindow, closeQuestion(count, options.quitsOnClose))
      .then(({ response }) => {
        if (response !== 0) return;
        confirmed = true;
        win.close();
      })
      .catch(() => {}) // no answer keeps the window open
      .finally(() => (asking = false));
  });
}
