/**
 * CancelJob and TerminateJob.
 * @see https://docs.aws.amazon.com/batch/latest/APIReference/API_CancelJob.html
 * @see https://docs.aws.amazon.com/batch/latest/APIReference/API_TerminateJob.html
 */
import type { AttemptResult } from '../attempt-runner';
import type { JobStore } from '../store/job-store';
import type { JobRecord } from './job-record';
import { isFinal } from './states';
import type { Scheduler } from './scheduler';

/**
 * CancelJob: jobs not yet STARTING fail with `reason` (PENDING ones once their dependencies complete); array
 * parents cancel their children.
 */
export function cancelJob(sched: Scheduler, jobId: string, reason: string): void {
  const rec = sched.require(jobId);
  if (rec.meta.kind === 'array-parent') {
    if (isFinal(rec.detail.status)) return;
    rec.meta.cancelReason = reason;
    rec.detail.isCancelled = true;
    if (rec.detail.status === 'SUBMITTED') {
      sched.move(rec, 'FAILED', reason);
      return;
    }
    for (let i = 0; i < (rec.meta.size ?? 0); i++) cancelJob(sched, `${rec.detail.jobId}:${i}`, reason);
    return;
  }
  const s = rec.detail.status;
  if (s === 'SUBMITTED' || s === 'RUNNABLE') {
    rec.detail.isCancelled = true;
    sched.move(rec, 'FAILED', reason);
  } else if (s === 'PENDING') {
    rec.meta.cancelReason = reason;
    rec.detail.isCancelled = true;
    sched.options.store.save(rec);
  }
}

/**
 * TerminateJob: like cancel before STARTING; afterwards stops the container (SIGTERM, SIGKILL 30 s later) and
 * fails the job, never retried.
 */
export function terminateJob(sched: Scheduler, jobId: string, reason: string): void {
  const rec = sched.require(jobId);
  const s = rec.detail.status;
  if (isFinal(s)) return;
  if (rec.meta.kind === 'array-parent') {
    rec.meta.cancelReason = reason;
    rec.detail.isTerminated = true;
    if (s === 'SUBMITTED') sched.move(rec, 'FAILED', reason);
    else for (let i = 0; i < (rec.meta.size ?? 0); i++) terminateJob(sched, `${rec.detail.jobId}:${i}`, reason);
    return;
  }
  if (s === 'SUBMITTED' || s === 'PENDING' || s === 'RUNNABLE') {
    rec.detail.isCancelled = true;
    sched.move(rec, 'FAILED', reason);
    return;
  }
  rec.detail.isTerminated = true;
  rec.meta.terminateReason = reason;
  sched.options.store.save(rec);
  sched.stopRun(rec.detail.jobId, reason);
}

/**
 * TerminateJob wins over however the attempt ended: a terminated job FAILS with the given reason
 * and is never retried, as on AWS, also when the engine reported an error while it stopped, and
 * also when another process recorded the request in the store (`batchkit local terminate` while
 * this process runs the job).
 */
export function withTerminate(store: JobStore, rec: JobRecord, result: AttemptResult): AttemptResult {
  if (result.terminated) return result;
  const reason = rec.meta.terminateReason ?? store.load(rec.detail.jobId)?.meta.terminateReason;
  if (reason === undefined) return result;
  rec.meta.terminateReason = reason;
  rec.detail.isTerminated = true;
  return { ...result, statusReason: reason, timedOut: false, terminated: true };
}

/**
 * A CancelJob or TerminateJob another process applied to a job this process still holds RUNNABLE
 * (`batchkit local cancel` while `batchkit local run` waits for capacity): the stored record is
 * FAILED. Copies the flags and returns the reason the job must fail with, or undefined.
 */
export function failedElsewhere(store: JobStore, rec: JobRecord): string | undefined {
  const stored = store.load(rec.detail.jobId);
  if (stored === undefined || stored === rec || stored.detail.status !== 'FAILED' || rec.detail.status === 'FAILED')
    return undefined;
  if (stored.detail.isCancelled) rec.detail.isCancelled = true;
  if (stored.detail.isTerminated) rec.detail.isTerminated = true;
  return stored.detail.statusReason ?? 'Cancelled by another batchkit process';
}
