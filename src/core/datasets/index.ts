export * from './dataset-error';
export * from './utf8-validator';
export * from './source-decoder';
export * from './csv-reader';
export * from './text-stats';
export * from './import-dataset';
export * from './read-dataset';
