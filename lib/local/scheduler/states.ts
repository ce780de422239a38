/**
 * The job state machine: one table of legal moves and one {@link transition} function. No other
 * module writes `status`; see README.md in this directory for the diagram.
 */
import type { JobDetail, JobStatus } from '../../core/model/job';
import { BatchkitError } from '../../core/errors';

/** Legal moves from each status. */
export const TRANSITIONS: Readonly<Record<JobStatus, readonly JobStatus[]>> = {
  // Evaluated by the scheduler: dependencies → PENDING, none → RUNNABLE; CancelJob → FAILED.
  SUBMITTED: ['PENDING', 'RUNNABLE', 'FAILED'],
  // Dependencies met → RUNNABLE; a dependency failed or cancel → FAILED; array parents end here.
  PENDING: ['RUNNABLE', 'FAILED', 'SUCCEEDED'],
  // Placed on a compute environment → STARTING; cancel/terminate/time-limit action → FAILED.
  RUNNABLE: ['STARTING', 'FAILED'],
  // Container running → RUNNING; failed to start with attempts left → RUNNABLE, else FAILED.
  STARTING: ['RUNNING', 'RUNNABLE', 'FAILED'],
  // Exit 0 → SUCCEEDED; failed attempt with attempts left → RUNNABLE, else FAILED.
  RUNNING: ['SUCCEEDED', 'RUNNABLE', 'FAILED'],
  SUCCEEDED: [],
  FAILED: [],
};

/** Final statuses. */
export function isFinal(status: JobStatus): boolean {
  return status === 'SUCCEEDED' || status === 'FAILED';
}

/** Whether `from → to` is in {@link TRANSITIONS}. */
export function canTransition(from: JobStatus, to: JobStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Error code of an illegal move (a bug in the executor). */
export const ILLEGAL_TRANSITION = 'BATCHKIT-LOCAL-101';

/** A recorded move, as `transition` reports it. */
export interface TransitionRecord {
  /** Job id. */
  readonly jobId: string;
  /** Previous status. */
  readonly from: JobStatus;
  /** New status. */
  readonly to: JobStatus;
  /** Clock time (epoch ms). */
  readonly at: number;
}

/**
 * Moves a job to `to`, records `statusReason` and the timestamps AWS keeps (`startedAt` on entering
 * RUNNING, `stoppedAt` on entering a final status), and throws on a move the table does not allow.
 */
export function transition(job: JobDetail, to: JobStatus, reason: string | undefined, at: number): TransitionRecord {
  const from = job.status;
  if (!canTransition(from, to)) {
    throw new BatchkitError(
      ILLEGAL_TRANSITION,
      'internal',
      `Job ${job.jobId} cannot move from ${from} to ${to}; allowed from ` +
        `${from}: ${TRANSITIONS[from].join(', ') || 'none (final)'}.`,
    );
  }
  (job as { status: JobStatus }).status = to;
  if (reason !== undefined) job.statusReason = reason;
  if (to === 'RUNNING') job.startedAt = at;
  if (isFinal(to)) job.stoppedAt = at;
  return { jobId: job.jobId, from, to, at };
}

/** Creates the status field of a new record (the only other place a status is written). */
export function initialStatus(kind: 'submitted' | 'spawned'): JobStatus {
  return kind === 'submitted' ? 'SUBMITTED' : 'PENDING';
}
