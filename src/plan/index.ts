export * from './critical-path';
export * from './crypto';
export * from './latencies';
export * from './naming';
export * from './topology';
