export * from './file-system';
export * from './node-file-system';
export * from './memory-file-system';
export * from './atomic-write';
export * from './fs-utils';
