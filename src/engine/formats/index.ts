export * from './crc32';
export * from './strict-json';
export * from './safetensors-error';
export * from './safetensors-types';
export * from './safetensors-encode';
export * from './safetensors-decode';
export * from './tagged-json';
export * from './checkpoint';
