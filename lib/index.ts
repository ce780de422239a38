// Public barrel: re-exports only.
export * from './core';
export * from './constructs';
// Both layers name something JobQueue: here it is the construct; the API-shaped model type is JobQueueModel.
export { JobQueue } from './constructs';
export type { JobQueue as JobQueueModel } from './core';
