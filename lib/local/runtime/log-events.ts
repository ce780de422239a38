/**
 * Lines of a container's output as log events, the way the `awslogs` driver makes them: one
 * event per line, and a line longer than an event may be split into several events of at most
 * {@link MAX_EVENT_BYTES} UTF-8 bytes, never inside a character. A line is assembled from bytes,
 * so memory stays bounded by one event per stream however long the line is.
 * @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html
 */

/**
 * Largest message of one event in bytes: CloudWatch Logs takes events of at most 256 KiB counting
 * 26 bytes of overhead per event (the `awslogs` driver's `maximumBytesPerEvent`).
 */
export const MAX_EVENT_BYTES = 256 * 1024 - 26;

/** One log line (or piece of a long line) of a container. */
export interface LogEntry {
  /** Which stream. */
  readonly stream: 'stdout' | 'stderr';
  /** The engine's timestamp (RFC 3339, nanoseconds), empty when the engine sent none. */
  readonly timestamp: string;
  /** The line, without its newline. */
  readonly message: string;
}

/** The engine's `timestamps=true` prefix: an RFC 3339 time and one space. */
export const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})) /;
/** Longest prefix {@link TIMESTAMP} can match, in bytes. */
const TIMESTAMP_MAX = 40;

/**
 * Where to cut `bytes` so the first part has at most `max` bytes and does not end inside a UTF-8
 * sequence (the cut is before a byte that starts a character). Invalid input is cut at `max`.
 */
export function utf8Cut(bytes: ArrayLike<number>, max: number): number {
  if (bytes.length <= max) return bytes.length;
  for (let cut = max; cut > 0 && cut >= max - 3; cut--) {
    if ((bytes[cut] & 0xc0) !== 0x80) return cut;
  }
  return max;
}

/** Splits a message into events of at most `max` UTF-8 bytes each, never inside a character. */
export function splitMessage(message: string, max = MAX_EVENT_BYTES): string[] {
  if (message.length * 3 <= max) return [message];
  const out: string[] = [];
  let rest = Buffer.from(message, 'utf8');
  while (rest.length > max) {
    const cut = utf8Cut(rest, max);
    out.push(rest.subarray(0, cut).toString('utf8'));
    rest = rest.subarray(cut);
  }
  out.push(rest.toString('utf8'));
  return out;
}

/**
 * The current line of one stream, assembled from the payloads the engine sends. With
 * `timestamps=true` the engine stamps each piece it stored: a line longer than the engine's own
 * limit (16 KiB for json-file) arrives as several frames, each with its timestamp, and the
 * timestamps of the continuations are dropped so the line reads as the container wrote it.
 */
export class LineAssembler {
  private parts: Buffer[] = [];
  private size = 0;
  private stamp = '';
  private started = false;

  constructor(
    private readonly stream: 'stdout' | 'stderr',
    private readonly maxBytes = MAX_EVENT_BYTES,
  ) {}

  /**
   * Takes one payload; returns the events it completes. `frame`: the payload is one whole frame
   * of the engine (a continuation's leading timestamp is then the engine's, not the line's).
   */
  push(payload: Buffer, frame: boolean, into: LogEntry[]): void {
    let p = payload;
    let atFrameStart = frame;
    while (p.length > 0) {
      if (!this.started) {
        const m = TIMESTAMP.exec(p.subarray(0, TIMESTAMP_MAX).toString('latin1'));
        this.stamp = m ? m[1] : '';
        if (m) p = p.subarray(m[0].length);
        this.started = true;
      } else if (atFrameStart) {
        const m = TIMESTAMP.exec(p.subarray(0, TIMESTAMP_MAX).toString('latin1'));
        if (m) p = p.subarray(m[0].length);
      }
      atFrameStart = false;
      const nl = p.indexOf(0x0a);
      if (nl < 0) {
        this.append(p, into);
        return;
      }
      this.append(p.subarray(0, nl), into);
      this.endLine(into);
      p = p.subarray(nl + 1);
    }
  }

  /** The stream ended: a line without a newline. */
  end(into: LogEntry[]): void {
    if (this.started) this.endLine(into);
  }

  private append(bytes: Buffer, into: LogEntry[]): void {
    if (bytes.length === 0) return;
    this.parts.push(bytes);
    this.size += bytes.length;
    // Keep at least one byte back: a carriage return before the newline is not part of the line.
    while (this.size > this.maxBytes) {
      const all = this.take();
      const cut = utf8Cut(all, this.maxBytes);
      into.push({ stream: this.stream, timestamp: this.stamp, message: all.subarray(0, cut).toString('utf8') });
      const rest = all.subarray(cut);
      this.parts = [rest];
      this.size = rest.length;
    }
  }

  private endLine(into: LogEntry[]): void {
    let all = this.take();
    if (all.length > 0 && all[all.length - 1] === 0x0d) all = all.subarray(0, all.length - 1);
    into.push({ stream: this.stream, timestamp: this.stamp, message: all.toString('utf8') });
    this.parts = [];
    this.size = 0;
    this.started = false;
    this.stamp = '';
  }

  private take(): Buffer {
    if (this.parts.length === 1) return this.parts[0];
    const all = Buffer.allocUnsafe(this.size);
    let at = 0;
    for (const p of this.parts) {
      all.set(p, at);
      at += p.length;
    }
    this.parts = [all];
    return all;
  }
}
