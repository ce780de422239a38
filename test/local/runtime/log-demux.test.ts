import { demuxLogs, formatLogs } from '../../../lib/local/runtime/log-demux';

function frame(type: number, text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(payload.length, 4);
  return cat(header, payload);
}

/** Concatenates buffers (Buffer.concat's typing clashes with this TypeScript version). */
function cat(...parts: Buffer[]): Buffer {
  return Buffer.from(parts.map((p) => p.toString('latin1')).join(''), 'latin1');
}

describe('demuxLogs', () => {
  test('splits stdout and stderr frames into lines with timestamps, in order', () => {
    const buf = cat(
      frame(1, '2024-01-02T03:04:05.123456789Z hello\n'),
      frame(2, '2024-01-02T03:04:05.2Z oops\n'),
      frame(1, '2024-01-02T03:04:06Z bye\n'),
    );
    expect(demuxLogs(buf)).toEqual([
      { stream: 'stdout', timestamp: '2024-01-02T03:04:05.123456789Z', message: 'hello' },
      { stream: 'stderr', timestamp: '2024-01-02T03:04:05.2Z', message: 'oops' },
      { stream: 'stdout', timestamp: '2024-01-02T03:04:06Z', message: 'bye' },
    ]);
  });

  test('joins a line split over two frames and keeps a last line without newline', () => {
    const buf = cat(frame(1, 'par'), frame(1, 'tial\nend'));
    expect(demuxLogs(buf).map((e) => e.message)).toEqual(['partial', 'end']);
  });

  test('a raw (TTY) stream is read as stdout text', () => {
    expect(demuxLogs(Buffer.from('plain text\nline two\n'))).toEqual([
      { stream: 'stdout', timestamp: '', message: 'plain text' },
      { stream: 'stdout', timestamp: '', message: 'line two' },
    ]);
  });

  test('an empty buffer has no lines; formatLogs renders one line per entry', () => {
    expect(demuxLogs(Buffer.alloc(0))).toEqual([]);
    expect(
      formatLogs([
        { stream: 'stdout', timestamp: 'T1', message: 'a' },
        { stream: 'stderr', timestamp: '', message: 'b' },
      ]),
    ).toBe('T1 stdout a\nstderr b\n');
  });
});
