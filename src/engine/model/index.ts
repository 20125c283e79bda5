export { layerInputSize, ModelConfigError, parameterShapes, validateModelConfig, type ModelConfig } from './config';
export { initParameters, type InitScheme } from './init';
export { findNonFinite, type NonFiniteReport } from './non-finite';
export { RnnModel, type ModelOptions } from './rnn-model';
export { copyState, createRecurrentState, resetState, type RecurrentState } from './state';
export { Workspace, type ForwardOptions } from './workspace';
