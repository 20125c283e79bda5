export { ExportError, type ExportErrorCode } from './export-error';
export { exportableFromModel, exportableFromTensors, type ExportableModel, type ExportVocab, type TensorLike } from './exportable-model';
export {
  buildPytorchExport, parsePytorchConfig, parsePytorchExport, parseVocabFile, prettyJson, pytorchConfigJson, vocabFileJson,
  PYTORCH_CONFIG_FORMAT, type PytorchConfigJson, type PytorchExport, type VocabFileJson,
} from './pytorch-format';
export { buildJsonExport, float32ToString, parseJsonExport, JSON_MODEL_FORMAT } from './json-format';
export { buildOnnxModel, ONNX_OPSET } from './onnx-export';
export { buildStandaloneHtml, type StandaloneHtmlOptions } from './html-export';
export { STANDALONE_CORE, STANDALONE_PAGE } from './standalone-runtime';
export { base64Encode } from './base64';
export {
  buildForecastOnnx, buildForecastPytorchExport, exportForecaster, forecastConfigJson, FORECAST_CONFIG_FORMAT,
  type ForecastConfigJson, type ForecastExportFile, type ForecastExportFormat, type ForecastExportMeta,
} from './forecast-export';
