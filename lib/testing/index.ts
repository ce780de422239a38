/**
 * Entry `batchkit/testing`: AWS Batch apps under Jest. Re-exports only.
 * - `LocalBatch`: the app's queues and job definitions run on the local executor (Docker, or the
 *   in-process `FakeRuntime`), with construct objects as arguments, and the Batch API on loopback;
 * - `batchFindings`: the rules of `batchkit validate`, with construct paths;
 * - `templateSnapshot` / `templateSerializer`: template snapshots stable across machines and runs.
 * Loads neither the provisioner nor the AWS SDK (the SDK is loaded by `LocalBatch.batchClient()`).
 */
export { LocalBatch, LOCAL_BATCH_ERRORS, type LocalBatchOptions, type LocalSubmitJob } from './local-batch';
export { JobHandle, JOB_ERRORS, type FinishedJob } from './job-handle';
export { REF_ERRORS, type JobDefinitionRef, type JobQueueRef } from './refs';
export { TESTING_LABELS } from './owned-runtime';
export { batchFindings, type BatchFindings, type BatchFindingsOptions } from './findings';
export { templateSnapshot, templateSerializer, scrubTemplate, type TemplateJson } from './snapshot';
export { FakeRuntime, FakeContainer, type FakeBehavior, type FakeScript } from './fake-runtime';
