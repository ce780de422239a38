/**
 * The compact log tables: a stored event costs little more than its message, timestamps read back
 * exactly as the engine wrote them, replayed lines are not stored twice, and a store written by
 * an earlier version (one wide `log_lines` row per line) is migrated.
 */
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { LogEntry } from '../../../lib/local/runtime/log-events';
import { TimestampCodec } from '../../../lib/local/store/log-rows';
import { DATABASE_FILE, SqliteJobStore } from '../../../lib/local/store/sqlite-store';

const target = {
  jobId: 'd3b07384-d9a0-4c9b-8f4e-0123456789ab',
  attempt: 1,
  logStreamName: 'chatty/default/0123456789abcdef0123456789abcdef',
};

function dirBytes(dir: string): number {
  return readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
}

test('40,000 lines of 41 bytes take less than twice their size in the store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'batchkit-logrows-'));
  const store = new SqliteJobStore(dir);
  store.close();
  const before = dirBytes(dir);
  const again = new SqliteJobStore(dir);
  const lines: LogEntry[] = [];
  for (let i = 0; i < 40_000; i++) {
    const ns = String(i * 9973).padStart(9, '0');
    lines.push({
      stream: i % 10 === 0 ? 'stderr' : 'stdout',
      timestamp: `2026-12-06T10:00:${String(Math.floor(i / 2000) % 60).padStart(2, '0')}.${ns}Z`,
      message: `line ${String(i).padStart(35, '0')}`,
    });
  }
  for (let i = 0; i < lines.length; i += 500) again.appendLogLines(target, i, lines.slice(i, i + 500));
  expect(again.logLineCount(target.jobId, 1)).toBe(40_000);
  again.close();
  const growth = dirBytes(dir) - before;
  expect(growth).toBeLessThan(2 * 41 * 40_000);
  const reread = new SqliteJobStore(dir);
  expect([...reread.logEntries(target.jobId, 1)]).toEqual(lines);
  reread.close();
});

test(
  'timestamps read back exactly: fixed or trimmed fractions, none, other ' +
    'offsets, out of order, and lines without one',
  () => {
    const store = new SqliteJobStore(mkdtempSync(join(tmpdir(), 'batchkit-logrows-')));
    const lines: LogEntry[] = [
      { stream: 'stdout', timestamp: '2026-12-06T10:00:00.100000000Z', message: 'fixed nine digits' },
      { stream: 'stderr', timestamp: '2026-12-06T10:00:00.1Z', message: 'trimmed' },
      { stream: 'stdout', timestamp: '2026-12-06T10:00:01Z', message: 'no fraction' },
      { stream: 'stdout', timestamp: '2026-12-06T11:00:01.5+01:00', message: 'an offset: kept as text' },
      {
        stream: 'stderr',
        timestamp: '2026-12-06T09:00:00.000000001Z',
        message: 'an hour earlier than the first: kept as text',
      },
      { stream: 'stdout', timestamp: '', message: 'no timestamp' },
      { stream: 'stdout', timestamp: '2026-12-16T10:00:00.999999999Z', message: 'ten days later' },
    ];
    store.appendLogLines(target, 0, lines);
    expect([...store.logEntries(target.jobId, 1)]).toEqual(lines);
    expect(store.loadLogStream(target.logStreamName)).toEqual(lines);
    expect(store.loadLogs(target.jobId, 1)).toBe(
      lines.map((l) => `${l.timestamp ? `${l.timestamp} ` : ''}${l.stream} ${l.message}\n`).join(''),
    );
    store.close();
  },
);

test('the codec keeps nanoseconds and the number of fraction digits', () => {
  const codec = new TimestampCodec();
  const base = codec.baseOf([{ stream: 'stdout', timestamp: '2026-12-06T10:00:00.5Z', message: '' }]);
  for (const ts of [
    '2026-12-06T10:00:00.5Z',
    '2026-12-06T10:00:00.500Z',
    '2026-12-06T10:00:00.000000007Z',
    '2026-12-06T09:59:30Z',
  ]) {
    const stored = codec.encode(ts, base);
    expect(typeof stored).toBe('number');
    expect(codec.decode(stored, base)).toBe(ts);
  }
  expect(codec.encode('not a time', base)).toBe('not a time');
  expect(codec.encode('', base)).toBeNull();
});

test('replayed lines are kept once; each attempt counts its own lines', () => {
  const store = new SqliteJobStore(mkdtempSync(join(tmpdir(), 'batchkit-logrows-')));
  const l = (message: string): LogEntry => ({ stream: 'stdout', timestamp: '2026-12-06T10:00:00Z', message });
  store.appendLogLines(target, 0, [l('a'), l('b')]);
  store.appendLogLines(target, 1, [l('B replayed'), l('c')]);
  store.appendLogLines({ ...target, attempt: 2 }, 0, [l('second attempt')]);
  expect([...store.logEntries(target.jobId, 1)].map((e) => e.message)).toEqual(['a', 'b', 'c']);
  expect(store.logLineCount(target.jobId, 1)).toBe(3);
  expect(store.logLineCount(target.jobId, 2)).toBe(1);
  expect(store.logLineCount(target.jobId, 3)).toBe(0);
  store.close();
});

test('a store with the former log_lines table is migrated on open', () => {
  const dir = mkdtempSync(join(tmpdir(), 'batchkit-logrows-'));
  const db = new Database(join(dir, DATABASE_FILE));
  db.exec(`CREATE TABLE log_lines (job_id TEXT NOT NULL, attempt INTEGER NOT NULL, line INTEGER NOT NULL,
    log_stream TEXT NOT NULL,
    stream TEXT NOT NULL, timestamp TEXT NOT NULL, message TEXT NOT NULL, PRIMARY KEY (job_id, attempt, line));`);
  const put = db.prepare('INSERT INTO log_lines VALUES (?, ?, ?, ?, ?, ?, ?)');
  put.run('j1', 1, 0, 's/default/1', 'stdout', '2024-01-02T03:04:05.1Z', 'one');
  put.run('j1', 1, 1, 's/default/1', 'stderr', '', 'two');
  put.run('j1', 2, 0, 's/default/2', 'stdout', '2024-01-02T03:04:06Z', 'retry');
  db.close();
  const store = new SqliteJobStore(dir);
  expect([...store.logEntries('j1', 1)]).toEqual([
    { stream: 'stdout', timestamp: '2024-01-02T03:04:05.1Z', message: 'one' },
    { stream: 'stderr', timestamp: '', message: 'two' },
  ]);
  expect(store.loadLogStream('s/default/2')).toEqual([
    { stream: 'stdout', timestamp: '2024-01-02T03:04:06Z', message: 'retry' },
  ]);
  expect(store.logLineCount('j1', 1)).toBe(2);
  store.appendLogLines({ jobId: 'j1', attempt: 1, logStreamName: 's/default/1' }, 2, [
    { stream: 'stdout', timestamp: '2024-01-02T03:04:07Z', message: 'three' },
  ]);
  expect([...store.logEntries('j1', 1)].map((e) => e.message)).toEqual(['one', 'two', 'three']);
  store.close();
  const check = new Database(join(dir, DATABASE_FILE));
  expect(check.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'log_lines'").get()).toEqual({ n: 0 });
  check.close();
});
