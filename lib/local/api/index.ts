/** The local AWS Batch API: `batchkit local serve` and its in-process typed form. */
export * from './api-types';
export * from './batch-api';
export * from './callback-runtime';
export * from './errors';
export * from './pagination';
export * from './registry';
export * from './registry-file';
export * from './server';
export { JSON_CONTENT_TYPES, refusalOf, type Refusal, type RequestPolicy } from './request-guard';
export * from './service';
export { validateShape, type Shape } from './shape';
export { OPERATION_SHAPES } from './shapes-operations';
export * from './logs';
