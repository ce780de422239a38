/**
 * Renders a job record as DescribeJobs shows it, as a "Batch Job State Change" and as a "Batch Job Queue Blocked"
 * event.
 */
import { randomUUID } from 'node:crypto';
import type { DeploymentEnvironment } from '../../core/model/batch-model';
import {
  BATCH_EVENT_SOURCE,
  JOB_QUEUE_BLOCKED_DETAIL_TYPE,
  JOB_STATE_CHANGE_DETAIL_TYPE,
  type JobQueueBlockedEvent,
  type JobStateChangeEvent,
} from '../../core/model/events';
import type { JobDetail } from '../../core/model/job';
import type { JobRecord } from '../scheduler/job-record';

/**
 * A copy of the job as DescribeJobs returns it. Array parents never carry the per-task container
 * fields (`containerInstanceArn`, `taskArn`, `exitCode`, `logStreamName`, `reason`): that is what
 * tells a parent's event from a child's (seed 003's `exists: false` pattern).
 */
export function renderJob(record: JobRecord): JobDetail {
  const detail = JSON.parse(JSON.stringify(record.detail)) as JobDetail;
  if (record.meta.kind === 'array-parent' && detail.container) {
    for (const k of ['containerInstanceArn', 'taskArn', 'exitCode', 'logStreamName', 'reason'] as const)
      delete detail.container[k];
    detail.attempts = [];
  }
  return detail;
}

/** ISO-8601 to the second, as EventBridge writes `time`. */
export function eventTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The event for a job's new status. */
export function jobStateChangeEvent(record: JobRecord, env: DeploymentEnvironment, at: number): JobStateChangeEvent {
  const detail = renderJob(record);
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': JOB_STATE_CHANGE_DETAIL_TYPE,
    source: BATCH_EVENT_SOURCE,
    account: env.account,
    time: eventTime(at),
    region: env.region,
    resources: [detail.jobArn ?? detail.jobId],
    detail,
  };
}

/**
 * The event for a RUNNABLE job that blocks its queue: `resources` holds the job ARN and the job
 * queue ARN, `detail` the job as DescribeJobs shows it (its `statusReason` is the blocked reason).
 */
export function jobQueueBlockedEvent(record: JobRecord, env: DeploymentEnvironment, at: number): JobQueueBlockedEvent {
  const detail = renderJob(record);
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': JOB_QUEUE_BLOCKED_DETAIL_TYPE,
    source: BATCH_EVENT_SOURCE,
    account: env.account,
    time: eventTime(at),
    region: env.region,
    resources: [detail.jobArn ?? detail.jobId, detail.jobQueue],
    detail,
  };
}
