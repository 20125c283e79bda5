export { EXPORT_FORMATS, exportFiles, exportRun, loadExportable, safetensorsPaths, suggestedExportName, writeExportFiles, type ExportedFile, type ExportFormat, type ExportRunRequest, type ExportRunResult } from './export-run';
export { IMPORTED_DATASET_ID, IMPORTED_STATE_FORMAT, importedRunConfig, importWeights, type ImportWeightsRequest } from './import-weights';
