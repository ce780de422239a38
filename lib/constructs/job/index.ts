export * from './retry-strategy';
export * from './job-image';
export * from './job-secret';
export * from './job-volume';
export * from './job-container';
export * from './job-definition-base';
export * from './container-job-definition';
export * from './multi-node-job-definition';
