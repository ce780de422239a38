/**
 * The log events of attempts in the job store, laid out so a stored event costs little more than
 * its message: one `log_streams` row per attempt (job id, attempt, log stream name, once), and one
 * `log_events` row per event whose rowid is `stream id × 2^32 + line number` (no other key, no
 * index), with the stream as 0/1 and the engine's timestamp as nanoseconds after the attempt's
 * first second (a timestamp that does not read back identically is kept as text). Appends run in
 * one transaction per batch; a line number already stored is kept, so replayed lines are not
 * stored twice.
 */
import type Database from 'better-sqlite3';
import type { LogEntry } from '../runtime/log-events';
import type { LogTarget } from './job-store';

const LINE_BITS = 32n;
/** Nanosecond offsets × 10 (+ fraction digits) must stay exact as JavaScript numbers. */
const MAX_OFFSET = Number.MAX_SAFE_INTEGER;
const UTC = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/;

interface Stream {
  readonly id: number;
  readonly base: number | null;
}

interface EventRow {
  readonly err: number;
  readonly ts: number | string | null;
  readonly message: string;
}

function lowKey(id: number): bigint {
  return BigInt(id) << LINE_BITS;
}

/** Seconds of a `YYYY-MM-DDTHH:MM:SS` UTC text, with a one-entry cache (lines come in order). */
class Seconds {
  private text = '';
  private value = NaN;
  of(text: string): number {
    if (text !== this.text) {
      this.text = text;
      this.value = Date.parse(`${text}Z`) / 1000;
    }
    return this.value;
  }
}

/** Text of epoch seconds, with a one-entry cache. */
class SecondsText {
  private value = NaN;
  private text = '';
  of(value: number): string {
    if (value !== this.value) {
      this.value = value;
      this.text = new Date(value * 1000).toISOString().slice(0, 19);
    }
    return this.text;
  }
}

/** Encodes timestamps of one stream as integers relative to its base second. */
export class TimestampCodec {
  private readonly seconds = new Seconds();
  private readonly texts = new SecondsText();

  /** Base second of a stream: the first timestamp's, or null when none encodes. */
  baseOf(lines: readonly LogEntry[]): number | null {
    for (const l of lines) {
      const m = UTC.exec(l.timestamp);
      if (m) {
        const s = this.seconds.of(m[1]);
        // A minute of slack: stdout and stderr are stamped on separate pipes, not in order.
        if (Number.isFinite(s)) return s - 60;
      }
    }
    return null;
  }

  /** The stored form: an integer (offset ns × 10 + fraction digits), the text, or null when empty. */
  encode(timestamp: string, base: number | null): number | string | null {
    if (timestamp === '') return null;
    const m = base === null ? null : UTC.exec(timestamp);
    if (!m || base === null) return timestamp;
    const s = this.seconds.of(m[1]);
    const frac = m[2] ?? '';
    const offset = s - base;
    if (!Number.isFinite(s) || offset < 0) return timestamp;
    const value = (offset * 1e9 + Number(frac.padEnd(9, '0'))) * 10 + frac.length;
    if (value > MAX_OFFSET || this.decode(value, base) !== timestamp) return timestamp;
    return value;
  }

  /** Back to the engine's text. */
  decode(value: number | string | null, base: number | null): string {
    if (value === null) return '';
    if (typeof value === 'string' || base === null) return String(value);
    const digits = value % 10;
    const ns = Math.floor(value / 10);
    const sec = base + Math.floor(ns / 1e9);
    const frac =
      digits === 0
        ? ''
        : `.${String(ns % 1e9)
            .padStart(9, '0')
            .slice(0, digits)}`;
    return `${this.texts.of(sec)}${frac}Z`;
  }
}

/** The log tables of one database. */
export class LogRows {
  private readonly streams = new Map<string, Stream>();
  private readonly codec = new TimestampCodec();
  private readonly findStream: Database.Statement<[string, number], Stream>;
  private readonly streamsNamed: Database.Statement<[string], Stream>;
  private readonly addStream: Database.Statement<[string, number, string, number | null]>;
  private readonly put: Database.Statement<[bigint, number, number | string | null, string]>;
  private readonly last: Database.Statement<[bigint, bigint], { m: bigint | null }>;
  private readonly range: Database.Statement<[bigint, bigint], EventRow>;
  private readonly appendTx: (target: LogTarget, first: number, lines: readonly LogEntry[]) => void;

