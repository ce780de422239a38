/**
 * `submit`: SubmitJob to AWS Batch (or any endpoint), then follow the job with DescribeJobs until
 * it SUCCEEDED or FAILED, reporting each status change and, for array jobs, the children's counts.
 */
import type * as batch from '@aws-sdk/client-batch';
import { BatchkitError } from '../../core/errors';
import { validateSubmitJob } from '../../core/rules/submit-job';
import { submitJobFromSdk } from '../clients/batch-job-map';
import type { BatchApi } from '../clients/interfaces';
import { realSleep } from '../clients/retry';
import { PROVISION_ERRORS } from '../apply/waiters';

/** Options of {@link submitAndFollow}. */
export interface FollowOptions {
  /**
   * Milliseconds between DescribeJobs calls.
   * @default 5000
   */
  readonly pollMs?: number;
  /**
   * Stop following after this many milliseconds (the job keeps running).
   * @default - no limit
   */
  readonly timeoutMs?: number;
  /**
   * Sleeps.
   * @default - setTimeout
   */
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * Called with the job each time its status (or array counts) change.
   * @default - nothing
   */
  readonly onUpdate?: (job: batch.JobDetail) => void;
  /**
   * Reads the job's log each time the job is described, and to its end once the job ended (`submit --follow`).
   * @default - the log is not read
   */
  readonly logs?: LogTail;
}

/** What follows a job's log (see `JobLogFollower` in `log-follow.ts`). */
export interface LogTail {
  /** Reads what is new, for the job as just described. */
  poll(job: batch.JobDetail): Promise<unknown>;
  /** Reads the rest, once the job is SUCCEEDED or FAILED. */
  finish(job: batch.JobDetail): Promise<void>;
}

/** Where a job's output goes in CloudWatch Logs. */
export interface LogLocation {
  /** Log group (`/aws/batch/job` unless the definition's awslogs options say otherwise). */
  readonly group: string;
  /** Log stream, once the job has started. */
  readonly stream?: string;
}

/** The final job and where its logs are. */
export interface FollowResult {
  /** The job when following stopped. */
  readonly job: batch.JobDetail;
  /** Its logs. */
  readonly logs: LogLocation;
  /** True when it reached SUCCEEDED or FAILED. */
  readonly finished: boolean;
}

/** The CloudWatch Logs location of a job. */
export function logLocation(job: batch.JobDetail): LogLocation {
  const container = job.container ?? job.nodeProperties?.nodeRangeProperties?.[0]?.container;
  const group =
    (container?.logConfiguration?.logDriver === 'awslogs'
      ? container.logConfiguration.options?.['awslogs-group']
      : undefined) ?? '/aws/batch/job';
  const stream = job.container?.logStreamName ?? job.attempts?.[job.attempts.length - 1]?.container?.logStreamName;
  return { group, ...(stream ? { stream } : {}) };
}

/** Checks the request with the core SubmitJob rules; throws the errors as one input error. */
export function checkSubmitRequest(request: batch.SubmitJobCommandInput): void {
  const errors = validateSubmitJob(submitJobFromSdk(request)).filter((f) => f.severity === 'error');
  if (errors.length > 0) {
    throw new BatchkitError(
      PROVISION_ERRORS.submit,
      'input',
      `The job was not submitted:\n  ${errors.map((f) => f.message).join('\n  ')}`,
      {
        fix: 'Correct the flags named above.',
      },
    );
  }
}

/** Submits and follows the job until it ends (or `timeoutMs`). */
export async function submitAndFollow(
  api: BatchApi,
  request: batch.SubmitJobCommandInput,
  options: FollowOptions = {},
): Promise<FollowResult> {
  checkSubmitRequest(request);
  const submitted = await api.submitJob(request);
  const jobId = submitted.jobId;
  if (!jobId)
    throw new BatchkitError(PROVISION_ERRORS.submit, 'environment', 'SubmitJob answered without a jobId.', {
      fix: 'Check the endpoint (--endpoint-url) is an AWS Batch API.',
    });
  const sleep = options.sleep ?? realSleep;
  const pollMs = options.pollMs ?? 5000;
  let last = '';
  let job: batch.JobDetail | undefined;
  for (let waited = 0; ; waited += pollMs) {
    job = (await api.describeJobs({ jobs: [jobId] })).jobs?.[0];
    if (job) {
      const key = `${job.status}|${JSON.stringify(job.arrayProperties?.statusSummary ?? {})}`;
      if (key !== last) {
        last = key;
        options.onUpdate?.(job);
      }
      if (job.status === 'SUCCEEDED' || job.status === 'FAILED') {
        await options.logs?.finish(job);
        return { job, logs: logLocation(job), finished: true };
      }
      await options.logs?.poll(job);
    }
    if (options.timeoutMs !== undefined && waited >= options.timeoutMs) {
      const pending: batch.JobDetail = {
        jobId,
        jobName: submitted.jobName,
        jobQueue: request.jobQueue,
        jobDefinition: request.jobDefinition,
        status: 'SUBMITTED',
        startedAt: 0,
      };
      return { job: job ?? pending, logs: job ? logLocation(job) : { group: '/aws/batch/job' }, finished: false };
    }
    await sleep(pollMs);
  }
}

/** One progress line for a job. */
export function describeProgress(job: batch.JobDetail): string {
  const summary = job.arrayProperties?.statusSummary;
  const counts = summary
    ? ` [` +
      `${Object.entries(summary)
        .filter(([, n]) => n > 0)
        .map(([s, n]) => `${s} ${n}`)
        .join(', ')}]`
    : '';
  return (
    `${job.jobName ?? job.jobId} ${job.jobId}: ${job.status}` +
    `${job.statusReason ? ` (${job.statusReason})` : ''}${counts}`
  );
}
