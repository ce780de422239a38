import { LogDemuxer, demuxLogs, formatLogs, parseLogText } from '../../../lib/local/runtime/log-demux';

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

describe('LogDemuxer (a followed stream)', () => {
  const buf = cat(
    frame(1, '2024-01-02T03:04:05.123456789Z hello\n'),
    frame(2, '2024-01-02T03:04:05.2Z oops\n2024-01-02T03:04:05.3Z again\n'),
    frame(1, '2024-01-02T03:04:06Z par'),
    frame(1, 'tial\n2024-01-02T03:04:07Z end'),
  );

  test.each([1, 3, 7, 8, 9, 20, 1000])('chunks of %d bytes give what demuxLogs gives for the whole buffer', (size) => {
    const d = new LogDemuxer();
    const out = [];
    for (let i = 0; i < buf.length; i += size) out.push(...d.push(buf.subarray(i, i + size)));
    out.push(...d.end());
    expect(out).toEqual(demuxLogs(buf));
    expect(out.map((e) => e.message)).toEqual(['hello', 'oops', 'again', 'partial', 'end']);
  });

  test(
    'complete lines come out as soon as their frame is complete; a partial ' + 'line waits for its newline or the end',
    () => {
      const d = new LogDemuxer();
      expect(d.push(frame(1, '2024-01-02T03:04:05Z a\n2024-01-02T03:04:05Z b'))).toEqual([
        { stream: 'stdout', timestamp: '2024-01-02T03:04:05Z', message: 'a' },
      ]);
      expect(d.push(frame(1, 'c\n'))).toEqual([{ stream: 'stdout', timestamp: '2024-01-02T03:04:05Z', message: 'bc' }]);
      expect(d.push(frame(2, 'no newline'))).toEqual([]);
      expect(d.end()).toEqual([{ stream: 'stderr', timestamp: '', message: 'no newline' }]);
    },
  );

  test('a raw (TTY) stream split in chunks is stdout text', () => {
    const d = new LogDemuxer();
    expect(
      [...d.push(Buffer.from('pl')), ...d.push(Buffer.from('ain\nmore')), ...d.end()].map((e) => e.message),
    ).toEqual(['plain', 'more']);
  });
});

describe('log text', () => {
  test('parseLogText reads formatLogs back', () => {
    const entries = [
      { stream: 'stdout' as const, timestamp: '2024-01-02T03:04:05.5Z', message: 'a b  c' },
      { stream: 'stderr' as const, timestamp: '', message: 'stdout lookalike' },
      { stream: 'stdout' as const, timestamp: '2024-01-02T03:04:06Z', message: '' },
    ];
    expect(parseLogText(formatLogs(entries))).toEqual(entries);
  });
});
