/** `batchkit submit`: SubmitJob to AWS Batch (or --endpoint-url), follow the job, exit with its outcome. */
import type * as batch from '@aws-sdk/client-batch';
import type { Command } from 'commander';
import { BatchkitError } from '../../core/errors';
import { describeProgress, submitAndFollow } from '../../provisioner/submit/follow';
import { EXIT } from '../exit';
import { parseCommand, parseDependency, parseInteger, parseKeyValues, parsePositive, type SubmitFlags } from '../local/args';
import { clientsFrom, pollMs, progress, withAwsOptions, type AwsOptions } from './common';

interface SubmitOptions extends AwsOptions, SubmitFlags {
  shareIdentifier?: string;
  wait?: boolean;
  json?: boolean;
}

/** The SubmitJob request the flags describe. */
export function submitRequest(commandArgs: readonly string[], opts: SubmitOptions): batch.SubmitJobCommandInput {
  const missing = [opts.queue === undefined ? '--queue' : '', opts.jobDefinition === undefined ? '--job-definition' : ''].filter(Boolean);
  if (missing.length > 0) {
    throw new BatchkitError('BATCHKIT-CLI-PROVISION-003', 'input', `batchkit submit needs ${missing.join(' and ')}.`, { fix: 'pass --queue <name or ARN> --job-definition <name[:revision] or ARN>.' });
  }
  if (opts.command !== undefined && commandArgs.length > 0) {
    throw new BatchkitError('BATCHKIT-CLI-PROVISION-003', 'input', 'the command is given twice: with --command and after --.', { fix: 'keep one of them.' });
  }
  const command = opts.command !== undefined ? parseCommand('--command', opts.command) : commandArgs.length > 0 ? [...commandArgs] : undefined;
  const env = parseKeyValues('--env', opts.env);
  const vcpus = parsePositive('--vcpus', opts.vcpus);
  const memory = parseInteger('--memory', opts.memory, 1, 10_000_000);
  const gpus = parseInteger('--gpus', opts.gpus, 0, 1024);
  const requirements = [
    ...(vcpus !== undefined ? [{ type: 'VCPU' as const, value: String(vcpus) }] : []),
    ...(memory !== undefined ? [{ type: 'MEMORY' as const, value: String(memory) }] : []),
    ...(gpus !== undefined ? [{ type: 'GPU' as const, value: String(gpus) }] : []),
  ];
  const overrides: batch.ContainerOverrides = {
    ...(command ? { command } : {}),
    ...(Object.keys(env).length > 0 ? { environment: Object.entries(env).map(([name, value]) => ({ name, value })) } : {}),
    ...(requirements.length > 0 ? { resourceRequirements: requirements } : {}),
  };
  const definition = opts.jobDefinition as string;
  const arraySize = parseInteger('--array-size', opts.arraySize, 2, 10_000);
  const attempts = parseInteger('--retry-attempts', opts.retryAttempts, 1, 10);
  const timeout = parseInteger('--timeout', opts.timeout, 60, 100_000_000);
  const parameters = parseKeyValues('--parameters', opts.parameters);
  return {
    jobName: opts.name ?? (definition.slice(definition.lastIndexOf('/') + 1).replace(/:\d+$/, '').replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 128) || 'job'),
    jobQueue: opts.queue as string,
    jobDefinition: definition,
    ...(arraySize !== undefined ? { arrayProperties: { size: arraySize } } : {}),
    ...(opts.dependsOn && opts.dependsOn.length > 0 ? { dependsOn: opts.dependsOn.map((d) => parseDependency('--depends-on', d)) } : {}),
    ...(Object.keys(parameters).length > 0 ? { parameters } : {}),
    ...(Object.keys(overrides).length > 0 ? { containerOverrides: overrides } : {}),
    ...(attempts !== undefined ? { retryStrategy: { attempts } } : {}),
    ...(timeout !== undefined ? { timeout: { attemptDurationSeconds: timeout } } : {}),
    ...(opts.shareIdentifier ? { shareIdentifier: opts.shareIdentifier } : {}),
  };
}

/** Adds `submit`. */
export function registerSubmit(program: Command, setExit: (code: number) => void): void {
  withAwsOptions(
    program
      .command('submit')
      .description('Submit a job to AWS Batch (or --endpoint-url), follow it and exit with its outcome')
      .argument('[command...]', 'command override, after -- (e.g. -- sh -c "echo hi")')
      .option('--queue <ref>', 'job queue name or ARN')
      .option('--job-definition <ref>', 'job definition name, name:revision or ARN')
      .option('--name <name>', 'job name (default: the job definition name)')
      .option('--array-size <n>', 'array job with n children (2-10000)')
      .option('--depends-on <id[:type]...>', 'job ids this job depends on, with N_TO_N or SEQUENTIAL for arrays')
      .option('--parameters <k=v...>', 'parameters substituted for Ref::k in the command')
      .option('--command <words>', 'command override: words or a JSON array (or give it after --)')
      .option('--env <K=V...>', 'environment variable overrides')
      .option('--vcpus <n>', 'vCPU override')
      .option('--memory <MiB>', 'memory override in MiB')
      .option('--gpus <n>', 'GPU override')
      .option('--retry-attempts <n>', 'retry attempts override (1-10)')
      .option('--timeout <seconds>', 'attempt timeout override in seconds (at least 60)')
      .option('--share-identifier <id>', 'fair-share identifier (queues with a scheduling policy)')
      .option('--no-wait', 'print the job id and exit without following')
      .option('--json', 'print the final DescribeJobs job as JSON on stdout'),
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
    progress(`logs: CloudWatch Logs group ${logs.group}${logs.stream ? `, stream ${logs.stream}` : ' (stream known once the job starts)'}`);
    setExit(!result.finished ? EXIT.ok : job.status === 'SUCCEEDED' ? EXIT.ok : EXIT.failed);
  });
}
