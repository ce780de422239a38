/**
 * What every job queue exposes, created here or imported: least-privilege grants and typed
 * job-state events.
 * @see https://docs.aws.amazon.com/batch/latest/userguide/batch-supported-iam-actions-resources.html
 */
import { ArnFormat, Resource, Stack, Token, type IResource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { BatchkitError } from '../../core/errors';
import { JobState, JobStateChangeRule, type JobStateChangeOptions } from '../events/job-state-change-rule';
import type { IJobDefinition } from '../job/job-definition-base';

/** A job queue, created here or imported. */
export interface IJobQueue extends IResource {
  /** ARN. @attribute */
  readonly jobQueueArn: string;
  /** Name. @attribute */
  readonly jobQueueName: string;
  /** Grants `batch:SubmitJob` on this queue with the given job definitions (every revision of each). */
  grantSubmitJob(grantee: iam.IGrantable, jobDefinitions: IJobDefinition[]): iam.Grant;
  /** Grants `batch:CancelJob` on this account's and Region's jobs (Batch authorizes it on `job/<id>`). */
  grantCancelJob(grantee: iam.IGrantable): iam.Grant;
  /** Grants `batch:TerminateJob` on this account's and Region's jobs (Batch authorizes it on `job/<id>`). */
  grantTerminateJob(grantee: iam.IGrantable): iam.Grant;
  /**
   * Grants `batch:DescribeJobs`, `batch:ListJobs` and `batch:DescribeJobQueues` (Batch supports only `*` for
   * these).
   */
  grantDescribe(grantee: iam.IGrantable): iam.Grant;
  /** A rule on this queue's job state changes. */
  onJobStateChange(id: string, options?: JobStateChangeOptions): JobStateChangeRule;
  /** A rule on this queue's jobs entering FAILED. */
  onJobFailed(id: string, options?: Omit<JobStateChangeOptions, 'states'>): JobStateChangeRule;
  /** A rule that fires once per array job of this queue: on the parent's final event (SUCCEEDED or FAILED). */
  onArrayJobComplete(id: string, options?: JobStateChangeOptions): JobStateChangeRule;
}

/** Base class of job queues: grants and events. */
export abstract class JobQueueBase extends Resource implements IJobQueue {
  /** Imports a job queue by ARN. */
  public static fromJobQueueArn(scope: Construct, id: string, jobQueueArn: string): IJobQueue {
    const name = Token.isUnresolved(jobQueueArn)
      ? Stack.of(scope).splitArn(jobQueueArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName!
      : /:job-queue\/(.+)$/.exec(jobQueueArn)?.[1];
    if (name === undefined) {
      throw new BatchkitError('BATCHKIT-CDK-003', 'input', `"${jobQueueArn}" is not a job queue ARN.`, {
        fix: 'pass arn:<partition>:batch:<region>:<account>:job-queue/<name>.',
      });
    }
    return new ImportedJobQueue(scope, id, jobQueueArn, name);
  }

  public abstract readonly jobQueueArn: string;
  public abstract readonly jobQueueName: string;

  public grantSubmitJob(grantee: iam.IGrantable, jobDefinitions: IJobDefinition[]): iam.Grant {
    if (jobDefinitions.length === 0) {
      throw new BatchkitError(
        'BATCHKIT-CDK-007',
        'input',
        `${this.node.path}: grantSubmitJob needs at least one job definition; ` +
          `SubmitJob is authorized on both the queue and the job definition.`,
        { fix: 'pass the job definitions the grantee may submit, e.g. queue.grantSubmitJob(fn, [jobDefinition]).' },
      );
    }
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['batch:SubmitJob'],
      resourceArns: [this.jobQueueArn, ...jobDefinitions.flatMap((d) => d.allRevisionsArns)],
    });
  }

  public grantCancelJob(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['batch:CancelJob'], resourceArns: [this.jobArns()] });
  }

  public grantTerminateJob(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['batch:TerminateJob'], resourceArns: [this.jobArns()] });
  }

  public grantDescribe(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['batch:DescribeJobs', 'batch:ListJobs', 'batch:DescribeJobQueues'],
      resourceArns: ['*'],
    });
  }

  public onJobStateChange(id: string, options: JobStateChangeOptions = {}): JobStateChangeRule {
    return new JobStateChangeRule(this, id, { ...options, jobQueue: this });
  }

  public onJobFailed(id: string, options: Omit<JobStateChangeOptions, 'states'> = {}): JobStateChangeRule {
    return new JobStateChangeRule(this, id, { ...options, states: [JobState.FAILED], jobQueue: this });
  }

  public onArrayJobComplete(id: string, options: JobStateChangeOptions = {}): JobStateChangeRule {
    return new JobStateChangeRule(this, id, { ...options, jobQueue: this, arrayParentOnly: true });
  }

  private jobArns(): string {
    return Stack.of(this).formatArn({
      service: 'batch',
      resource: 'job',
      resourceName: '*',
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }
}

class ImportedJobQueue extends JobQueueBase {
  constructor(
    scope: Construct,
    id: string,
    public readonly jobQueueArn: string,
    public readonly jobQueueName: string,
  ) {
    super(scope, id);
  }
}
