export { gateCount, type CellKind, type CellWeights, type Nonlinearity } from './cell-weights';
export { gruStepBackward, gruStepForward } from './gru';
export { lstmStepBackward, lstmStepForward } from './lstm';
export { rnnStepBackward, rnnStepForward } from './rnn';
