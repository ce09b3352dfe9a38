export * from './critical-path';
export * from './crypto';
export * from './naming';
export * from './topology';
