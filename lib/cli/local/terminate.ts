/** `batchkit local terminate`: TerminateJob on the store, stopping the job's container and waiting for it. */
import type { Command } from 'commander';
import { EXIT } from '../exit';
import { renderChanged } from './cancel';
import type { CommonOptions } from './session';
import { notFound, storeCommandOptions, withExecutor } from './store-command';

/** Adds `terminate` to the `local` command. */
export function registerTerminate(local: Command, setExit: (code: number) => void): void {
  storeCommandOptions(
    local
      .command('terminate')
      .description(
        'Terminate a job in any state, stopping its container, as TerminateJob does ' +
          '(waits until the container stopped)',
      ),
  )
    .argument('<jobId>', 'job id')
    .option('--reason <text>', 'status reason to record', 'Terminated by batchkit local terminate')
    .action(async (jobId: string, opts: CommonOptions & { reason: string }) => {
      const detail = await withExecutor(opts, async (e) => {
        if (e.describeJobs([jobId]).length === 0) return undefined;
        // A STARTING/RUNNING job: follow its container here too (a `local run` may follow it as
        // well), stop it (SIGTERM, SIGKILL after 30 s) and wait until its FAILED record is written.
        const following = await e.follow(jobId);
        e.terminateJob(jobId, opts.reason);
        if (following) return e.waitForJob(jobId);
        const [now] = e.describeJobs([jobId]);
        // A group job another process runs: its containers are signalled here, their owner records the end.
        const stopped = await e.stopGroup(jobId);
        if (stopped > 0) {
          const what = `batchkit: sent SIGTERM to the ${stopped} containers of ${jobId}`;
          process.stderr.write(`${what}; the process running it records its end\n`);
        } else if (now.status === 'STARTING' || now.status === 'RUNNING') {
          process.stderr.write(
            `batchkit: no container of ${jobId} is running; ` +
              'the termination is recorded and applies when its attempt ends\n',
          );
        }
        return now;
      });
      if (!detail) throw notFound([jobId]);
      process.stdout.write(renderChanged(detail, opts.json));
      setExit(EXIT.ok);
    });
}
