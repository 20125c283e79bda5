/**
 * The `datasets:*` channels over the datasets service; import progress goes out as events. The
 * vocabulary and the preview read the whole file or a part of it and run as tasks.
 */
import type { EmitEvent, Handlers } from '../../shared/ipc/handlers';
import type { DatasetsService } from '../services/datasets-service';
import type { Tasks } from '../tasks/task-table';

export type DatasetsChannel = 'datasets:import' | 'datasets:get' | 'datasets:vocabulary' | 'datasets:preview' | 'datasets:rename' | 'datasets:delete';
export type DatasetsHandlers = Pick<Handlers, DatasetsChannel>;

export function createDatasetsHandlers({ datasets, emit, tasks }: { datasets: DatasetsService; emit: EmitEvent; tasks: Tasks }): DatasetsHandlers {
  return {
    'datasets:import': ({ projectDir, filePath, name, kind }) =>
      datasets.import(projectDir, {
        filePath,
        ...(name !== undefined && { name }),
        ...(kind !== undefined && { kind }),
        onProgress: (bytesRead, totalBytes) => emit('datasets:importProgress', { projectDir, filePath, bytesRead, totalBytes }),
      }),
    'datasets:get': ({ projectDir, datasetId }) => datasets.get(projectDir, datasetId),
    'datasets:vocabulary': ({ projectDir, datasetId, tokenizer, cleaning, minFreq }) => tasks.run('datasets:vocabulary', projectDir, datasetId, tokenizer, cleaning, minFreq),
    'datasets:preview': ({ projectDir, datasetId, cleaning, maxChars }) => tasks.run('datasets:preview', projectDir, datasetId, cleaning, maxChars),
    'datasets:rename': ({ projectDir, datasetId, name }) => datasets.rename(projectDir, datasetId, name),
    'datasets:delete': async ({ projectDir, datasetId }) => {
      const result = await datasets.delete(projectDir, datasetId);
      await tasks.run('evict:dataset', projectDir, datasetId);
      return result;
    },
  };
}
