/**
 * `batchkit local describe|list|logs|cancel|terminate`: read and act on the jobs of the store
 * (`logs --follow` tails a running job, see logs-follow.ts).
 */
import type { Command } from 'commander';
import { BatchkitError } from '../../core/errors';
import { JOB_STATUSES, type JobDetail, type JobStatus, type JobSummary } from '../../core/model/job';
import type { LocalExecutor } from '../../local/executor';
import { EXIT } from '../exit';
import { parseInteger } from './args';
import { followJobLogs } from './logs-follow';
import { formatCounts } from './progress';
import { loadModel, openSession, type CommonOptions } from './session';

/**
 * Runs `fn` on an executor opened passively on the store (it starts and re-attaches nothing, so a
 * `batchkit local run` may work on the same store meanwhile), and closes it.
 */
async function withExecutor<T>(opts: CommonOptions, fn: (executor: LocalExecutor) => T | Promise<T>): Promise<T> {
  const session = await openSession(opts, loadModel(opts, false), (line) => process.stderr.write(`${line}\n`), true);
  try {
    return await fn(session.executor);
  } finally {
    await session.executor.close();
  }
}

function common(cmd: Command): Command {
  return cmd
    .option('--store <dir>', 'job store directory', '.batchkit')
    .option('--app <path>', 'cloud assembly directory or template file (default: cdk.out when present)')
    .option('--json', 'print JSON on stdout');
}

function notFound(jobIds: readonly string[]): BatchkitError {
  return new BatchkitError('BATCHKIT-CLI-LOCAL-010', 'not-found', `no job ${jobIds.join(', ')} in the store.`, {
    fix: 'list the stored jobs with "batchkit local list --status <STATUS>", or pass --store <dir> of the run.',
  });
}

