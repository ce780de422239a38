/**
 * The EventBridge event AWS Batch sends on every job status change after submission.
 * @see https://docs.aws.amazon.com/batch/latest/userguide/batch_job_events.html
 */
import type { JobDetail } from './job';

/** `detail-type` of a job state change event. */
export const JOB_STATE_CHANGE_DETAIL_TYPE = 'Batch Job State Change';
/** `source` of Batch events. */
export const BATCH_EVENT_SOURCE = 'aws.batch';

/** A "Batch Job State Change" event. */
export interface JobStateChangeEvent {
  /** Schema version, `"0"`. */
  version: '0';
  /** Event id (UUID). */
  id: string;
  /** Always "Batch Job State Change". */
  'detail-type': typeof JOB_STATE_CHANGE_DETAIL_TYPE;
  /** Always "aws.batch". */
  source: typeof BATCH_EVENT_SOURCE;
  /** Account id. */
  account: string;
  /** ISO-8601 time of the change. */
  time: string;
  /** Region. */
  region: string;
  /** The job ARN. */
  resources: string[];
  /** The job as DescribeJobs would show it. */
  detail: JobDetail;
}
