/** `batchkit local cancel`: CancelJob on the store, for a job that has not started. */
import type { Command } from 'commander';
import type { JobDetail } from '../../core/model/job';
import { EXIT } from '../exit';
import type { CommonOptions } from './session';
import { notFound, storeCommandOptions, withExecutor } from './store-command';

/** The line `cancel` and `terminate` print for the job they changed (its DescribeJobs JSON with `--json`). */
export function renderChanged(detail: JobDetail, json: boolean | undefined): string {
  if (json) return `${JSON.stringify(detail, null, 2)}\n`;
  return `${detail.jobId}\t${detail.status}${detail.statusReason ? `\t${detail.statusReason}` : ''}\n`;
}

/** Adds `cancel` to the `local` command. */
export function registerCancel(local: Command, setExit: (code: number) => void): void {
  storeCommandOptions(
    local
      .command('cancel')
      .description('Cancel a job that has not started (SUBMITTED, PENDING, RUNNABLE), as CancelJob does'),
  )
    .argument('<jobId>', 'job id')
    .option('--reason <text>', 'status reason to record', 'Cancelled by batchkit local cancel')
    .action(async (jobId: string, opts: CommonOptions & { reason: string }) => {
      const detail = await withExecutor(opts, (e) => {
        if (e.describeJobs([jobId]).length === 0) return undefined;
        e.cancelJob(jobId, opts.reason);
        return e.describeJobs([jobId])[0];
      });
      if (!detail) throw notFound([jobId]);
      process.stdout.write(renderChanged(detail, opts.json));
      setExit(EXIT.ok);
    });
}
