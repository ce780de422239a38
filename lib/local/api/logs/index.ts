/** The CloudWatch Logs subset served beside the Batch API. */
export * from './filter-pattern';
export * from './log-groups';
export * from './logs-api';
export * from './logs-types';
export { LOGS_OPERATION_SHAPES } from './logs-shapes';
