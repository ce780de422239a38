/**
 * Job queues and scheduling policies in the shape of the AWS Batch API.
 * @see https://docs.aws.amazon.com/batch/latest/APIReference/API_JobQueueDetail.html
 */
import type { ResourceState, ResourceStatus, SourceLocation, Tags } from './common';

/** A compute environment in a queue's ordered list. */
export interface ComputeEnvironmentOrder {
  /** Order, ascending: lower is tried first. */
  order: number;
  /** Compute environment ARN (or name, as the API also accepts). */
  computeEnvironment: string;
}

/** `jobStateTimeLimitActions[].action`. */
export type JobStateTimeLimitActionsAction = 'CANCEL' | 'TERMINATE';

/** What to do with a job that stays in a state too long. */
export interface JobStateTimeLimitAction {
  /** Reason recorded on the job: `MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE`, ... */
  reason: string;
  /** Only `RUNNABLE`. */
  state: 'RUNNABLE';
  /** Seconds, 600–86400. */
  maxTimeSeconds: number;
  /** CANCEL (TERMINATE is accepted by newer API versions). */
  action: JobStateTimeLimitActionsAction;
}

/** A job queue. */
export interface JobQueue {
  /** Name: 1–128 letters, digits, hyphens and underscores. */
  jobQueueName: string;
  /** `arn:<partition>:batch:<region>:<account>:job-queue/<name>`. */
  jobQueueArn?: string;
  /** ENABLED or DISABLED. Default ENABLED. */
  state?: ResourceState;
  /** Status as reported by the service. */
  status?: ResourceStatus;
  /** Why the status is what it is. */
  statusReason?: string;
  /** Priority: higher first among queues sharing an environment. */
  priority: number;
  /** Ordered compute environments, 1–3. */
  computeEnvironmentOrder: ComputeEnvironmentOrder[];
  /** Fair-share scheduling policy ARN. */
  schedulingPolicyArn?: string;
  /** Actions for jobs stuck in a state. */
  jobStateTimeLimitActions?: JobStateTimeLimitAction[];
  /** Tags. */
  tags?: Tags;
}

/** A share identifier and its weight. */
export interface ShareAttributes {
  /** Share identifier; a trailing `*` matches a prefix. */
  shareIdentifier: string;
  /** Weight factor 0.0001–999.9999: lower gets more. Default 1. */
  weightFactor?: number;
}

/** Fair-share settings of a scheduling policy. */
export interface FairsharePolicy {
  /** Seconds over which past use counts, 0–604800. */
  shareDecaySeconds?: number;
  /** Reserved capacity for share ids not yet active, 0–99. */
  computeReservation?: number;
  /** Up to 500 share weights. */
  shareDistribution?: ShareAttributes[];
}

/** A scheduling policy. */
export interface SchedulingPolicy {
  /** Name: 1–128 letters, digits, hyphens and underscores. */
  name: string;
  /** `arn:<partition>:batch:<region>:<account>:scheduling-policy/<name>`. */
  arn?: string;
  /** Fair share. */
  fairsharePolicy?: FairsharePolicy;
  /** Tags. */
  tags?: Tags;
}

/** A job queue with where it came from. */
export interface LoadedJobQueue extends JobQueue {
  /** Origin in the template or assembly. */
  readonly source?: SourceLocation;
}

/** A scheduling policy with where it came from. */
export interface LoadedSchedulingPolicy extends SchedulingPolicy {
  /** Origin in the template or assembly. */
  readonly source?: SourceLocation;
}
