/**
 * Persistence of job records and attempt logs. The scheduler keeps every record in memory and
 * calls {@link JobStore.save} at the points that matter for recovery: on submission, before a
 * container starts, when it runs and after it stops.
 */
import type { JobRecord } from '../scheduler/job-record';

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
  /** Stores the stdout/stderr of one attempt (1-based). */
  saveLogs(jobId: string, attempt: number, text: string): void;
  /** The stored output of one attempt, or undefined. */
  loadLogs(jobId: string, attempt: number): string | undefined;
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

  loadLogs(jobId: string, attempt: number): string | undefined {
    return this.logs.get(`${jobId}@${attempt}`);
  }

  close(): void {}
}
