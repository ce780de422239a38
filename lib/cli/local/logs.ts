/** `batchkit local logs`: a job attempt's output from the store; `--follow` tails it until the job ends. */
import type { Command } from 'commander';
import { BatchkitError } from '../../core/errors';
import { EXIT } from '../exit';
import { parseInteger } from './args';
import { followJobLogs } from './logs-follow';
import type { CommonOptions } from './session';
import { notFound, storeCommandOptions, withExecutor } from './store-command';

/** Adds `logs` to the `local` command. */
export function registerLogs(local: Command, setExit: (code: number) => void): void {
  storeCommandOptions(local.command('logs').description("Print a job attempt's stdout and stderr"))
    .argument('<jobId>', 'job id')
    .option('--attempt <n>', 'attempt number (default: the last)')
    .option('--follow', 'print the lines of the running attempt as they are written, until the job ends')
    .action(async (jobId: string, opts: CommonOptions & { attempt?: string; follow?: boolean }) => {
      const attempt = parseInteger('--attempt', opts.attempt, 1, 10);
      if (opts.follow) {
        if (opts.attempt !== undefined || opts.json)
          throw new BatchkitError(
            'BATCHKIT-CLI-LOCAL-012',
            'input',
            '--follow cannot be combined with --attempt or --json.',
            { fix: 'drop --follow to read one stored attempt.' },
          );
        const outcome = await withExecutor(opts, async (e) => {
          if (e.describeJobs([jobId]).length === 0) return undefined;
          // The store is open passively: follow the job's container from here (one a killed run left
          // running, or one a live `local run` follows too: both store each line once, by position).
          await e.follow(jobId);
          return followJobLogs(e, jobId, process.stdout);
        });
        if (!outcome) throw notFound([jobId]);
        if (outcome.stalled)
          process.stderr.write(
            `batchkit: ${jobId} is ${outcome.detail.status} and nothing moves it on; stopped following\n`,
          );
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
      if (opts.json)
        process.stdout.write(`${JSON.stringify({ jobId, attempt: n, logStreamName: stream, logs: result.text })}\n`);
      else process.stdout.write(result.text);
      setExit(EXIT.ok);
    });
}
