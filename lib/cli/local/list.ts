/** `batchkit local list`: jobs of the store, as ListJobs lists them (flags named as in `aws batch list-jobs`). */
import type { Command } from 'commander';
import { BatchkitError } from '../../core/errors';
import { JOB_STATUSES, type JobStatus, type JobSummary } from '../../core/model/job';
import { EXIT } from '../exit';
import { renamedOptions } from '../options';
import type { CommonOptions } from './session';
import { storeCommandOptions, withExecutor } from './store-command';

interface ListOptions extends CommonOptions {
  jobQueue?: string;
  jobStatus?: string;
  arrayJobId?: string;
  multiNodeJobId?: string;
  jobName?: string;
}

/** A table row of ListJobs. */
export function renderSummary(s: JobSummary): string {
  const created = s.createdAt !== undefined ? new Date(s.createdAt).toISOString() : '-';
  return `${s.jobId}\t${s.jobName}\t${s.status ?? '-'}\t${created}${s.statusReason ? `\t${s.statusReason}` : ''}\n`;
}

/** `--job-status`: a job status, in any case. */
export function parseStatus(value: string | undefined): JobStatus | undefined {
  if (value === undefined) return undefined;
  const upper = value.toUpperCase() as JobStatus;
  if (!JOB_STATUSES.includes(upper)) {
    throw new BatchkitError('BATCHKIT-CLI-LOCAL-001', 'input', `--job-status "${value}" is not a job status.`, {
      fix: `pass one of ${JOB_STATUSES.join(', ')}.`,
    });
  }
  return upper;
}

/** Adds `list` to the `local` command. */
export function registerList(local: Command, setExit: (code: number) => void): void {
  const cmd = storeCommandOptions(
    local.command('list').description('List jobs of the store, as ListJobs does (default: every status)'),
  )
    .option('--job-queue <name>', 'jobs of this queue')
    .option('--job-status <status>', 'jobs in this status')
    .option('--array-job-id <id>', 'children of this array job')
    .option('--multi-node-job-id <id>', 'nodes of this multi-node job')
    .option('--job-name <name>', 'jobs with this name (a trailing * matches a prefix)');
  renamedOptions(cmd, [
    { old: '--queue', now: '--job-queue' },
    { old: '--status', now: '--job-status' },
    { old: '--name', now: '--job-name' },
  ]).action(async (opts: ListOptions) => {
    const status = parseStatus(opts.jobStatus);
    const summaries = await withExecutor(opts, (e) => {
      const scopes: Array<{ jobQueue?: string; arrayJobId?: string; multiNodeJobId?: string }> =
        opts.arrayJobId !== undefined
          ? [{ arrayJobId: opts.arrayJobId }]
          : opts.multiNodeJobId !== undefined
            ? [{ multiNodeJobId: opts.multiNodeJobId }]
            : opts.jobQueue !== undefined
              ? [{ jobQueue: opts.jobQueue }]
              : e.jobQueues().map((q) => ({ jobQueue: q.jobQueueName }));
      if (scopes.length === 0) {
        throw new BatchkitError(
          'BATCHKIT-CLI-LOCAL-011',
          'input',
          'batchkit local list needs a queue: no --job-queue was given and no app (cdk.out) names one.',
          { fix: 'pass --job-queue <name>, --array-job-id <id>, --multi-node-job-id <id>, or --app <cdk.out>.' },
        );
      }
      // ListJobs lists one status (RUNNING by default) unless a filter is given: the CLI lists
      // every status, through the JOB_NAME filter, and narrows to --job-status itself.
      const filters = [{ name: 'JOB_NAME', values: [opts.jobName ?? '*'] }];
      return scopes
        .flatMap((scope) => e.listJobs({ ...scope, filters }))
        .filter((j) => status === undefined || j.status === status);
    });
    const sorted = [...summaries].sort(
      (a, b) => (a.createdAt ?? 0) - (b.createdAt ?? 0) || a.jobId.localeCompare(b.jobId),
    );
    process.stdout.write(
      opts.json
        ? `${JSON.stringify({ jobSummaryList: sorted }, null, 2)}
`
        : sorted.map(renderSummary).join(''),
    );
    setExit(EXIT.ok);
  });
}