  constructor(private readonly db: Database.Database) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS log_streams (
        id INTEGER PRIMARY KEY,
        job_id TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        log_stream TEXT NOT NULL,
        base_s INTEGER,
        UNIQUE (job_id, attempt)
      );
      CREATE INDEX IF NOT EXISTS log_streams_by_name ON log_streams (log_stream);
      CREATE TABLE IF NOT EXISTS log_events (
        key INTEGER PRIMARY KEY,
        err INTEGER NOT NULL,
        ts,
        message TEXT NOT NULL
      );
    `);
    this.migrate();
    this.findStream = db.prepare('SELECT id, base_s AS base FROM log_streams WHERE job_id = ? AND attempt = ?');
    this.streamsNamed = db.prepare('SELECT id, base_s AS base FROM log_streams WHERE log_stream = ? ORDER BY id');
    this.addStream = db.prepare('INSERT INTO log_streams (job_id, attempt, log_stream, base_s) VALUES (?, ?, ?, ?)');
    this.put = db.prepare('INSERT OR IGNORE INTO log_events (key, err, ts, message) VALUES (?, ?, ?, ?)');
    this.last = db
      .prepare<[bigint, bigint], { m: bigint | null }>('SELECT max(key) AS m FROM log_events WHERE key BETWEEN ? AND ?')
      .safeIntegers(true);
    this.range = db.prepare('SELECT err, ts, message FROM log_events WHERE key BETWEEN ? AND ? ORDER BY key');
    this.appendTx = db.transaction((target: LogTarget, first: number, lines: readonly LogEntry[]) => {
      const stream = this.stream(target.jobId, target.attempt) ?? this.createStream(target, lines);
      const low = lowKey(stream.id);
      lines.forEach((l, i) =>
        this.put.run(
          low + BigInt(first + i),
          l.stream === 'stderr' ? 1 : 0,
          this.codec.encode(l.timestamp, stream.base),
          l.message,
        ),
      );
    });
  }

  /** Appends lines of an attempt from line number `first`, in one transaction. */
  append(target: LogTarget, first: number, lines: readonly LogEntry[]): void {
    this.appendTx(target, first, lines);
  }

  /** Lines stored for an attempt (they are numbered from 0 without gaps). */
  count(jobId: string, attempt: number): number {
    const stream = this.stream(jobId, attempt);
    if (!stream) return 0;
    const low = lowKey(stream.id);
    const m = this.last.get(low, low + (1n << LINE_BITS) - 1n)?.m;
    return m === null || m === undefined ? 0 : Number(m - low) + 1;
  }

  /** The events of an attempt in order, read as they are iterated (not all held at once). */
  *entries(jobId: string, attempt: number): Generator<LogEntry> {
    const stream = this.stream(jobId, attempt);
    if (stream) yield* this.read(stream);
  }

  /** The events of a log stream in order. */
  *entriesOfStream(logStreamName: string): Generator<LogEntry> {
    for (const stream of this.streamsNamed.all(logStreamName)) yield* this.read(stream);
  }

  private *read(stream: Stream): Generator<LogEntry> {
    const low = lowKey(stream.id);
    for (const r of this.range.iterate(low, low + (1n << LINE_BITS) - 1n)) {
      yield {
        stream: r.err ? 'stderr' : 'stdout',
        timestamp: this.codec.decode(r.ts, stream.base),
        message: r.message,
      };
    }
  }

  private stream(jobId: string, attempt: number): Stream | undefined {
    const key = `${jobId}@${attempt}`;
    let s = this.streams.get(key);
    if (!s) {
      s = this.findStream.get(jobId, attempt);
      if (s) this.streams.set(key, s);
    }
    return s;
  }

  private createStream(target: LogTarget, lines: readonly LogEntry[]): Stream {
    const base = this.codec.baseOf(lines);
    const id = Number(this.addStream.run(target.jobId, target.attempt, target.logStreamName, base).lastInsertRowid);
    const s = { id, base };
    this.streams.set(`${target.jobId}@${target.attempt}`, s);
    return s;
  }

  /** Moves lines stored by earlier versions (one wide row per line in `log_lines`) into these tables. */
  private migrate(): void {
    const old = this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'log_lines'").get();
    if (!old) return;
    this.db.transaction(() => {
      this.db.exec(`
        INSERT OR IGNORE INTO log_streams (job_id, attempt, log_stream, base_s)
          SELECT job_id, attempt, min(log_stream), NULL FROM log_lines GROUP BY job_id, attempt;
        INSERT OR IGNORE INTO log_events (key, err, ts, message)
          SELECT (s.id << 32) + l.line, l.stream = 'stderr', NULLIF(l.timestamp, ''), l.message
          FROM log_lines l JOIN log_streams s ON s.job_id = l.job_id AND s.attempt = l.attempt;
        DROP TABLE log_lines;
      `);
    })();
  }
}
