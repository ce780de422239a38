/** Where "Batch Job State Change" events go besides in-process listeners. */
import type { JobStateChangeEvent } from '../../core/model/events';

/** A destination for job state change events (JSON lines file, webhook, handler module). */
export interface EventSink {
  /** Short description for messages (`jsonl:/path`, `webhook:http://127.0.0.1:9000/`). */
  readonly name: string;
  /**
   * Delivers one event. Sinks are called in event order; a rejected promise is reported through
   * the executor's `onSinkError` and never stops the job.
   */
  deliver(event: JobStateChangeEvent): void | Promise<void>;
  /** Flushes and releases resources. */
  close?(): Promise<void>;
}
