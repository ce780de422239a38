/**
 * Docker's multiplexed log stream (non-TTY containers): frames of
 * `[stream type (1 stdout, 2 stderr), 0, 0, 0, uint32 BE length]` followed by the payload.
 * With `timestamps=true` the engine prefixes every line with an RFC 3339 nano timestamp.
 * @see https://docs.docker.com/reference/api/engine/version/v1.41/#tag/Container/operation/ContainerAttach
 */

import { LineAssembler, TIMESTAMP, type LogEntry } from './log-events';

export type { LogEntry } from './log-events';

const HEADER = 8;

/**
 * Splits a complete multiplexed log buffer into lines, in the engine's order.
 * A buffer that does not start with a valid frame header (a TTY container's raw stream) is read as
 * stdout text.
 */
export function demuxLogs(buffer: Buffer): LogEntry[] {
  const demuxer = new LogDemuxer();
  return [...demuxer.push(buffer), ...demuxer.end()];
}

/**
 * The streaming form of {@link demuxLogs}: feed it the chunks of a followed log stream as they
 * arrive; it returns the complete lines each chunk finishes (frames and lines may be split across
 * chunks) and, at {@link LogDemuxer.end}, the last line without a newline. Feeding a whole buffer
 * then calling `end()` gives exactly what {@link demuxLogs} gives. A line longer than one log
 * event comes out as several events of at most `MAX_EVENT_BYTES` (log-events.ts) as soon as each
 * is complete, so what it holds is bounded by one frame and one event per stream.
 */
export class LogDemuxer {
  private framed?: boolean;
  private rest: Buffer = Buffer.alloc(0) as Buffer;
  private readonly lines = { stdout: new LineAssembler('stdout'), stderr: new LineAssembler('stderr') };

  /** Lines completed by `chunk`. */
  push(chunk: Buffer): LogEntry[] {
    const buffer = this.rest.length === 0 ? chunk : joined(this.rest, chunk);
    this.rest = Buffer.alloc(0);
    if (buffer.length === 0) return [];
    if (this.framed === undefined) {
      if (buffer.length < HEADER && isHeaderPrefix(buffer)) {
        this.rest = buffer;
        return [];
      }
      this.framed = isFrameHeader(buffer, 0);
    }
    const entries: LogEntry[] = [];
    if (!this.framed) {
      this.lines.stdout.push(buffer, false, entries);
      return entries;
    }
    let offset = 0;
    while (offset + HEADER <= buffer.length) {
      if (!isFrameHeader(buffer, offset)) {
        // Not a frame any more: the rest is raw text, as demuxLogs reads it.
        this.framed = false;
        this.lines.stdout.push(buffer.subarray(offset), false, entries);
        return entries;
      }
      const length = buffer.readUInt32BE(offset + 4);
      const start = offset + HEADER;
      if (start + length > buffer.length) break;
      this.lines[buffer[offset] === 2 ? 'stderr' : 'stdout'].push(
        buffer.subarray(start, start + length),
        true,
        entries,
      );
      offset = start + length;
    }
    // Copied: the rest must not keep the whole chunk alive.
    this.rest = joined(buffer.subarray(offset), Buffer.alloc(0));
    return entries;
  }

  /** The stream ended: a truncated last frame and the lines without a newline. */
  end(): LogEntry[] {
    const entries: LogEntry[] = [];
    if (this.rest.length > 0) {
      const r = this.rest;
      this.rest = Buffer.alloc(0);
      if (this.framed === undefined) this.lines.stdout.push(r, false, entries);
      // A truncated last frame keeps its payload; a truncated header carries nothing.
      else if (isFrameHeader(r, 0))
        this.lines[r[0] === 2 ? 'stderr' : 'stdout'].push(r.subarray(HEADER), true, entries);
    }
    this.lines.stdout.end(entries);
    this.lines.stderr.end(entries);
    return entries;
  }
}

/** A new buffer holding `a` then `b`. */
function joined(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.allocUnsafe(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function isFrameHeader(buffer: Buffer, offset: number): boolean {
  if (offset + HEADER > buffer.length) return false;
  const type = buffer[offset];
  return (
    (type === 0 || type === 1 || type === 2) &&
    buffer[offset + 1] === 0 &&
    buffer[offset + 2] === 0 &&
    buffer[offset + 3] === 0
  );
}

/** Whether a buffer shorter than a header could still be the start of one. */
function isHeaderPrefix(buffer: Buffer): boolean {
  for (let i = 0; i < buffer.length && i < 4; i++) if (i === 0 ? buffer[0] > 2 : buffer[i] !== 0) return false;
  return true;
}

/** Renders entries as text: `<timestamp> <stream> <message>` per line. */
export function formatLogs(entries: readonly LogEntry[]): string {
  return entries.map((e) => `${e.timestamp ? `${e.timestamp} ` : ''}${e.stream} ${e.message}\n`).join('');
}

/** Reads text written by {@link formatLogs} back into entries. */
export function parseLogText(text: string): LogEntry[] {
  const entries: LogEntry[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const stamped = /^(\S+) (stdout|stderr) (.*)$/.exec(line);
    const bare = /^(stdout|stderr) (.*)$/.exec(line);
    if (stamped && TIMESTAMP.test(`${stamped[1]} `))
      entries.push({ stream: stamped[2] as 'stdout' | 'stderr', timestamp: stamped[1], message: stamped[3] });
    else if (bare) entries.push({ stream: bare[1] as 'stdout' | 'stderr', timestamp: '', message: bare[2] });
    else entries.push({ stream: 'stdout', timestamp: '', message: line });
  }
  return entries;
}
