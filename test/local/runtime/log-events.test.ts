/**
 * Long lines as log events (the awslogs driver's rule): at most MAX_EVENT_BYTES UTF-8 bytes per
 * event, never split inside a character, the pieces concatenating to the line; the engine's
 * timestamps on the continuation frames of a long line are not part of the line.
 */
import {
  LineAssembler,
  MAX_EVENT_BYTES,
  splitMessage,
  utf8Cut,
  type LogEntry,
} from '../../../lib/local/runtime/log-events';
import { LogDemuxer, demuxLogs } from '../../../lib/local/runtime/log-demux';

/** Bytes of `parts` one after the other. */
function cat(parts: readonly Buffer[]): Buffer {
  return Buffer.from(parts.map((p) => p.toString('latin1')).join(''), 'latin1');
}

function frame(type: 1 | 2, payload: string | Buffer): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(body.length, 4);
  return cat([header, body]);
}

const TS1 = '2026-12-06T10:00:00.000000001Z';
const TS2 = '2026-12-06T10:00:00.000000002Z';
const TS3 = '2026-12-06T10:00:00.000000003Z';

describe('splitting into events', () => {
  test('MAX_EVENT_BYTES is 256 KiB less the 26 bytes CloudWatch counts per event', () => {
    expect(MAX_EVENT_BYTES).toBe(262_118);
  });

  test('a 600 KiB line is 3 events whose concatenation is the line', () => {
    const line = 'abcdefghij'.repeat(61_440);
    const events = splitMessage(line);
    expect(events.map((e) => Buffer.byteLength(e))).toEqual([262_118, 262_118, 614_400 - 2 * 262_118]);
    expect(events.join('')).toBe(line);
  });

  test.each([
    ['2-byte é', 'é'],
    ['3-byte €', '€'],
    ['4-byte 😀 (a surrogate pair in JavaScript)', '😀'],
  ])('multibyte %s: no event ends inside a character', (_name, ch) => {
    // An odd prefix puts every possible cut position inside a character somewhere.
    const line = `a${ch.repeat(40)}`;
    const max = 10;
    const events = splitMessage(line, max);
    expect(events.join('')).toBe(line);
    for (const e of events) {
      expect(Buffer.byteLength(e)).toBeLessThanOrEqual(max);
      expect(e).not.toMatch(/\uFFFD/);
      // Each event is valid UTF-8 by itself: encoding and decoding gives it back.
      expect(Buffer.from(e, 'utf8').toString('utf8')).toBe(e);
    }
    // Cut as late as a character boundary allows.
    for (const e of events.slice(0, -1)) expect(Buffer.byteLength(e)).toBeGreaterThan(max - Buffer.byteLength(ch));
  });

  test('utf8Cut backs off to the start of a character and cuts invalid bytes at the limit', () => {
    const euro = Buffer.from('ab€', 'utf8'); // 61 62 e2 82 ac
    expect(utf8Cut(euro, 3)).toBe(2);
    expect(utf8Cut(euro, 4)).toBe(2);
    expect(utf8Cut(euro, 5)).toBe(5);
    expect(utf8Cut(Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x80]), 5)).toBe(5);
  });
});

describe('assembling lines from the engine', () => {
  test('the timestamps of continuation frames are dropped; the line keeps its first one', () => {
    const entries = demuxLogs(
      cat([frame(1, `${TS1} aaaa`), frame(1, `${TS2} bbbb`), frame(1, `${TS3} cc\n`), frame(1, `${TS3} next\n`)]),
    );
    expect(entries).toEqual([
      { stream: 'stdout', timestamp: TS1, message: 'aaaabbbbcc' },
      { stream: 'stdout', timestamp: TS3, message: 'next' },
    ]);
  });

  test('a character split across two frames of a long line is decoded whole', () => {
    const smile = Buffer.from('😀', 'utf8');
    const d = new LogDemuxer();
    const out: LogEntry[] = [];
    out.push(...d.push(frame(2, cat([Buffer.from(`${TS1} x`), smile.subarray(0, 2)]))));
    out.push(...d.push(frame(2, cat([Buffer.from(`${TS2} `), smile.subarray(2), Buffer.from('y\n')]))));
    out.push(...d.end());
    expect(out).toEqual([{ stream: 'stderr', timestamp: TS1, message: 'x😀y' }]);
  });

  test('a long line comes out in events as soon as each is complete, holding at most one event', () => {
    const a = new LineAssembler('stdout', 8);
    const out: LogEntry[] = [];
    a.push(Buffer.from(`${TS1} 0123456789`), true, out);
    expect(out.map((e) => e.message)).toEqual(['01234567']);
    a.push(Buffer.from(`${TS2} abcdefgh`), true, out);
    expect(out.map((e) => e.message)).toEqual(['01234567', '89abcdef']);
    a.push(Buffer.from(`${TS3} \r\n`), true, out);
    expect(out).toEqual([
      { stream: 'stdout', timestamp: TS1, message: '01234567' },
      { stream: 'stdout', timestamp: TS1, message: '89abcdef' },
      { stream: 'stdout', timestamp: TS1, message: 'gh' },
    ]);
  });

  test('a 600 KiB line in 16 KiB frames, as the engine sends it, is 3 events equal to the line', () => {
    const line = Buffer.alloc(600 * 1024, 'z');
    const frames: Buffer[] = [];
    for (let at = 0; at < line.length; at += 16 * 1024)
      frames.push(frame(1, cat([Buffer.from(`${TS1} `), line.subarray(at, at + 16 * 1024)])));
    frames.push(frame(1, `${TS2} \n`));
    const d = new LogDemuxer();
    const out: LogEntry[] = [];
    // Chunks of 10,000 bytes cut frames anywhere, as the socket does.
    const all = cat(frames);
    for (let i = 0; i < all.length; i += 10_000) out.push(...d.push(all.subarray(i, i + 10_000)));
    out.push(...d.end());
    expect(out).toHaveLength(3);
    expect(out.map((e) => e.message).join('')).toBe(line.toString());
    expect(out.every((e) => e.timestamp === TS1)).toBe(true);
  });
});
