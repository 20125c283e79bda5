// Native dialogs behind the `dialog:*` channels.
import type { BrowserWindow, Dialog, FileFilter, OpenDialogOptions, SaveDialogOptions } from 'electron';
import type { Handlers } from '../shared/ipc/handlers';
import type { RequestOf } from '../shared/ipc/contract';

type OpenPurpose = RequestOf<'dialog:pickFile'>['purpose'];
type SavePurpose = RequestOf<'dialog:saveFile'>['purpose'];

const OPEN_FILTERS: Record<OpenPurpose, { title: string; filters: FileFilter[] }> = {
  dataset: { title: 'Import a dataset', filters: [{ name: 'Text or CSV', extensions: ['txt', 'text', 'md', 'csv', 'tsv'] }, { name: 'All files', extensions: ['*'] }] },
  weights: { title: 'Choose weights', filters: [{ name: 'safetensors', extensions: ['safetensors'] }] },
  config: { title: 'Choose config.json', filters: [{ name: 'JSON', extensions: ['json'] }] },
  vocab: { title: 'Choose vocab.json', filters: [{ name: 'JSON', extensions: ['json'] }] },
};

const SAVE_FILTERS: Record<SavePurpose, FileFilter[]> = {
  'export-safetensors': [{ name: 'safetensors', extensions: ['safetensors'] }],
  'export-onnx': [{ name: 'ONNX', extensions: ['onnx'] }],
  'export-json': [{ name: 'JSON', extensions: ['json'] }],
  'export-html': [{ name: 'HTML page', extensions: ['html'] }],
  'chart-png': [{ name: 'PNG image', extensions: ['png'] }],
  'metrics-csv': [{ name: 'CSV', extensions: ['csv'] }],
  'export-pytorch-run': [],
};

const FOLDER_TITLES: Record<RequestOf<'dialog:pickFolder'>['purpose'], string> = {
  'open-project': 'Open an RNN Lab project',
  'project-location': 'Choose where to create the project',
  'pytorch-run': 'Choose the output folder of train.py',
};

type DialogApi = Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>;

export function createDialogHandlers(window: () => BrowserWindow | null, dialog: DialogApi): Pick<Handlers, 'dialog:pickFolder' | 'dialog:pickFile' | 'dialog:saveFile'> {
  const open = async (options: OpenDialogOptions) => {
    const win = window();
    const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return { path: result.canceled ? null : (result.filePaths[0] ?? null) };
  };
  const save = async (options: SaveDialogOptions) => {
    const win = window();
    const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
    return { path: result.canceled || !result.filePath ? null : result.filePath };
  };
  return {
    'dialog:pickFolder': ({ purpose }) =>
      open({
        title: FOLDER_TITLES[purpose],
        properties: ['openDirectory', 'createDirectory'],
      }),
    'dialog:pickFile': ({ purpose }) => open({ ...OPEN_FILTERS[purpose], properties: ['openFile'] }),
    'dialog:saveFile': ({ purpose, suggestedName }) => save({ defaultPath: suggestedName, filters: SAVE_FILTERS[purpose] }),
  };
}
