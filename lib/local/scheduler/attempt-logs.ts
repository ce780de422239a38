/**
 * Log lines of running attempts: each line is handed to the executor's log listeners as it
 * arrives and appended to the store under the attempt's log stream name, in small batches (one
 * transaction per batch of at most {@link FLUSH_LINES} lines or {@link FLUSH_CHARS} characters, at
 * most {@link FLUSH_MS} after a line arrived, and always before the attempt is recorded as
 * finished). Writes are synchronous in the stream's `data` handler, so the engine's stream is not
 * read faster than the store takes the lines (backpressure through the socket). The identifiers of an attempt
 * re-attached after a restart are
 * the ones it was given when it started, so its log stream goes on where it was.
 */
import type { AttemptIds } from '../attempt-runner';
import type { LogEntry } from '../runtime/log-demux';
import type { JobStore, LogTarget } from '../store/job-store';
import type { JobRecord } from './job-record';

/** Longest time a line waits in memory before it is written. */
export const FLUSH_MS = 100;
/** Lines that make a batch be written at once. */
export const FLUSH_LINES = 500;
/** Characters of messages that make a batch be written at once (a few long lines). */
export const FLUSH_CHARS = 1024 * 1024;

/** One line of a job's output, as the executor's log listeners receive it. */
export interface JobLogLine {
  /** Job id (single job, array child `id:index` or node `id#node`). */
  readonly jobId: string;
  /** Attempt number from 1. */
  readonly attempt: number;
  /** The attempt's log stream (`<jobDefinitionName>/default/<taskId>`). */
  readonly logStreamName: string;
  /** Which stream of the container. */
  readonly stream: 'stdout' | 'stderr';
  /** The line, without its newline. */
  readonly message: string;
  /** The engine's timestamp (RFC 3339, nanoseconds), empty when the engine sent none. */
  readonly timestamp: string;
}

/** The identifiers of the attempt the job is RUNNING (a re-attached one), else undefined. */
export function resumedIds(rec: JobRecord): AttemptIds | undefined {
  const c = rec.detail.container;
  if (rec.detail.status !== 'RUNNING' || !c?.logStreamName || !c.taskArn || !c.containerInstanceArn) return undefined;
  return {
    taskId: c.logStreamName.slice(c.logStreamName.lastIndexOf('/') + 1),
    logStreamName: c.logStreamName,
    taskArn: c.taskArn,
    containerInstanceArn: c.containerInstanceArn,
  };
}

/** The lines of one attempt on their way to the store. */
export class AttemptLog {
  /** Lines of the attempt stored before this recorder began (a re-attached attempt). */
  readonly stored: number;
  private next: number;
  private buffer: LogEntry[] = [];
  private bufferedBytes = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly book: LogBook,
    private readonly store: JobStore,
    readonly target: LogTarget,
    private readonly emit: (line: JobLogLine) => void,
  ) {
    this.stored = store.logLineCount(target.jobId, target.attempt);
    this.next = this.stored;
  }

  /** New lines from the container. */
  push(lines: readonly LogEntry[]): void {
    const t = this.target;
    for (const l of lines) {
      this.buffer.push(l);
      this.bufferedBytes += l.message.length;
      this.emit({
        jobId: t.jobId,
        attempt: t.attempt,
        logStreamName: t.logStreamName,
        stream: l.stream,
        message: l.message,
        timestamp: l.timestamp,
      });
      // Bounded: however many lines arrive at once, at most a batch waits in memory.
      if (this.buffer.length >= FLUSH_LINES || this.bufferedBytes >= FLUSH_CHARS) this.flush();
    }
    if (!this.timer && this.buffer.length > 0) {
      this.timer = setTimeout(() => this.flush(), FLUSH_MS);
      this.timer.unref?.();
    }
  }

  /** Writes the buffered lines. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer.length === 0) return;
    this.store.appendLogLines(this.target, this.next, this.buffer);
    this.next += this.buffer.length;
    this.buffer = [];
    this.bufferedBytes = 0;
  }

  /** The attempt ended: writes what is left (and `text`, the output of a runtime that cannot stream). */
  close(text: string): void {
    this.flush();
    if (text !== '') this.store.saveLogs(this.target.jobId, this.target.attempt, text);
    this.book.closed(this);
  }
}

/** The attempts whose lines are being recorded. */
export class LogBook {
  private readonly open = new Map<string, AttemptLog>();

  constructor(
    private readonly store: JobStore,
    private readonly emit: (line: JobLogLine) => void,
  ) {}

  /** Starts recording an attempt. */
  begin(target: LogTarget): AttemptLog {
    const log = new AttemptLog(this, this.store, target, this.emit);
    this.open.set(target.jobId, log);
    return log;
  }

  /** Writes the buffered lines of a job's running attempt, so the store has all of them. */
  flush(jobId: string): void {
    this.open.get(jobId)?.flush();
  }

  /** Writes the buffered lines of every running attempt (before the store closes). */
  flushAll(): void {
    for (const log of this.open.values()) log.flush();
  }

  /** The running attempt of a job being recorded. */
  running(jobId: string): LogTarget | undefined {
    return this.open.get(jobId)?.target;
  }

  /** @internal an attempt ended. */
  closed(log: AttemptLog): void {
    if (this.open.get(log.target.jobId) === log) this.open.delete(log.target.jobId);
  }
}
