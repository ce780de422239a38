export * from './job-queue-base';
export * from './fairshare-scheduling-policy';
export * from './job-queue';
