export * from './clean';
export * from './corpus';
export * from './corpus-builder';
export * from './errors';
export * from './stats';
export * from './token-counter';
export * from './tokenize';
export * from './vocab';