/** A human view of one job. */
export function renderDetail(d: JobDetail): string {
  const lines = [`${d.jobName} (${d.jobId})`, `  status:          ${d.status}${d.statusReason ? ` (${d.statusReason})` : ''}`];
  lines.push(`  queue:           ${d.jobQueue}`, `  job definition:  ${d.jobDefinition}`);
  for (const [label, at] of [['created', d.createdAt], ['started', d.startedAt], ['stopped', d.stoppedAt]] as const) {
    if (at !== undefined) lines.push(`  ${`${label}:`.padEnd(16)} ${new Date(at).toISOString()}`);
  }
  if (d.arrayProperties?.size !== undefined) {
    lines.push(`  array:           ${d.arrayProperties.size} children  ${formatCounts(d.arrayProperties.statusSummary ?? {})}`);
  }
  if (d.arrayProperties?.index !== undefined) lines.push(`  array index:     ${d.arrayProperties.index}`);
  if (d.nodeDetails?.nodeIndex !== undefined) {
    lines.push(`  node:            ${d.nodeDetails.nodeIndex}${d.nodeDetails.isMainNode ? ' (main)' : ''}`);
  }
  for (const [i, a] of (d.attempts ?? []).entries()) {
    const exit = a.container?.exitCode !== undefined ? ` exit ${a.container.exitCode}` : '';
    const reason = a.container?.reason ? ` ${a.container.reason};` : '';
    lines.push(`  attempt ${i + 1}:${exit}${reason} ${a.statusReason ?? ''}`.trimEnd());
    if (a.container?.logStreamName) lines.push(`    log stream: ${a.container.logStreamName}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A table row of ListJobs. */
export function renderSummary(s: JobSummary): string {
  const created = s.createdAt !== undefined ? new Date(s.createdAt).toISOString() : '-';
  return `${s.jobId}\t${s.jobName}\t${s.status ?? '-'}\t${created}${s.statusReason ? `\t${s.statusReason}` : ''}\n`;
}

function parseStatus(value: string | undefined): JobStatus | undefined {
  if (value === undefined) return undefined;
  const upper = value.toUpperCase() as JobStatus;
  if (!JOB_STATUSES.includes(upper)) {
    throw new BatchkitError('BATCHKIT-CLI-LOCAL-001', 'input', `--status "${value}" is not a job status.`, {
      fix: `pass one of ${JOB_STATUSES.join(', ')}.`,
    });
  }
  return upper;
}

/** Adds the store commands to `local`. */
export function registerJobCommands(local: Command, setExit: (code: number) => void): void {
  common(local.command('describe').description('Describe jobs of the store, as DescribeJobs does'))
    .argument('<jobId...>', 'job ids (children: id:index, nodes: id#node)')
    .action(async (jobIds: string[], opts: CommonOptions) => {
      const details = await withExecutor(opts, (e) => e.describeJobs(jobIds));
      const missing = jobIds.filter((id) => !details.some((d) => d.jobId === id));
      if (details.length === 0) throw notFound(missing);
      process.stdout.write(opts.json ? `${JSON.stringify({ jobs: details }, null, 2)}\n` : details.map(renderDetail).join('\n'));
      if (missing.length > 0) process.stderr.write(`batchkit: no job ${missing.join(', ')} in the store\n`);
      setExit(missing.length > 0 ? EXIT.input : EXIT.ok);
    });

  common(local.command('list').description('List jobs of the store, as ListJobs does (default: every status)'))
    .option('--queue <name>', 'jobs of this queue')
    .option('--status <status>', 'jobs in this status')
    .option('--array-job-id <id>', 'children of this array job')
    .option('--multi-node-job-id <id>', 'nodes of this multi-node job')
    .option('--name <name>', 'jobs with this name (a trailing * matches a prefix)')
    .action(async (opts: CommonOptions & { queue?: string; status?: string; arrayJobId?: string; multiNodeJobId?: string; name?: string }) => {
      const status = parseStatus(opts.status);
      const summaries = await withExecutor(opts, (e) => {
        const scopes: Array<{ jobQueue?: string; arrayJobId?: string; multiNodeJobId?: string }> =
          opts.arrayJobId !== undefined
            ? [{ arrayJobId: opts.arrayJobId }]
            : opts.multiNodeJobId !== undefined
              ? [{ multiNodeJobId: opts.multiNodeJobId }]
              : opts.queue !== undefined
                ? [{ jobQueue: opts.queue }]
                : e.jobQueues().map((q) => ({ jobQueue: q.jobQueueName }));
        if (scopes.length === 0) {
          throw new BatchkitError('BATCHKIT-CLI-LOCAL-011', 'input', 'batchkit local list needs a queue: no --queue was given and no app (cdk.out) names one.', {
            fix: 'pass --queue <name>, --array-job-id <id>, --multi-node-job-id <id>, or --app <cdk.out>.',
          });
        }
        // ListJobs lists one status (RUNNING by default) unless a filter is given: the CLI lists
        // every status, through the JOB_NAME filter, and narrows to --status itself.
        const filters = [{ name: 'JOB_NAME', values: [opts.name ?? '*'] }];
        return scopes
          .flatMap((scope) => e.listJobs({ ...scope, filters }))
          .filter((j) => status === undefined || j.status === status);
      });
      const sorted = [...summaries].sort((a, b) => (a.createdAt ?? 0) - (b.createdAt ?? 0) || a.jobId.localeCompare(b.jobId));
      process.stdout.write(opts.json ? `${JSON.stringify({ jobSummaryList: sorted }, null, 2)}\n` : sorted.map(renderSummary).join(''));
      setExit(EXIT.ok);
    });

  common(local.command('logs').description("Print a job attempt's stdout and stderr"))
    .argument('<jobId>', 'job id')
    .option('--attempt <n>', 'attempt number (default: the last)')
    .option('--follow', 'print the lines of the running attempt as they are written, until the job ends')
    .action(async (jobId: string, opts: CommonOptions & { attempt?: string; follow?: boolean }) => {
      const attempt = parseInteger('--attempt', opts.attempt, 1, 10);
      if (opts.follow) {
        if (opts.attempt !== undefined || opts.json) throw new BatchkitError('BATCHKIT-CLI-LOCAL-012', 'input', '--follow cannot be combined with --attempt or --json.', { fix: 'drop --follow to read one stored attempt.' });
        const outcome = await withExecutor(opts, async (e) => {
          if (e.describeJobs([jobId]).length === 0) return undefined;
          // The store is open passively: follow the job's container from here (one a killed run left
          // running, or one a live `local run` follows too: both store each line once, by position).
          await e.follow(jobId);
          return followJobLogs(e, jobId, process.stdout);
        });
        if (!outcome) throw notFound([jobId]);
        if (outcome.stalled) process.stderr.write(`batchkit: ${jobId} is ${outcome.detail.status} and nothing moves it on; stopped following\n`);
        setExit(EXIT.ok);
        return;
      }
      const result = await withExecutor(opts, (e) => {
        const [d] = e.describeJobs([jobId]);
        return d ? { detail: d, text: e.logs(jobId, attempt) } : undefined;
      });
      if (!result) throw notFound([jobId]);
      const attempts = result.detail.attempts ?? [];
      const n = attempt ?? attempts.length;
      const stream = attempts[n - 1]?.container?.logStreamName;
      if (opts.json) process.stdout.write(`${JSON.stringify({ jobId, attempt: n, logStreamName: stream, logs: result.text })}\n`);
      else process.stdout.write(result.text);
      setExit(EXIT.ok);
    });

  for (const action of ['cancel', 'terminate'] as const) {
    const what =
      action === 'cancel'
        ? 'Cancel a job that has not started (SUBMITTED, PENDING, RUNNABLE), as CancelJob does'
        : 'Terminate a job in any state, stopping its container, as TerminateJob does (waits until the container stopped)';
    common(local.command(action).description(what))
      .argument('<jobId>', 'job id')
      .option('--reason <text>', 'status reason to record', `${action === 'cancel' ? 'Cancelled' : 'Terminated'} by batchkit local ${action}`)
      .action(async (jobId: string, opts: CommonOptions & { reason: string }) => {
        const detail = await withExecutor(opts, async (e) => {
          if (e.describeJobs([jobId]).length === 0) return undefined;
          if (action === 'cancel') {
            e.cancelJob(jobId, opts.reason);
            return e.describeJobs([jobId])[0];
          }
          // A STARTING/RUNNING job: follow its container here too (a `local run` may follow it as
          // well), stop it (SIGTERM, SIGKILL after 30 s) and wait until its FAILED record is written.
          const following = await e.follow(jobId);
          e.terminateJob(jobId, opts.reason);
          if (following) return e.waitForJob(jobId);
          const [now] = e.describeJobs([jobId]);
          const stopped = await e.stopGroup(jobId);
          if (stopped > 0) {
            const what = `batchkit: sent SIGTERM to the ${stopped} containers of ${jobId}`;
            process.stderr.write(`${what}; the process running it records its end\n`);
          } else if (now.status === 'STARTING' || now.status === 'RUNNING') {
            process.stderr.write(`batchkit: no container of ${jobId} is running; the termination is recorded and applies when its attempt ends\n`);
          }
          return now;
        });
        if (!detail) throw notFound([jobId]);
        process.stdout.write(opts.json ? `${JSON.stringify(detail, null, 2)}\n` : `${detail.jobId}\t${detail.status}${detail.statusReason ? `\t${detail.statusReason}` : ''}\n`);
        setExit(EXIT.ok);
      });
  }
}
