export { BoundedTop } from './bounded-top';
export { GATE_ORDER, recordChunk, type ChunkRecord, type LayerRecord } from './record-chunk';
export { saliencyOf, saliencyWorkspaceSteps, type SaliencyOutput } from './saliency';
export { SaturationCounter, type GateFractions } from './saturation';
export { CorpusMatcher, selectUnits, type MatchOptions, type WindowMatch } from './select-match';
export { topKRows } from './top-k';
