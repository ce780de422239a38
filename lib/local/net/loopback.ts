/**
 * Loopback addresses, in every spelling the URL parser and Node hand us: `localhost`, 127.0.0.0/8,
 * `::1` (also written out in full) and IPv4-mapped IPv6 loopback (`::ffff:127.0.0.1`, which the
 * WHATWG URL parser rewrites to `::ffff:7f00:1`). Used by the API server (what it binds, which
 * Host headers it answers) and the webhook sink (where events may go).
 */
import { isIPv4, isIPv6 } from 'node:net';

/** True for `localhost`, 127.0.0.0/8, `::1` and IPv4-mapped 127.0.0.0/8; brackets are ignored. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost') return true;
  if (isIPv4(h)) return h.startsWith('127.');
  if (!isIPv6(h)) return false;
  const groups = ipv6Groups(h);
  if (groups === undefined) return false;
  const zeroPrefix = groups.slice(0, 5).every((g) => g === 0);
  if (zeroPrefix && groups[5] === 0 && groups[6] === 0 && groups[7] === 1) return true; // ::1
  return zeroPrefix && groups[5] === 0xffff && groups[6] >> 8 === 127; // ::ffff:127.x.y.z
}

/** The eight 16-bit groups of an IPv6 address (a trailing dotted IPv4 part counts as two groups). */
function ipv6Groups(address: string): number[] | undefined {
  let text = address.replace(/%.*$/, '');
  const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number);
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  const all = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right];
  const groups = all.map((g) => parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}
