/**
 * The output of one attempt's container, line by line as it is written: the container's log
 * stream is followed while it runs, each line is handed on once, and the lines a previous
 * `batchkit` already recorded (a re-attached attempt) are skipped by position — the engine
 * replays a container's log from its first line. When the container stopped, one read of the end of
 * its log completes the record: Docker 20.10 may close a followed stream before the container's
 * last line reached it (a last line without a newline is flushed after the stream ended). The read
 * is matched by position — the lines after the last line seen — not by timestamp: the engine stamps
 * stdout and stderr lines on separate pipes, so its log is not in timestamp order.
 */
import type { LogEntry, LogFollow, RunningContainer } from './runtime/container-runtime';
import { parseLogText } from './runtime/log-demux';

/** How long the stream may stay open after the container stopped, with no line arriving, before it is given up. */
export const LOG_DRAIN_MS = 2000;
/**
 * Lines read back from the end of the log at first (eight times more each time the last line seen is not among
 * them).
 */
export const LOG_TAIL_LINES = 64;
/** Lines seen last that must match, in order, where the read-back continues. */
const ANCHOR = 3;

/** Follows one container's output for an attempt. */
export class LogTap {
  private seen = 0;
  /** The last lines seen (at most {@link ANCHOR}). */
  private last: LogEntry[] = [];
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
   * After the container stopped: waits for the end of the stream (as long as lines keep arriving,
   * and at most {@link LOG_DRAIN_MS} without one: a container that wrote much faster than the store
   * takes its lines is still read through the one stream, with bounded memory),
   * then reads the end of the container's log (all of it when no line was seen, or the runtime
   * cannot stream) and hands on the lines after the last ones seen. Returns the log text only when
   * no `onLines` was given.
   */
  async finish(): Promise<string> {
    if (!this.onLines) return this.running.logs().catch(() => '');
    if (this.follow && !this.broken && !(await this.drained(this.follow))) this.follow.stop();
    // Without timestamps lines are not told apart by content: read everything and go by position.
    const anchor = this.last.every((l) => l.timestamp !== '') ? this.last : [];
    for (let tail = LOG_TAIL_LINES; ; tail *= 8) {
      const lines = parseLogText(await this.running.logs(anchor.length > 0 ? tail : undefined).catch(() => ''));
      const after = anchor.length > 0 ? continuation(lines, anchor) : undefined;
      if (after !== undefined) {
        this.take(lines.slice(after));
        return '';
      }
      // Every line came back (or the engine answered nothing): hand on what follows the lines seen.
      if (anchor.length === 0 || lines.length < tail) {
        this.take(lines.slice(this.seen));
        return '';
      }
    }
  }

  /** Resolves true when the stream ended, false when it broke or stayed silent for {@link LOG_DRAIN_MS}. */
  private drained(follow: LogFollow): Promise<boolean> {
    return new Promise((resolve) => {
      let seen = this.seen;
      let timer: NodeJS.Timeout | undefined;
      const arm = (): void => {
        timer = setTimeout(() => {
          if (this.seen === seen) return resolve(false);
          seen = this.seen;
          arm();
        }, LOG_DRAIN_MS);
        timer.unref?.();
      };
      arm();
      follow.done.then(
        () => {
          clearTimeout(timer);
          resolve(true);
        },
        () => {
          clearTimeout(timer);
          resolve(false);
        },
      );
    });
  }

  /** Stops following (the engine went away). */
  stop(): void {
    this.follow?.stop();
  }

  private take(lines: readonly LogEntry[]): void {
    const from = Math.max(0, this.skip - this.seen);
    this.seen += lines.length;
    this.last = [...this.last, ...lines.slice(-ANCHOR)].slice(-ANCHOR);
    if (from < lines.length) this.onLines?.(from === 0 ? lines : lines.slice(from));
  }
}

/** Where `lines` go on after `anchor` (the last lines seen, in order), or undefined when they are not among them. */
function continuation(lines: readonly LogEntry[], anchor: readonly LogEntry[]): number | undefined {
  const same = (a: LogEntry, b: LogEntry): boolean =>
    a.stream === b.stream && a.timestamp === b.timestamp && a.message === b.message;
  for (let end = lines.length; end >= anchor.length; end--) {
    if (anchor.every((a, i) => same(lines[end - anchor.length + i], a))) return end;
  }
  return undefined;
}
