import { LOG_DRAIN_MS, LogTap } from '../../../lib/local/log-tap';
import type { LogEntry, RunningContainer } from '../../../lib/local/runtime/container-runtime';
import { formatLogs } from '../../../lib/local/runtime/log-demux';

const line = (message: string, ns: number, stream: 'stdout' | 'stderr' = 'stdout'): LogEntry => ({
  stream,
  message,
  timestamp: `2024-01-02T03:04:05.${String(ns).padStart(9, '0')}Z`,
});

/** A stopped container whose followed stream delivered `streamed` and whose log holds `log`. */
function container(
  log: readonly LogEntry[],
  streamed: readonly LogEntry[],
): RunningContainer & { reads: Array<number | undefined> } {
  const reads: Array<number | undefined> = [];
  return {
    id: 'c',
    reads,
    wait: async () => ({ exitCode: 0, oomKilled: false }),
    kill: async () => undefined,
    remove: async () => undefined,
    logs: async (tail) => {
      reads.push(tail);
      return formatLogs(tail === undefined ? log : log.slice(-tail));
    },
    followLogs: (onLines) => {
      onLines(streamed);
      return { done: Promise.resolve(), stop: () => undefined };
    },
  };
}

describe('LogTap', () => {
  test('a last line the followed stream never delivered is read back from the end of the log', async () => {
    const log = [line('a', 1), line('b', 2), line('no newline', 3)];
    const got: string[] = [];
    const c = container(log, log.slice(0, 2));
    const tap = new LogTap(c, 0, (ls) => got.push(...ls.map((l) => l.message)));
    await tap.finish();
    expect(got).toEqual(['a', 'b', 'no newline']);
    expect(c.reads).toEqual([64]);
  });

  test(
    'the read-back goes by position: a stderr line stamped before lines ' + 'already seen is not taken for new',
    async () => {
      const log = [...Array.from({ length: 100 }, (_, i) => line(`line ${i}`, 10 + i)), line('done', 5, 'stderr')];
      const got: string[] = [];
      const tap = new LogTap(container(log, log), 0, (ls) => got.push(...ls.map((l) => l.message)));
      await tap.finish();
      expect(got).toHaveLength(101);
      expect(got[100]).toBe('done');
    },
  );

  test('the last lines seen are looked for further back when they are not in the first read', async () => {
    const log = Array.from({ length: 300 }, (_, i) => line(`l${i}`, i + 1));
    const got: string[] = [];
    const c = container(log, log.slice(0, 150));
    await new LogTap(c, 0, (ls) => got.push(...ls.map((l) => l.message))).finish();
    expect(got).toEqual(log.map((l) => l.message));
    expect(c.reads).toEqual([64, 512]);
  });

  test('a re-attached attempt skips the lines already recorded, from the replay and from the read-back', async () => {
    const log = [line('a', 1), line('b', 2), line('c', 3), line('d', 4)];
    const got: string[] = [];
    await new LogTap(container(log, log.slice(0, 3)), 2, (ls) => got.push(...ls.map((l) => l.message))).finish();
    expect(got).toEqual(['c', 'd']);
  });

  test('without onLines the text is read once at the end', async () => {
    const c = container([line('x', 1)], []);
    expect(await new LogTap(c, 0).finish()).toBe('2024-01-02T03:04:05.000000001Z stdout x\n');
    expect(c.reads).toEqual([undefined]);
  });

  test(
    `a stream still delivering lines after the container stopped is read to ` + `its end, past ${LOG_DRAIN_MS} ms`,
    async () => {
      // The engine's log holds nothing to read back: every line must come through the one stream.
      const lines = Array.from({ length: 6 }, (_, i) => line(`slow ${i}`, i + 1));
      let stopped = false;
      const c: RunningContainer = {
        id: 'c',
        wait: async () => ({ exitCode: 0, oomKilled: false }),
        kill: async () => undefined,
        remove: async () => undefined,
        logs: async () => '',
        followLogs: (onLines) => {
          const done = (async () => {
            for (const l of lines) {
              await new Promise((resolve) => setTimeout(resolve, LOG_DRAIN_MS / 3));
              if (stopped) return;
              onLines([l]);
            }
          })();
          return { done, stop: () => (stopped = true) };
        },
      };
      const got: string[] = [];
      await new LogTap(c, 0, (ls) => got.push(...ls.map((l) => l.message))).finish();
      expect(got).toEqual(lines.map((l) => l.message));
      expect(stopped).toBe(false);
    },
  );
});
