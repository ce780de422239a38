/**
 * Recording an executor's events in tests: every event, and the job state changes and queue
 * blocked events apart.
 */
import {
  isJobStateChangeEvent,
  type BatchJobEvent,
  type JobQueueBlockedEvent,
  type JobStateChangeEvent,
} from '../../lib/core/model/events';
import type { LocalExecutor } from '../../lib/local/executor';

/** The events an executor emitted so far (the arrays fill as it runs). */
export interface RecordedEvents {
  /** "Batch Job State Change" events, in order. */
  readonly events: JobStateChangeEvent[];
  /** "Batch Job Queue Blocked" events, in order. */
  readonly blocked: JobQueueBlockedEvent[];
  /** Every event, in order. */
  readonly all: BatchJobEvent[];
}

/** Subscribes to `executor`'s events and records them. */
export function recordEvents(executor: Pick<LocalExecutor, 'onEvent'>): RecordedEvents {
  const recorded: RecordedEvents = { events: [], blocked: [], all: [] };
  executor.onEvent((e) => {
    recorded.all.push(e);
    if (isJobStateChangeEvent(e)) recorded.events.push(e);
    else recorded.blocked.push(e);
  });
  return recorded;
}
