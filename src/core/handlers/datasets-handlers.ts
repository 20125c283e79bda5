/** The `datasets:*` channels over the datasets service; import progress goes out as events. */
import type { EmitEvent, Handlers } from '../../shared/ipc/handlers';
import type { DatasetsService } from '../services/datasets-service';

export type DatasetsChannel = 'datasets:import' | 'datasets:get' | 'datasets:vocabulary' | 'datasets:preview' | 'datasets:rename' | 'datasets:delete';
export type DatasetsHandlers = Pick<Handlers, DatasetsChannel>;

export function createDatasetsHandlers({ datasets, emit }: { datasets: DatasetsService; emit: EmitEvent }): DatasetsHandlers {
  return {
    'datasets:import': ({ projectDir, filePath, name, kind }) =>
      datasets.import(projectDir, {
        filePath,
        ...(name !== undefined && { name }),
        ...(kind !== undefined && { kind }),
        onProgress: (bytesRead, totalBytes) => emit('datasets:importProgress', { projectDir, filePath, bytesRead, totalBytes }),
      }),
    'datasets:get': ({ projectDir, datasetId }) => datasets.get(projectDir, datasetId),
    'datasets:vocabulary': ({ projectDir, datasetId, tokenizer, cleaning, minFreq }) => datasets.vocabulary(projectDir, datasetId, tokenizer, cleaning, minFreq),
    'datasets:preview': ({ projectDir, datasetId, cleaning, maxChars }) => datasets.preview(projectDir, datasetId, cleaning, maxChars),
    'datasets:rename': ({ projectDir, datasetId, name }) => datasets.rename(projectDir, datasetId, name),
    'datasets:delete': ({ projectDir, datasetId }) => datasets.delete(projectDir, datasetId),
  };
}
