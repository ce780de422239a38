/**
 * Docker's multiplexed log stream (non-TTY containers): frames of
 * `[stream type (1 stdout, 2 stderr), 0, 0, 0, uint32 BE length]` followed by the payload.
 * With `timestamps=true` the engine prefixes every line with an RFC 3339 nano timestamp.
 * @see https://docs.docker.com/reference/api/engine/version/v1.41/#tag/Container/operation/ContainerAttach
 */

/** One log line of a container. */
export interface LogEntry {
  /** Which stream. */
  readonly stream: 'stdout' | 'stderr';
  /** The engine's timestamp (RFC 3339, nanoseconds), empty when the engine sent none. */
  readonly timestamp: string;
  /** The line, without its newline. */
  readonly message: string;
}

const HEADER = 8;
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})) /;

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
 * then calling `end()` gives exactly what {@link demuxLogs} gives.
 */
export class LogDemuxer {
  private framed?: boolean;
  private rest: Buffer = Buffer.alloc(0);
  private readonly pending: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };

  /** Lines completed by `chunk`. */
  push(chunk: Buffer): LogEntry[] {
    const buffer = this.rest.length === 0 ? chunk : Buffer.from(this.rest.toString('latin1') + chunk.toString('latin1'), 'latin1');
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
      this.text('stdout', buffer.toString('utf8'), entries);
      return entries;
    }
    let offset = 0;
    while (offset + HEADER <= buffer.length) {
      if (!isFrameHeader(buffer, offset)) {
        // Not a frame any more: the rest is raw text, as demuxLogs reads it.
        this.framed = false;
        this.text('stdout', buffer.subarray(offset).toString('utf8'), entries);
        return entries;
      }
      const length = buffer.readUInt32BE(offset + 4);
      const start = offset + HEADER;
      if (start + length > buffer.length) break;
      this.text(buffer[offset] === 2 ? 'stderr' : 'stdout', buffer.subarray(start, start + length).toString('utf8'), entries);
      offset = start + length;
    }
    this.rest = buffer.subarray(offset);
    return entries;
  }

  /** The stream ended: a truncated last frame and the lines without a newline. */
  end(): LogEntry[] {
    const entries: LogEntry[] = [];
    if (this.rest.length > 0) {
      const r = this.rest;
      this.rest = Buffer.alloc(0);
      if (this.framed === undefined) this.text('stdout', r.toString('utf8'), entries);
      // A truncated last frame keeps its payload; a truncated header carries nothing.
      else if (isFrameHeader(r, 0)) this.text(r[0] === 2 ? 'stderr' : 'stdout', r.subarray(HEADER).toString('utf8'), entries);
    }
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.pending[stream] !== '') entries.push(entry(stream, this.pending[stream]));
      this.pending[stream] = '';
    }
    return entries;
  }

  private text(stream: 'stdout' | 'stderr', text: string, into: LogEntry[]): void {
    const lines = (this.pending[stream] + text).split('\n');
    this.pending[stream] = lines.pop() ?? '';
    for (const line of lines) into.push(entry(stream, line.endsWith('\r') ? line.slice(0, -1) : line));
  }
}

function isFrameHeader(buffer: Buffer, offset: number): boolean {
  if (offset + HEADER > buffer.length) return false;
  const type = buffer[offset];
  return (type === 0 || type === 1 || type === 2) && buffer[offset + 1] === 0 && buffer[offset + 2] === 0 && buffer[offset + 3] === 0;
}

/** Whether a buffer shorter than a header could still be the start of one. */
function isHeaderPrefix(buffer: Buffer): boolean {
  for (let i = 0; i < buffer.length && i < 4; i++) if (i === 0 ? buffer[0] > 2 : buffer[i] !== 0) return false;
  return true;
}

function entry(stream: 'stdout' | 'stderr', line: string): LogEntry {
  const m = TIMESTAMP.exec(line);
  return m ? { stream, timestamp: m[1], message: line.slice(m[0].length) } : { stream, timestamp: '', message: line };
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
    if (stamped && TIMESTAMP.test(`${stamped[1]} `)) entries.push({ stream: stamped[2] as 'stdout' | 'stderr', timestamp: stamped[1], message: stamped[3] });
    else if (bare) entries.push({ stream: bare[1] as 'stdout' | 'stderr', timestamp: '', message: bare[2] });
    else entries.push({ stream: 'stdout', timestamp: '', message: line });
  }
  return entries;
}
