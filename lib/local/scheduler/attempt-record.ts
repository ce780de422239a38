/** Writes the outcome of an attempt onto the job the way DescribeJobs shows it. */
import type { JobDetail } from '../../core/model/job';
import type { AttemptIds, AttemptResult } from '../attempt-runner';

/**
 * Sets the job's `container.exitCode`/`reason` (and drops the task fields when the container never
 * ran) and appends an `attempts[]` entry with its container, `startedAt`, `stoppedAt` and reason.
 */
export function recordAttempt(
  d: JobDetail,
  result: AttemptResult,
  ids: AttemptIds,
  startedAt: number | undefined,
  stoppedAt: number,
): void {
  const c = (d.container ??= {});
  c.exitCode = result.exitCode;
  if (result.containerReason !== undefined) c.reason = result.containerReason;
  else delete c.reason;
  if (!result.started) {
    delete c.containerInstanceArn;
    delete c.taskArn;
    delete c.logStreamName;
  }
  (d.attempts ??= []).push({
    container: {
      ...(result.started ? { containerInstanceArn: ids.containerInstanceArn, taskArn: ids.taskArn } : {}),
      ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}),
      ...(result.containerReason !== undefined ? { reason: result.containerReason } : {}),
      ...(result.started ? { logStreamName: c.logStreamName ?? ids.logStreamName } : {}),
      networkInterfaces: [],
    },
    ...(result.started ? { startedAt } : {}),
    stoppedAt,
    statusReason: result.statusReason,
  });
}
