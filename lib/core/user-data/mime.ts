/**
 * MIME multipart user data. AWS Batch merges launch template user data with its own, and requires
 * it to be a `multipart/mixed` document; anything else makes the compute environment INVALID
 * ("Launch Template UserData is not MIME multipart format").
 * @see https://docs.aws.amazon.com/batch/latest/userguide/launch-templates.html
 */

/** One part of a multipart document. */
export interface MimePart {
  /** Content type: `text/x-shellscript`, `text/cloud-config`, `text/cloud-boothook`, ... */
  readonly contentType: string;
  /** The body. */
  readonly content: string;
  /** The `charset` parameter of the part's Content-Type. Default `us-ascii` when building. */
  readonly charset?: string;
  /** Extra headers (besides Content-Type), e.g. `Content-Transfer-Encoding`. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A parsed multipart document. */
export interface MultipartDocument {
  /** The boundary. */
  readonly boundary: string;
  /** The parts in order. */
  readonly parts: MimePart[];
}

/** Result of {@link parseMultipart}. */
export type ParseMultipartResult =
  { readonly ok: true; readonly document: MultipartDocument } | { readonly ok: false; readonly reason: string };

/** Content types cloud-init understands in a part. */
export const KNOWN_PART_TYPES = [
  'text/x-shellscript',
  'text/cloud-config',
  'text/cloud-config-archive',
  'text/cloud-boothook',
  'text/upstart-job',
  'text/part-handler',
  'text/x-include-url',
  'text/x-include-once-url',
  'text/jinja2',
] as const;

/** The boundary batchkit writes. */
export const DEFAULT_BOUNDARY = '==BATCHKIT_BOUNDARY==';

/** Renders parts as a `multipart/mixed` document. */
export function buildMultipart(parts: readonly MimePart[], boundary: string = DEFAULT_BOUNDARY): string {
  if (parts.length === 0) {
    throw new Error('buildMultipart: a multipart document needs at least one part. Fix: add a part.');
  }
  for (const p of parts) {
    if (p.content.includes(`--${boundary}`)) {
      throw new Error(
        `buildMultipart: a part of type ${p.contentType} contains the boundary ` +
          `"--${boundary}". Fix: choose another boundary.`,
      );
    }
  }
  const lines: string[] = ['MIME-Version: 1.0', `Content-Type: multipart/mixed; boundary="${boundary}"`, ''];
  for (const p of parts) {
    lines.push(`--${boundary}`);
    lines.push(`Content-Type: ${p.contentType}; charset="${p.charset ?? 'us-ascii'}"`);
    for (const [k, v] of Object.entries(p.headers ?? {})) lines.push(`${k}: ${v}`);
    lines.push('');
    lines.push(p.content.replace(/\n+$/, ''));
    lines.push('');
  }
  lines.push(`--${boundary}--`);
  lines.push('');
  return lines.join('\n');
}

/** Splits a header block into lower-cased names → values (folded lines joined). */
function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  const lines = block.split(/\r?\n/);
  let last: string | undefined;
  for (const line of lines) {
    if (/^[ \t]/.test(line) && last) {
      headers.set(last, `${headers.get(last)} ${line.trim()}`);
      continue;
    }
    const m = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(line);
    if (m) {
      last = m[1].toLowerCase();
      headers.set(last, m[2].trim());
    }
  }
  return headers;
}

