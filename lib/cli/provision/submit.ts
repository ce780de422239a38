/** `batchkit submit`: SubmitJob to AWS Batch (or --endpoint-url), wait for the job, exit with its outcome. */
import type * as batch from '@aws-sdk/client-batch';
import type { Command } from 'commander';
import { describeProgress, submitAndFollow } from '../../provisioner/submit/follow';
import { EXIT } from '../exit';
import { addSubmitOptions, buildSubmitJobRequest, specFromSubmitFlags, type SubmitFlags } from '../submit-options';
import { clientsFrom, pollMs, progress, withAwsOptions, withPollOption, type AwsOptions } from './common';

interface SubmitOptions extends AwsOptions, SubmitFlags {
  shareIdentifier?: string;
  wait?: boolean;
  json?: boolean;
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
        .option('--json', 'print the final DescribeJobs job as JSON on stdout'),
    ),
  ).action(async (commandArgs: string[], opts: SubmitOptions) => {
    const request = submitRequest(commandArgs, opts);
    const clients = await clientsFrom(opts);
    const result = await submitAndFollow(clients.batch, request, {
      pollMs: pollMs(opts),
      ...(opts.wait === false ? { timeoutMs: 0 } : {}),
      onUpdate: (job) => progress(describeProgress(job)),
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
