export * from './job-event-target';
export * from './job-state-change-rule';
