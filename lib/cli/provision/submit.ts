/**
 * `batchkit submit`: SubmitJob to AWS Batch (or --endpoint-url), wait for the job, exit with its outcome;
 * `--follow` also prints the job's CloudWatch Logs lines as they are written.
 */
import type * as batch from '@aws-sdk/client-batch';
import type { Command } from 'commander';
import { BatchkitError } from '../../core/errors';
import { describeProgress, submitAndFollow, type LogTail } from '../../provisioner/submit/follow';
import { JobLogFollower } from '../../provisioner/submit/log-follow';
import { EXIT } from '../exit';
import { addSubmitOptions, buildSubmitJobRequest, specFromSubmitFlags, type SubmitFlags } from '../submit-options';
import {
  clientsFrom,
  logsClientFrom,
  pollMs,
  progress,
  withAwsOptions,
  withPollOption,
  withServiceEndpoints,
  type AwsOptions,
} from './common';

interface SubmitOptions extends AwsOptions, SubmitFlags {
  shareIdentifier?: string;
  wait?: boolean;
  json?: boolean;
  follow?: boolean;
}

/** The SubmitJob request the flags describe (queue and definition as given: names or ARNs). */
export function submitRequest(commandArgs: readonly string[], opts: SubmitOptions): batch.SubmitJobCommandInput {
  const spec = specFromSubmitFlags(commandArgs, opts, {
    command: 'batchkit submit',
    code: 'BATCHKIT-CLI-PROVISION-003',
    missingFix: 'pass --job-queue <name or ARN> --job-definition <name[:revision] or ARN>.',
    minTimeoutSeconds: 60,
  });
  return {
    ...buildSubmitJobRequest(spec, { jobQueue: spec.queue, jobDefinition: spec.jobDefinition }),
    ...(opts.shareIdentifier ? { shareIdentifier: opts.shareIdentifier } : {}),
  };
}

/** Adds `submit`. */
export function registerSubmit(program: Command, setExit: (code: number) => void): void {
  withPollOption(
    withServiceEndpoints(
      withAwsOptions(
        addSubmitOptions(
          program
            .command('submit')
            .description('Submit a job to AWS Batch (or --endpoint-url), wait for it and exit with its outcome')
            .argument('[command...]', 'command override, after -- (e.g. -- sh -c "echo hi")'),
          { queue: 'job queue name or ARN', jobDefinition: 'job definition name, name:revision or ARN' },
        )
          .option('--share-identifier <id>', 'fair-share identifier (queues with a scheduling policy)')
          .option('--no-wait', 'print the job id and exit without waiting for the job to end')
          .option(
            '--follow',
            "print the job's log lines (CloudWatch Logs) on stdout as they are written, until it ends",
          )
          .option('--json', 'print the final DescribeJobs job as JSON on stdout'),
      ),
      ['logs'],
    ),
  ).action(async (commandArgs: string[], opts: SubmitOptions) => {
    if (opts.follow && (opts.wait === false || opts.json)) {
      throw new BatchkitError(
        'BATCHKIT-CLI-PROVISION-003',
        'input',
        `--follow cannot be combined with ${opts.wait === false ? '--no-wait' : '--json'}.`,
        { fix: 'drop --follow, or the other flag: --follow waits for the job and prints its log on stdout.' },
      );
    }
    const request = submitRequest(commandArgs, opts);
    const clients = await clientsFrom(opts);
    const tail = opts.follow ? await followerFor(opts, request.jobName) : undefined;
    const result = await submitAndFollow(clients.batch, request, {
      pollMs: pollMs(opts),
      ...(opts.wait === false ? { timeoutMs: 0 } : {}),
      onUpdate: (job) => progress(describeProgress(job)),
      ...(tail ? { logs: tail } : {}),
    });
    const { job, logs } = result;
    if (opts.json) process.stdout.write(`${JSON.stringify(job, null, 2)}\n`);
    else process.stdout.write(`${job.jobId} ${job.status}${job.statusReason ? ` (${job.statusReason})` : ''}\n`);
    progress(
      `logs: CloudWatch Logs group ${logs.group}` +
        `${logs.stream ? `, stream ${logs.stream}` : ' (stream known once the job starts)'}`,
    );
    setExit(!result.finished ? EXIT.ok : job.status === 'SUCCEEDED' ? EXIT.ok : EXIT.failed);
  });
}

/** The log follower of `--follow`: lines as `local run --follow` prints them (`name | line`). */
async function followerFor(opts: SubmitOptions, jobName: string | undefined): Promise<LogTail> {
  const api = await logsClientFrom(opts);
  const label = jobName ?? 'job';
  return new JobLogFollower(api, {
    write: (line) => process.stdout.write(`${label} | ${line}\n`),
    note: progress,
    retryMs: pollMs(opts),
  });
}
