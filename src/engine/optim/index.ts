export * from './adam';
export * from './clip';
export * from './create';
export * from './errors';
export * from './lr-schedule';
export * from './optimizer';
export * from './rmsprop';
export * from './sgd';
