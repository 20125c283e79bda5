export { Decoder, generate, type GenerateResult } from './generate';
export { argmax, Sampler, validateSamplingOptions, type SampledToken, type SamplingOptions } from './sampling';
export { scoreTokens, type TokenScores } from './score';