/** Reads `boundary=` from a Content-Type value. */
function boundaryOf(contentType: string): string | undefined {
  const m = /boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

/**
 * Parses a `multipart/mixed` document, checking what Batch and cloud-init need: a `Content-Type:
 * multipart/mixed` header with a boundary, at least one part opened by `--boundary`, each part with
 * a Content-Type, and a closing `--boundary--`.
 */
export function parseMultipart(text: string): ParseMultipartResult {
  const normalized = text.replace(/\r\n/g, '\n');
  const headerEnd = normalized.indexOf('\n\n');
  if (headerEnd < 0) {
    return { ok: false, reason: 'no MIME header block (a blank line must end the headers)' };
  }
  const headers = parseHeaders(normalized.slice(0, headerEnd));
  const ct = headers.get('content-type');
  if (!ct) return { ok: false, reason: 'no Content-Type header' };
  if (!/^multipart\/mixed\b/i.test(ct)) {
    return { ok: false, reason: `Content-Type is "${ct.split(';')[0]}", not multipart/mixed` };
  }
  const boundary = boundaryOf(ct);
  if (!boundary) return { ok: false, reason: 'Content-Type multipart/mixed has no boundary parameter' };
  const body = normalized.slice(headerEnd + 2);
  const lines = body.split('\n');
  const open = `--${boundary}`;
  const close = `--${boundary}--`;
  const parts: MimePart[] = [];
  let current: string[] | undefined;
  let closed = false;
  for (const line of lines) {
    const t = line.trimEnd();
    if (t === close) {
      if (current) parts.push(partOf(current));
      closed = true;
      break;
    }
    if (t === open) {
      if (current) parts.push(partOf(current));
      current = [];
      continue;
    }
    current?.push(line);
  }
  if (!closed) return { ok: false, reason: `no closing boundary line "${close}"` };
  if (parts.length === 0) return { ok: false, reason: `no part opened by "${open}"` };
  const untyped = parts.findIndex((p) => !p.contentType);
  if (untyped >= 0) return { ok: false, reason: `part ${untyped + 1} has no Content-Type header` };
  return { ok: true, document: { boundary, parts } };
}

function partOf(lines: string[]): MimePart {
  const text = lines.join('\n');
  const sep = text.indexOf('\n\n');
  const headerBlock = sep >= 0 ? text.slice(0, sep) : text;
  const content = sep >= 0 ? text.slice(sep + 2).replace(/\n$/, '') : '';
  const headers = parseHeaders(headerBlock);
  const rawType = headers.get('content-type') ?? '';
  const contentType = rawType.split(';')[0].trim();
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(rawType)?.[1];
  headers.delete('content-type');
  const part = { contentType, content, headers: Object.fromEntries(headers) };
  return charset && charset.toLowerCase() !== 'us-ascii' ? { ...part, charset } : part;
}

/** True when the text is a valid multipart/mixed document. */
export function isMimeMultipart(text: string): boolean {
  return parseMultipart(text).ok;
}

/**
 * First-line markers cloud-init reads, longest first so `#cloud-config-archive` is not taken for
 * `#cloud-config` nor `#include-once` for `#include`.
 * @see https://cloudinit.readthedocs.io/en/latest/explanation/format.html
 */
const PART_MARKERS: ReadonlyArray<readonly [string, string]> = [
  ['#cloud-config-archive', 'text/cloud-config-archive'],
  ['#cloud-config', 'text/cloud-config'],
  ['#cloud-boothook', 'text/cloud-boothook'],
  ['#include-once', 'text/x-include-once-url'],
  ['#include', 'text/x-include-url'],
  ['#upstart-job', 'text/upstart-job'],
  ['#part-handler', 'text/part-handler'],
  ['## template: jinja', 'text/jinja2'],
];

/** Guesses the part type of a plain user-data script from its first line (a shell script by default). */
export function partTypeOf(script: string): string {
  const first = script.trimStart().split(/\r?\n/, 1)[0];
  return PART_MARKERS.find(([marker]) => first.startsWith(marker))?.[1] ?? 'text/x-shellscript';
}

/**
 * Makes user data Batch accepts: a multipart document is returned as it is (after checking it),
 * anything else becomes the single part of a new multipart document. Throws with the reason when
 * the text claims to be multipart but is malformed.
 */
export function toMultipart(userData: string): string {
  if (/^\s*(MIME-Version|Content-Type):/im.test(userData.split('\n\n', 1)[0]) && /multipart\//i.test(userData)) {
    const parsed = parseMultipart(userData);
    if (!parsed.ok) {
      throw new Error(`user data looks like MIME multipart but is malformed: ${parsed.reason}.`);
    }
    return userData;
  }
  return buildMultipart([{ contentType: partTypeOf(userData), content: userData }]);
}

/** Merges several documents (multipart or plain) into one multipart document, parts in order. */
export function mergeMultipart(documents: readonly string[], boundary: string = DEFAULT_BOUNDARY): string {
  const parts: MimePart[] = [];
  for (const d of documents) {
    const parsed = parseMultipart(toMultipart(d));
    if (!parsed.ok) throw new Error(`mergeMultipart: ${parsed.reason}`);
    parts.push(...parsed.document.parts);
  }
  return buildMultipart(parts, boundary);
}

/** Decodes base64 user data (as in a launch template) to text. */
export function decodeUserData(base64: string): string {
  return Buffer.from(base64, 'base64').toString('utf8');
}
