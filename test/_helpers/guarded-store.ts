/**
 * A job store that asks before every write: what the crash and full-disk tests put between the
 * executor and a real SQLite store. `beforeWrite` returns false to drop the write (a process that
 * died) or throws (a disk that is full); reads always reach the real store.
 */
import type { JobRecord } from '../../lib/local/scheduler/job-record';
import type { LogEntry } from '../../lib/local/runtime/log-demux';
import type { JobStore, LogTarget } from '../../lib/local/store/job-store';

/** A {@link JobStore} over `inner` whose writes go through `beforeWrite`. */
export class GuardedStore implements JobStore {
  constructor(
    private readonly inner: JobStore,
    private readonly beforeWrite: () => boolean,
  ) {}
  loadAll(): JobRecord[] {
    return this.inner.loadAll();
  }
  load(jobId: string): JobRecord | undefined {
    return this.inner.load(jobId);
  }
  save(record: JobRecord): void {
    if (this.beforeWrite()) this.inner.save(record);
  }
  saveMany(records: readonly JobRecord[]): void {
    if (this.beforeWrite()) this.inner.saveMany(records);
  }
  saveLogs(jobId: string, attempt: number, text: string): void {
    if (this.beforeWrite()) this.inner.saveLogs(jobId, attempt, text);
  }
  appendLogLines(target: LogTarget, first: number, lines: readonly LogEntry[]): void {
    if (this.beforeWrite()) this.inner.appendLogLines(target, first, lines);
  }
  logLineCount(jobId: string, attempt: number): number {
    return this.inner.logLineCount(jobId, attempt);
  }
  logEntries(jobId: string, attempt: number): Iterable<LogEntry> {
    return this.inner.logEntries(jobId, attempt);
  }
  loadLogStream(logStreamName: string): LogEntry[] {
    return this.inner.loadLogStream(logStreamName);
  }
  loadLogs(jobId: string, attempt: number): string | undefined {
    return this.inner.loadLogs(jobId, attempt);
  }
  close(): void {
    this.inner.close();
  }
}
