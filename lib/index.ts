/**
 * Package entry `batchkit`: re-exports only. Every name here is a semver promise, so the list is
 * chosen, not collected:
 * - the constructs and their props, enums and interfaces (`./constructs`, which leaves out the
 *   helpers batchkit's own constructs share);
 * - the model types a CDK app's code and tests handle: SubmitJob and DescribeJobs shapes, job
 *   statuses, the EventBridge event shapes with their type guards, findings and `BatchkitError`.
 * The rest of the model (job definition, queue and compute environment shapes), the rules and the
 * loader are `batchkit/core`; the executor `batchkit/local`; the SDK provisioner
 * `batchkit/provisioner`; Jest helpers `batchkit/testing`. Loading this entry loads aws-cdk-lib and
 * constructs, never dockerode, better-sqlite3 or the AWS SDK.
 */
export * from './constructs';
export { BatchkitError, isBatchkitError, type ErrorKind } from './core/errors';
export {
  JOB_STATUSES,
  type ArrayJobDependency,
  type ArrayProperties,
  type ArrayPropertiesDetail,
  type AttemptContainerDetail,
  type AttemptDetail,
  type ContainerDetail,
  type ContainerOverrides,
  type JobDependency,
  type JobDetail,
  type JobStatus,
  type JobSummary,
  type NetworkInterface,
  type NodeDetails,
  type NodeOverrides,
  type NodePropertyOverride,
  type SubmitJobRequest,
  type SubmitJobResponse,
} from './core/model/job';
export {
  BATCH_EVENT_SOURCE,
  JOB_QUEUE_BLOCKED_DETAIL_TYPE,
  JOB_STATE_CHANGE_DETAIL_TYPE,
  isJobQueueBlockedEvent,
  isJobStateChangeEvent,
  type BatchJobEvent,
  type JobQueueBlockedEvent,
  type JobStateChangeEvent,
} from './core/model/events';
export type { Finding, ResourceKind, ResourceRef, Severity } from './core/rules/finding';
export type { SourceLocation } from './core/model/common';
