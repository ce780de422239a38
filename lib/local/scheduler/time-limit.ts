/**
 * `jobStateTimeLimitActions` of a job queue: a job blocked in RUNNABLE with a matching reason for
 * `maxTimeSeconds` is cancelled (CANCEL) or terminated (TERMINATE), which both make it FAILED.
 * @see https://docs.aws.amazon.com/batch/latest/APIReference/API_JobStateTimeLimitAction.html
 */
import type { JobStateTimeLimitAction } from '../../core/model/job-queue';
import type { Clock } from '../clock';
import type { JobRecord } from './job-record';

/**
 * Arms the first action whose `reason` prefixes the job's blocked reason. `expire` gets the reason
 * to record, and is called only if the job is still RUNNABLE in the same attempt when time is up.
 */
export function armTimeLimit(
  clock: Clock,
  rec: JobRecord,
  actions: readonly JobStateTimeLimitAction[],
  expire: (reason: string) => void,
): void {
  const action = actions.find((a) => a.state === 'RUNNABLE' && (rec.detail.statusReason ?? '').startsWith(a.reason));
  if (!action) return;
  const attempt = rec.detail.attempts?.length ?? 0;
  clock.setTimer(action.maxTimeSeconds * 1000, () => {
    if (rec.detail.status !== 'RUNNABLE' || (rec.detail.attempts?.length ?? 0) !== attempt) return;
    expire(
      `${action.reason}: RUNNABLE for ${action.maxTimeSeconds} s, ` +
        `${action.action} by the job queue's jobStateTimeLimitActions`,
    );
  });
}
