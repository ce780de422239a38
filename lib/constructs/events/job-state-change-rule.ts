/**
 * An EventBridge rule on "Batch Job State Change" events, filtered by queue, job definition
 * (every revision), states, and optionally only the final event of array-job parents.
 * @see https://docs.aws.amazon.com/batch/latest/userguide/batch_job_events.html
 */
import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { BATCH_EVENT_SOURCE, JOB_STATE_CHANGE_DETAIL_TYPE } from '../../core/model/events';
import type { IJobDefinition } from '../job/job-definition-base';
import type { IJobQueue } from '../queue/job-queue-base';

/** Job states in events. Values are the service strings. */
export enum JobState {
  /** Accepted by the queue. */
  SUBMITTED = 'SUBMITTED',
  /** Waiting for dependencies. */
  PENDING = 'PENDING',
  /** Ready, waiting for capacity. */
  RUNNABLE = 'RUNNABLE',
  /** Placed; the container is being started. */
  STARTING = 'STARTING',
  /** The container runs. */
  RUNNING = 'RUNNING',
  /** Exited 0 (final). */
  SUCCEEDED = 'SUCCEEDED',
  /** Failed after its last attempt (final). */
  FAILED = 'FAILED',
}

/** Filters and target of a job state rule. */
export interface JobStateChangeOptions {
  /**
   * States to match.
   * @default - every state (for array parents: SUCCEEDED and FAILED)
   */
  readonly states?: JobState[];
  /**
   * Only jobs of this job definition, any revision (matched by ARN prefix, so a new revision does not break the rule).
   * @default - jobs of any job definition
   */
  readonly jobDefinition?: IJobDefinition;
  /**
   * Where matching events go (see `JobEventTarget` for Lambda/SNS/SQS with a dead-letter queue).
   * @default - no target; add one with `rule.addTarget()`
   */
  readonly target?: events.IRuleTarget;
  /**
   * Rule name.
   * @default - generated
   */
  readonly ruleName?: string;
  /**
   * Rule description.
   * @default - a description naming the filters
   */
  readonly description?: string;
}

/** Props of {@link JobStateChangeRule}. */
export interface JobStateChangeRuleProps extends JobStateChangeOptions {
  /**
   * Only jobs of this queue.
   * @default - jobs of every queue
   */
  readonly jobQueue?: IJobQueue;
  /**
   * Match only the final event of an array job's parent: a parent never has a container instance
   * (`detail.container.containerInstanceArn` does not exist) and has an array size, so child
   * jobs — one event each — are left out.
   * @default false
   */
  readonly arrayParentOnly?: boolean;
}

/** The event pattern of a job state rule. */
export function jobStateChangePattern(props: JobStateChangeRuleProps): events.EventPattern {
  const detail: Record<string, unknown> = {};
  if (props.jobQueue) detail.jobQueue = [props.jobQueue.jobQueueArn];
  if (props.jobDefinition) detail.jobDefinition = [{ prefix: props.jobDefinition.revisionPrefix }];
  const states = props.states ?? (props.arrayParentOnly ? [JobState.SUCCEEDED, JobState.FAILED] : undefined);
  if (states?.length) detail.status = [...states];
  if (props.arrayParentOnly) {
    detail.container = { containerInstanceArn: [{ exists: false }] };
    detail.arrayProperties = { size: [{ exists: true }] };
  }
  return {
    source: [BATCH_EVENT_SOURCE],
    detailType: [JOB_STATE_CHANGE_DETAIL_TYPE],
    ...(Object.keys(detail).length ? { detail } : {}),
  };
}

/** An EventBridge rule on Batch job state changes. */
export class JobStateChangeRule extends Construct {
  /** The rule. */
  public readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: JobStateChangeRuleProps = {}) {
    super(scope, id);
    const what = [
      props.arrayParentOnly ? 'array-job parents' : 'jobs',
      props.states?.length ? `entering ${props.states.join('/')}` : undefined,
    ].filter(Boolean);
    this.rule = new events.Rule(this, 'Resource', {
      ruleName: props.ruleName,
      description: props.description ?? `Batch job state changes: ${what.join(' ')} (batchkit)`,
      eventPattern: jobStateChangePattern(props),
      targets: props.target ? [props.target] : undefined,
    });
  }

  /** Adds a target. */
  public addTarget(target: events.IRuleTarget): void {
    this.rule.addTarget(target);
  }
}
