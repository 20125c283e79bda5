import { describe, expect, it, vi } from 'vitest';
import { closeQuestion, guardClose } from '../../src/main/close-guard';

/** A window whose close can be prevented, like Electron's. */
function fakeWindow() {
  const listeners: Array<(e: { preventDefault(): void }) => void> = [];
  const win = {
    closed: false,
    on: (_event: 'close', fn: (e: { preventDefault(): void }) => void) => listeners.push(fn),
    close: vi.fn(() => {
      let prevented = false;
      for (const fn of listeners) fn({ preventDefault: () => (prevented = true) });
      if (!prevented) win.closed = true;
    }),
  };
  return win;
}

const answer = (response: number) => ({ showMessageBox: vi.fn(async () => ({ response, checkboxChecked: false })) });

describe('close guard', () => {
  it('closes at once when nothing trains', () => {
    const win = fakeWindow();
    const dialog = answer(0);
    guardClose(win, { training: { trainingCount: () => 0 }, dialog, quitsOnClose: true });
    win.close();
    expect(win.closed).toBe(true);
    expect(dialog.showMessageBox).not.toHaveBeenCalled();
  });

  it('asks while a run trains and keeps the window open when the user keeps training', async () => {
    const win = fakeWindow();
    const dialog = answer(1);
    guardClose(win, { training: { trainingCount: () => 1 }, dialog, quitsOnClose: true });
    win.close();
    expect(win.closed).toBe(false);
    await vi.waitFor(() => expect(dialog.showMessageBox).toHaveBeenCalledTimes(1));
    await Promise.resolve();
    expect(win.closed).toBe(false);
    expect(win.close).toHaveBeenCalledTimes(1);
  });

  it('closes after the user confirms, asking once even when close is pressed twice', async () => {
    const win = fakeWindow();
    const dialog = answer(0);
    guardClose(win, { training: { trainingCount: () => 2 }, dialog, quitsOnClose: true });
    win.close();
    win.close();
    await vi.waitFor(() => expect(win.closed).toBe(true));
    expect(dialog.showMessageBox).toHaveBeenCalledTimes(1);
  });

  it('says truthfully what closing does: quitting stops training at a checkpoint; on macOS training goes on', () => {
    const quits = closeQuestion(1, true);
    expect(quits.message).toBe('A run is training.');
    expect(quits.detail).toMatch(/quits RNN Lab: training stops after saving a checkpoint/);
    expect(quits.buttons![quits.cancelId!]).toBe('Keep training');
    const stays = closeQuestion(3, false);
    expect(stays.message).toBe('3 runs are training or waiting to train.');
    expect(stays.detail).toMatch(/Training goes on in the background/);
    expect(stays.buttons![0]).toBe('Close window');
  });
});
