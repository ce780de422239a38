/**
 * Job records in an embedded SQLite database (`<storeDir>/jobs.db`, WAL mode): one row per job
 * with its `JobDetail` and scheduling facts as JSON, and the log events of each attempt, appended
 * while the container runs (see log-rows.ts for their compact layout). Writes are synchronous, so a
 * record written before a container starts survives a killed `batchkit`.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { BatchkitError } from '../../core/errors';
import { formatLogs, parseLogText, type LogEntry } from '../runtime/log-demux';
import { LogRows } from './log-rows';
import type { JobRecord } from '../scheduler/job-record';
import type { JobStore, LogTarget } from './job-store';
import { privateDirectory, privateFile } from './private-files';

/** Error code of a store write that failed (nothing of it was stored). */
export const STORE_WRITE_FAILED = 'BATCHKIT-LOCAL-402';

/** File name of the database inside the store directory. */
export const DATABASE_FILE = 'jobs.db';

/** SQLite-backed {@link JobStore}. */
export class SqliteJobStore implements JobStore {
  private readonly db: Database.Database;
  private readonly upsert: Database.Statement<[string, string, string, string]>;
  private readonly putLogs: Database.Statement<[string, number, string]>;
  private readonly getLogs: Database.Statement<[string, number], { text: string }>;
  private readonly getJob: Database.Statement<[string], { detail: string; meta: string }>;
  private readonly many: (records: readonly JobRecord[]) => void;
  private readonly rows: LogRows;

  constructor(readonly directory: string) {
    try {
      // 0700 directory, 0600 database; SQLite creates -wal and -shm with the database's mode.
      privateDirectory(directory);
      privateFile(join(directory, DATABASE_FILE), ['-wal', '-shm']);
      this.db = new Database(join(directory, DATABASE_FILE));
    } catch (e) {
      throw new BatchkitError(
        'BATCHKIT-LOCAL-401',
        'environment',
        `Cannot open the job store in ${directory}: ${(e as Error).message}`,
        {
          fix: 'check that the directory is writable, or pass another --store-dir.',
          cause: e,
        },
      );
    }
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS jobs (
        job_id TEXT PRIMARY KEY,
        status TEXT NOT NULL,
        detail TEXT NOT NULL,
        meta TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS logs (
        job_id TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        text TEXT NOT NULL,
        PRIMARY KEY (job_id, attempt)
      );
    `);
    this.rows = new LogRows(this.db);
    this.upsert = this.db.prepare('INSERT OR REPLACE INTO jobs (job_id, status, detail, meta) VALUES (?, ?, ?, ?)');
    this.putLogs = this.db.prepare('INSERT OR REPLACE INTO logs (job_id, attempt, text) VALUES (?, ?, ?)');
    this.getLogs = this.db.prepare('SELECT text FROM logs WHERE job_id = ? AND attempt = ?');
    this.getJob = this.db.prepare('SELECT detail, meta FROM jobs WHERE job_id = ?');
    this.many = this.db.transaction((records: readonly JobRecord[]) => {
      for (const r of records) this.save(r);
    });
  }

  loadAll(): JobRecord[] {
    const rows = this.db.prepare('SELECT detail, meta FROM jobs').all() as { detail: string; meta: string }[];
    return rows.map((r) => ({ detail: JSON.parse(r.detail), meta: JSON.parse(r.meta) }) as JobRecord);
  }

  load(jobId: string): JobRecord | undefined {
    if (!this.db.open) return undefined;
    const row = this.getJob.get(jobId);
    return row ? ({ detail: JSON.parse(row.detail), meta: JSON.parse(row.meta) } as JobRecord) : undefined;
  }

  save(record: JobRecord): void {
    // After close() (a container that outlived the executor) the next open re-attaches instead.
    if (!this.db.open) return;
    this.write(() =>
      this.upsert.run(
        record.detail.jobId,
        record.detail.status,
        JSON.stringify(record.detail),
        JSON.stringify(record.meta),
      ),
    );
  }

  saveMany(records: readonly JobRecord[]): void {
    if (!this.db.open) return;
    this.write(() => this.many(records));
  }

  saveLogs(jobId: string, attempt: number, text: string): void {
    if (!this.db.open) return;
    this.write(() => this.putLogs.run(jobId, attempt, text));
  }

  appendLogLines(target: LogTarget, first: number, lines: readonly LogEntry[]): void {
    if (!this.db.open || lines.length === 0) return;
    this.write(() => this.rows.append(target, first, lines));
  }

  /** Runs a write; a failure (disk full, read-only file) throws {@link storeWriteError}. Nothing of it is stored. */
  private write(run: () => unknown): void {
    try {
      run();
    } catch (e) {
      throw storeWriteError(this.directory, e);
    }
  }

  logLineCount(jobId: string, attempt: number): number {
    return this.db.open ? this.rows.count(jobId, attempt) : 0;
  }

  loadLogStream(logStreamName: string): LogEntry[] {
    return [...this.rows.entriesOfStream(logStreamName)];
  }

  logEntries(jobId: string, attempt: number): Iterable<LogEntry> {
    if (this.rows.count(jobId, attempt) > 0) return this.rows.entries(jobId, attempt);
    const text = this.getLogs.get(jobId, attempt)?.text;
    return text === undefined ? [] : parseLogText(text);
  }

  loadLogs(jobId: string, attempt: number): string | undefined {
    if (this.rows.count(jobId, attempt) === 0) return this.getLogs.get(jobId, attempt)?.text;
    const parts: string[] = [];
    for (const e of this.rows.entries(jobId, attempt)) parts.push(formatLogs([e]));
    return parts.join('');
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** A failed store write (disk full, read-only file) as BATCHKIT-LOCAL-402, kind `environment`, with SQLite's code. */
export function storeWriteError(directory: string, e: unknown): BatchkitError {
  const code = (e as { code?: unknown }).code;
  return new BatchkitError(
    STORE_WRITE_FAILED,
    'environment',
    `Cannot write the job store in ${directory}: ${(e as Error).message}` +
      `${typeof code === 'string' ? ` (${code})` : ''}.`,
    {
      fix:
        code === 'SQLITE_FULL'
          ? 'free disk space on that file system, or pass another --store.'
          : 'check that the store directory is writable, or pass another --store.',
      cause: e,
    },
  );
}
