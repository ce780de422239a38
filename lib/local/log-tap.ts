/**
 * The output of one attempt's container, line by line as it is written: the container's log
 * stream is followed while it runs (one engine request that replaces the read at exit), each line
 * is handed on once, and the lines a previous `batchkit` already recorded (a re-attached attempt)
 * are skipped by position — the engine replays a container's log from its first line.
 */
import type { LogEntry, LogFollow, RunningContainer } from './runtime/container-runtime';
import { parseLogText } from './runtime/log-demux';

/** How long the stream may stay open after the container stopped before its log is read instead. */
export const LOG_DRAIN_MS = 2000;

/** Follows one container's output for an attempt. */
export class LogTap {
  private seen = 0;
  private readonly follow?: LogFollow;
  private broken = false;

  /**
   * @param running the container
   * @param skip lines already recorded for this attempt (dropped when the stream replays them)
   * @param onLines receives the new lines; without it the output is only read at the end
   */
  constructor(
    private readonly running: RunningContainer,
    private readonly skip: number,
    private readonly onLines?: (lines: readonly LogEntry[]) => void,
  ) {
    if (onLines && running.followLogs) {
      this.follow = running.followLogs((lines) => this.take(lines));
      this.follow.done.catch(() => {
        this.broken = true;
      });
    }
  }

  /**
   * After the container stopped: waits for the end of the stream (at most {@link LOG_DRAIN_MS}),
   * else — or when the runtime cannot stream, or the stream broke — reads the container's log once
   * and hands on the lines not seen yet. Returns the log text only when no `onLines` was given.
   */
  async finish(): Promise<string> {
    if (!this.onLines) return this.running.logs().catch(() => '');
    if (this.follow && !this.broken) {
      let timer: NodeJS.Timeout | undefined;
      const drained = await Promise.race([
        this.follow.done.then(
          () => true,
          () => false,
        ),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), LOG_DRAIN_MS);
          timer.unref?.();
        }),
      ]);
      clearTimeout(timer);
      if (drained) return '';
      this.follow.stop();
    }
    const all = parseLogText(await this.running.logs().catch(() => ''));
    this.take(all.slice(this.seen));
    return '';
  }

  /** Stops following (the engine went away). */
  stop(): void {
    this.follow?.stop();
  }

  private take(lines: readonly LogEntry[]): void {
    const from = Math.max(0, this.skip - this.seen);
    this.seen += lines.length;
    if (from < lines.length) this.onLines?.(from === 0 ? lines : lines.slice(from));
  }
}
