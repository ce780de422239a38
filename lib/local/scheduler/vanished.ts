/**
 * Attempts whose container disappeared while `batchkit` was not running: found at restart, when a
 * STARTING or RUNNING job's container is not on the engine any more.
 */
import type { AttemptResult } from '../attempt-runner';
import type { JobRecord } from './job-record';
import type { Scheduler } from './scheduler';

/** Reason of an attempt whose container disappeared while batchkit was not running. */
export const CONTAINER_VANISHED =
  'CannotInspectContainerError: the container of this attempt vanished while batchkit was not running';

/**
 * Records the failed attempt of a job (or node) whose container vanished and returns its result:
 * started when the job was RUNNING, with {@link CONTAINER_VANISHED} as its reason.
 */
export function vanish(s: Scheduler, rec: JobRecord, reason: string = CONTAINER_VANISHED): AttemptResult {
  const started = rec.detail.status === 'RUNNING';
  (rec.detail.attempts ??= []).push({
    container: { networkInterfaces: [] },
    ...(started ? { startedAt: rec.detail.startedAt } : {}),
    stoppedAt: s.options.clock.now(),
    statusReason: reason,
  });
  if (rec.meta.kind === 'mnp-node') rec.meta.runEnded = true;
  s.options.store.save(rec);
  return { started, statusReason: reason, timedOut: false, terminated: false, logs: '' };
}

/** A single job's or array child's container vanished: the attempt fails (retried if the strategy says so). */
export function abandon(s: Scheduler, rec: JobRecord, reason: string = CONTAINER_VANISHED): void {
  s.finishAttempt(rec, vanish(s, rec, reason));
}
