/** The local executor: re-exports only. */
export * from './executor';
export * from './clock';
export * from './attempt-runner';
export * from './events/sink';
export * from './events/job-event';
export * from './events/pattern';
export * from './events/jsonl-sink';
export * from './events/webhook-sink';
export * from './events/handler-sink';
export * from './host-access';
export { TRANSITIONS, canTransition, isFinal, transition, type TransitionRecord } from './scheduler/states';
export type { JobRecord, JobMeta, JobKind, Demand } from './scheduler/job-record';
export { CapacityPool, Topology, type HostLimits } from './scheduler/capacity';
export { ARRAY_CHILD_FAILED } from './scheduler/scheduler';
export { MAIN_NODE_ADDRESS, MAIN_NODE_EXITED } from './scheduler/multi-node';
export { SUBMIT_ERRORS } from './scheduler/submission';
export { summarize } from './scheduler/query';
export * from './store/job-store';
export * from './store/sqlite-store';
export { CONTAINER_VANISHED, type RecoveryReport } from './store/recovery';
export { FLUSH_CHARS, FLUSH_LINES, FLUSH_MS, type JobLogLine } from './scheduler/attempt-logs';
export { MAX_EVENT_BYTES, splitMessage } from './runtime/log-events';
export type { IndexStats } from './scheduler/runnable-index';
export * from './runtime/container-runtime';
export { DockerRuntime, type DockerRuntimeOptions, type HostResources } from './runtime/docker-runtime';
export * from './api';
export { LocalApp, type LocalAppOptions, type AppExecutor, type RuleSummary, type TargetAction } from './app/local-app';
export { AppStore, type OutboxMessage, type ExecutionRecord, type ExecutionHistoryEvent } from './app/app-store';
export {
  LambdaRunner,
  type InvocationRecord,
  type FunctionLogLine,
  type LambdaRunnerOptions,
} from './app/lambda-runner';
export { targetInput, readJsonPath, applyTemplate } from './app/target-input';
export { findStateMachine, SFN_ERRORS, type StartedExecution, type StepFunctionsRunner } from './app/step-functions';
