export { exportPytorchRun, int32Bytes, pytorchRunFiles, tokensSha256, type ExportPytorchRunRequest } from './export-pytorch-run';
export { PytorchRunError, type PytorchRunErrorCode } from './pytorch-run-error';
export * from './pytorch-run-format';
export { importPytorchRun, parseMetricsJsonl, type ImportPytorchRunRequest } from './import-pytorch-run';
