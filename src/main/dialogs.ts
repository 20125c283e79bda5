// Native dialogs behind the `dialog:*` channels.
import type { BrowserWindow, Dialog } from 'electron';
import type { Handlers } from '../shared/ipc/handlers';

export function createDialogHandlers(window: () => BrowserWindow | null, dialog: Pick<Dialog, 'showOpenDialog'>): Pick<Handlers, 'dialog:pickFolder'> {
  return {
    'dialog:pickFolder': async ({ purpose }) => {
      const win = window();
      const options = {
        title: purpose === 'open-project' ? 'Open an RNN Lab project' : 'Choose where to create the project',
        properties: ['openDirectory', 'createDirectory'] as Array<'openDirectory' | 'createDirectory'>,
      };
      const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return { path: result.canceled ? null : (result.filePaths[0] ?? null) };
    },
  };
}
