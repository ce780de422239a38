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
  const chunks: Array<{ stream: 'stdout' | 'stderr'; text: string }> = [];
  let offset = 0;
  let framed = buffer.length === 0 || isFrameHeader(buffer, 0);
  while (framed && offset + HEADER <= buffer.length) {
    if (!isFrameHeader(buffer, offset)) {
      framed = false;
      break;
    }
    const type = buffer[offset];
    const length = buffer.readUInt32BE(offset + 4);
    const start = offset + HEADER;
    const end = Math.min(buffer.length, start + length);
    chunks.push({ stream: type === 2 ? 'stderr' : 'stdout', text: buffer.subarray(start, end).toString('utf8') });
    offset = end;
  }
  if (!framed) chunks.push({ stream: 'stdout', text: buffer.subarray(offset).toString('utf8') });
  return toLines(chunks);
}

function isFrameHeader(buffer: Buffer, offset: number): boolean {
  if (offset + HEADER > buffer.length) return false;
  const type = buffer[offset];
  return (type === 0 || type === 1 || type === 2) && buffer[offset + 1] === 0 && buffer[offset + 2] === 0 && buffer[offset + 3] === 0;
}

/** Joins partial frames per stream and cuts them into lines with their timestamps. */
function toLines(chunks: ReadonlyArray<{ stream: 'stdout' | 'stderr'; text: string }>): LogEntry[] {
  const entries: LogEntry[] = [];
  const pending: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };
  const emit = (stream: 'stdout' | 'stderr', line: string) => {
    const m = TIMESTAMP.exec(line);
    entries.push(
      m ? { stream, timestamp: m[1], message: line.slice(m[0].length) } : { stream, timestamp: '', message: line },
    );
  };
  for (const chunk of chunks) {
    const text = pending[chunk.stream] + chunk.text;
    const lines = text.split('\n');
    pending[chunk.stream] = lines.pop() ?? '';
    for (const line of lines) emit(chunk.stream, line.endsWith('\r') ? line.slice(0, -1) : line);
  }
  for (const stream of ['stdout', 'stderr'] as const) {
    if (pending[stream] !== '') emit(stream, pending[stream]);
  }
  return entries;
}

/** Renders entries as text: `<timestamp> <stream> <message>` per line. */
export function formatLogs(entries: readonly LogEntry[]): string {
  return entries.map((e) => `${e.timestamp ? `${e.timestamp} ` : ''}${e.stream} ${e.message}\n`).join('');
}
