/**
 * Persistence of job records and attempt logs. The scheduler keeps every record in memory and
 * calls {@link JobStore.save} at the points that matter for recovery: on submission, before a
 * container starts, when it runs and after it stops.
 */
import type { LogEntry } from '../runtime/log-demux';
import { formatLogs, parseLogText } from '../runtime/log-demux';
import type { JobRecord } from '../scheduler/job-record';

/** The attempt a log line belongs to. */
export interface LogTarget {
  /** Job id (single job, array child or node). */
  readonly jobId: string;
  /** Attempt number from 1. */
  readonly attempt: number;
  /** The attempt's `logStreamName` (`<jobDefinitionName>/default/<taskId>`). */
  readonly logStreamName: string;
}

/** A job store. */
export interface JobStore {
  /** Every stored record (used once, when the executor opens). */
  loadAll(): JobRecord[];
  /**
   * The stored record of one job, as another process may have written it (a `batchkit local
   * terminate` beside a `batchkit local run`), or undefined.
   */
  load(jobId: string): JobRecord | undefined;
  /** Writes a record (insert or replace). */
  save(record: JobRecord): void;
  /** Writes several records in one transaction. */
  saveMany(records: readonly JobRecord[]): void;
  /** Stores the stdout/stderr of one attempt (1-based) as one text (runtimes that cannot stream lines). */
  saveLogs(jobId: string, attempt: number, text: string): void;
  /**
   * Appends lines of one attempt, the first being its line number `first` (from 0); a line number
   * already stored is kept as it is, so a replayed line is never stored twice.
   */
  appendLogLines(target: LogTarget, first: number, lines: readonly LogEntry[]): void;
  /** How many lines of one attempt are stored. */
  logLineCount(jobId: string, attempt: number): number;
  /** The stored lines of a log stream, in order. */
  loadLogStream(logStreamName: string): LogEntry[];
  /** The stored output of one attempt as `<timestamp> <stream> <line>` text, or undefined. */
  loadLogs(jobId: string, attempt: number): string | undefined;
  /** The stored events of one attempt in order, read as they are iterated (empty when none). */
  logEntries(jobId: string, attempt: number): Iterable<LogEntry>;
  /** Closes the store. */
  close(): void;
}

/**
 * A store that keeps nothing beyond the process: for tests and `':memory:'`. It holds the
 * scheduler's own record objects (no copy per write); `loadAll` returns copies.
 */
export class MemoryJobStore implements JobStore {
  private readonly records = new Map<string, JobRecord>();
  private readonly logs = new Map<string, string>();
  private readonly lines = new Map<string, { readonly logStreamName: string; readonly entries: LogEntry[] }>();

  loadAll(): JobRecord[] {
    return [...this.records.values()].map((r) => JSON.parse(JSON.stringify(r)) as JobRecord);
  }

  load(jobId: string): JobRecord | undefined {
    return this.records.get(jobId);
  }

  save(record: JobRecord): void {
    this.records.set(record.detail.jobId, record);
  }

  saveMany(records: readonly JobRecord[]): void {
    for (const r of records) this.save(r);
  }

  saveLogs(jobId: string, attempt: number, text: string): void {
    this.logs.set(`${jobId}@${attempt}`, text);
  }

  appendLogLines(target: LogTarget, first: number, lines: readonly LogEntry[]): void {
    const key = `${target.jobId}@${target.attempt}`;
    let stored = this.lines.get(key);
    if (!stored) this.lines.set(key, (stored = { logStreamName: target.logStreamName, entries: [] }));
    lines.forEach((line, i) => {
      if (first + i === stored.entries.length) stored.entries.push(line);
    });
  }

  logLineCount(jobId: string, attempt: number): number {
    return this.lines.get(`${jobId}@${attempt}`)?.entries.length ?? 0;
  }

  loadLogStream(logStreamName: string): LogEntry[] {
    for (const l of this.lines.values()) if (l.logStreamName === logStreamName) return [...l.entries];
    return [];
  }

  loadLogs(jobId: string, attempt: number): string | undefined {
    const lines = this.lines.get(`${jobId}@${attempt}`);
    return lines ? formatLogs(lines.entries) : this.logs.get(`${jobId}@${attempt}`);
  }

  logEntries(jobId: string, attempt: number): Iterable<LogEntry> {
    const lines = this.lines.get(`${jobId}@${attempt}`);
    if (lines) return [...lines.entries];
    const text = this.logs.get(`${jobId}@${attempt}`);
    return text === undefined ? [] : parseLogText(text);
  }

  close(): void {}
}
