/**
 * Where the executor's events ("Batch Job State Change", "Batch Job Queue Blocked") go besides in-process
 * listeners.
 */
import type { BatchJobEvent } from '../../core/model/events';

/** A destination for the executor's events (JSON lines file, webhook, handler module). */
export interface EventSink {
  /** Short description for messages (`jsonl:/path`, `webhook:http://127.0.0.1:9000/`). */
  readonly name: string;
  /**
   * Delivers one event. Sinks are called in event order; a rejected promise is reported through
   * the executor's `onSinkError` and never stops the job.
   */
  deliver(event: BatchJobEvent): void | Promise<void>;
  /** Flushes and releases resources. */
  close?(): Promise<void>;
}
