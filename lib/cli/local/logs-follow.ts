/**
 * `batchkit local logs <jobId> --follow`: prints the lines already stored for the job's running
 * (or last) attempt, then each new line as its container writes it — later attempts included —
 * until the job is SUCCEEDED or FAILED, or nothing can move it on any more.
 */
import type { JobDetail } from '../../core/model/job';
import type { JobLogLine, LocalExecutor } from '../../local/executor';

/** How a follow ended. */
export interface FollowOutcome {
  /** The job when the follow stopped. */
  readonly detail: JobDetail;
  /** True when the job is not final but nothing can move it on (e.g. it can never start). */
  readonly stalled: boolean;
}

/** One line as `batchkit local logs` prints it: `<timestamp> <stream> <line>`. */
export function renderLogLine(l: JobLogLine): string {
  return `${l.timestamp ? `${l.timestamp} ` : ''}${l.stream} ${l.message}\n`;
}

/** Follows one job's output on `out`; resolves when the job is final (or stalled). */
export async function followJobLogs(
  executor: LocalExecutor,
  jobId: string,
  out: { write(text: string): void },
): Promise<FollowOutcome> {
  const stop = executor.tailLogs(jobId, (l) => out.write(renderLogLine(l)));
  try {
    const final = executor.waitForJob(jobId).then((detail) => ({ detail, stalled: false }));
    const idle = (): Promise<undefined> => executor.waitForIdle().then(() => undefined);
    const first = await Promise.race([final, idle()]);
    if (first) return first;
    // Idle with the job open: give a pass queued meanwhile a moment, then call it stalled.
    await new Promise((resolve) => setTimeout(resolve, 200));
    return (await Promise.race([final, idle()])) ?? { detail: executor.describeJobs([jobId])[0], stalled: true };
  } finally {
    stop();
  }
}
