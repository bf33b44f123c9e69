// The shared imperative helpers, one import for composition roots and room io/ files.
export * from './exec.js';
export * from './atomic-write.js';
export * from './http-json.js';
export * from './logger.js';
export * from './metrics.js';
export * from './change-stream.js';
