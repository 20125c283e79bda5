export * from './errors';
export * from './seq-batches';
export * from './seq-iterator';
