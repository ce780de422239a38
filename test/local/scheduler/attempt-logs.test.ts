/** The lines of an attempt on their way to the store: written in bounded batches however many arrive at once. */
import type { LogEntry } from '../../../lib/local/runtime/log-events';
import { FLUSH_CHARS, FLUSH_LINES, LogBook } from '../../../lib/local/scheduler/attempt-logs';
import { MemoryJobStore, type LogTarget } from '../../../lib/local/store/job-store';

/** A memory store that records the size of each batch written. */
class CountingStore extends MemoryJobStore {
  readonly batches: number[] = [];
  override appendLogLines(target: LogTarget, first: number, lines: readonly LogEntry[]): void {
    this.batches.push(lines.length);
    super.appendLogLines(target, first, lines);
  }
}

const target = { jobId: 'j', attempt: 1, logStreamName: 'd/default/t' };
const line = (message: string): LogEntry => ({ stream: 'stdout', timestamp: '', message });

test(
  `${2.5 * FLUSH_LINES} lines handed over at once are written ` +
    `${FLUSH_LINES} at a time, in order, each emitted once`,
  () => {
    const store = new CountingStore();
    const emitted: string[] = [];
    const log = new LogBook(store, (l) => emitted.push(l.message)).begin(target);
    const lines = Array.from({ length: 2.5 * FLUSH_LINES }, (_, i) => line(`l${i}`));
    log.push(lines);
    expect(store.batches).toEqual([FLUSH_LINES, FLUSH_LINES]);
    log.close('');
    expect(store.batches).toEqual([FLUSH_LINES, FLUSH_LINES, FLUSH_LINES / 2]);
    expect([...store.logEntries('j', 1)].map((e) => e.message)).toEqual(lines.map((l) => l.message));
    expect(emitted).toEqual(lines.map((l) => l.message));
  },
);

test(`long lines are written once ${FLUSH_CHARS} characters wait`, () => {
  const store = new CountingStore();
  const log = new LogBook(store, () => undefined).begin(target);
  const big = 'x'.repeat(FLUSH_CHARS / 2);
  log.push([line(big), line(big), line(big)]);
  expect(store.batches).toEqual([2]);
  log.close('');
  expect(store.batches).toEqual([2, 1]);
  expect(store.logLineCount('j', 1)).toBe(3);
});
