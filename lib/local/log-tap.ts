/**
 * The output of one attempt's container, line by line as it is written: the container's log
 * stream is followed while it runs, each line is handed on once, and the lines a previous
 * `batchkit` already recorded (a re-attached attempt) are skipped by position — the engine
 * replays a container's log from its first line. When the container stopped, one read of the lines
 * stamped at or after the last line seen completes the record: Docker 20.10 may close a followed
 * stream before the container's last line reached it (a last line without a newline is flushed
 * after the stream ended).
 */
import type { LogEntry, LogFollow, RunningContainer } from './runtime/container-runtime';
import { parseLogText, timestampNanos } from './runtime/log-demux';

/** How long the stream may stay open after the container stopped before it is given up. */
export const LOG_DRAIN_MS = 2000;

/** Follows one container's output for an attempt. */
export class LogTap {
  private seen = 0;
  /** The last lines seen that share the last timestamp. */
  private tail: LogEntry[] = [];
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
   * then reads the container's log from the last line seen (all of it when none was seen, or the
   * runtime cannot stream) and hands on the lines not seen yet. Returns the log text only when no
   * `onLines` was given.
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
      if (!drained) this.follow.stop();
    }
    const since = this.tail[0]?.timestamp || undefined;
    const lines = parseLogText(await this.running.logs(since).catch(() => ''));
    if (since === undefined) {
      this.take(lines.slice(this.seen));
      return '';
    }
    // The read starts at the last timestamp seen: drop what is older and the lines seen with it.
    const from = timestampNanos(since);
    const tail = [...this.tail];
    const fresh = lines.filter((l) => {
      const at = timestampNanos(l.timestamp);
      if (at < from) return false;
      if (at === from) {
        const i = tail.findIndex((t) => t.stream === l.stream && t.message === l.message);
        if (i >= 0) {
          tail.splice(i, 1);
          return false;
        }
      }
      return true;
    });
    this.take(fresh);
    return '';
  }

  /** Stops following (the engine went away). */
  stop(): void {
    this.follow?.stop();
  }

  private take(lines: readonly LogEntry[]): void {
    const from = Math.max(0, this.skip - this.seen);
    this.seen += lines.length;
    for (const l of lines) {
      if (this.tail.length > 0 && this.tail[0].timestamp === l.timestamp) this.tail.push(l);
      else this.tail = [l];
    }
    if (from < lines.length) this.onLines?.(from === 0 ? lines : lines.slice(from));
  }
}
