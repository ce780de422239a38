/**
 * The EventBridge events AWS Batch sends about jobs: "Batch Job State Change" on every job status
 * change after submission, and "Batch Job Queue Blocked" when a RUNNABLE job blocks its queue.
 * @see https://docs.aws.amazon.com/batch/latest/userguide/batch_job_events.html
 * @see https://docs.aws.amazon.com/batch/latest/userguide/batch-job-queue-blocked-events.html
 */
import type { JobDetail } from './job';

/** `detail-type` of a job state change event. */
export const JOB_STATE_CHANGE_DETAIL_TYPE = 'Batch Job State Change';
/** `detail-type` of a job queue blocked event. */
export const JOB_QUEUE_BLOCKED_DETAIL_TYPE = 'Batch Job Queue Blocked';
/** `source` of Batch events. */
export const BATCH_EVENT_SOURCE = 'aws.batch';

/** The EventBridge envelope every Batch job event shares. */
interface BatchJobEventEnvelope {
  /** Schema version, `"0"`. */
  version: '0';
  /** Event id (UUID). */
  id: string;
  /** Always "aws.batch". */
  source: typeof BATCH_EVENT_SOURCE;
  /** Account id. */
  account: string;
  /** ISO-8601 time of the change, to the second. */
  time: string;
  /** Region. */
  region: string;
  /** The job as DescribeJobs would show it. */
  detail: JobDetail;
}

/** A "Batch Job State Change" event. */
export interface JobStateChangeEvent extends BatchJobEventEnvelope {
  /** Always "Batch Job State Change". */
  'detail-type': typeof JOB_STATE_CHANGE_DETAIL_TYPE;
  /** The job ARN. */
  resources: string[];
}

/**
 * A "Batch Job Queue Blocked" event: a RUNNABLE job that can never start blocks its queue.
 * `detail.statusReason` is the blocked reason, the same DescribeJobs shows
 * (`MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE - ...`, `MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT - ...`).
 */
export interface JobQueueBlockedEvent extends BatchJobEventEnvelope {
  /** Always "Batch Job Queue Blocked". */
  'detail-type': typeof JOB_QUEUE_BLOCKED_DETAIL_TYPE;
  /** The job ARN, then the job queue ARN. */
  resources: [jobArn: string, jobQueueArn: string];
}

/** Any event the local executor emits; tell them apart by `detail-type`. */
export type BatchJobEvent = JobStateChangeEvent | JobQueueBlockedEvent;

/** True for a "Batch Job State Change" event (the one that reports a new status). */
export function isJobStateChangeEvent(event: BatchJobEvent): event is JobStateChangeEvent {
  return event['detail-type'] === JOB_STATE_CHANGE_DETAIL_TYPE;
}

/** True for a "Batch Job Queue Blocked" event. */
export function isJobQueueBlockedEvent(event: BatchJobEvent): event is JobQueueBlockedEvent {
  return event['detail-type'] === JOB_QUEUE_BLOCKED_DETAIL_TYPE;
}
