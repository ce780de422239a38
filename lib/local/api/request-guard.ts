/**
 * What `batchkit local serve` refuses before it reads a request body, so that no web page a
 * developer opens can drive it (the API runs containers and accepts any credentials):
 *
 * - a `Host` header that is not this server: a loopback name or address (`localhost`, 127.0.0.0/8,
 *   `[::1]`) or the `--host` given explicitly, with the bound port. DNS rebinding points a name the
 *   attacker controls at 127.0.0.1, so the browser sends that name: 403.
 * - an `Origin` header other than the server's own origin, `http://<the Host header>` (browsers send
 *   one on every cross-site and every POST request, `null` from sandboxed pages and files; the AWS
 *   SDKs and CLI never do; the dashboard served at `/` sends its own), and `Sec-Fetch-Site:
 *   cross-site` or `same-site`: 403.
 * - a request with a body whose `Content-Type` is not JSON as the SDKs and the AWS CLI send it
 *   (`application/json` for restJson1 services such as Batch, `application/x-amz-json-1.0/1.1` for
 *   awsJson services): 415. HTML forms and `fetch` without a preflight can only send
 *   `text/plain`, `multipart/form-data` and `application/x-www-form-urlencoded`.
 *
 * Requests without a body (the SDK's `GET`/`DELETE` on `/v1/tags/...`) need no Content-Type.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { isLoopback } from '../net/loopback';

/** Media types of request bodies the server reads (parameters such as `charset` are ignored). */
export const JSON_CONTENT_TYPES: readonly string[] = [
  'application/json',
  'application/x-amz-json-1.0',
  'application/x-amz-json-1.1',
];

/** Which requests the server answers. */
export interface RequestPolicy {
  /** The bound port: the Host header must name it. */
  readonly port: number;
  /** Host names accepted besides loopback names (the `--host` given explicitly). @default - none */
  readonly hostNames?: readonly string[];
  /** Accept any Host header (a wildcard address such as 0.0.0.0 was bound explicitly). @default false */
  readonly anyHost?: boolean;
}

/** A refused request: HTTP status, error type and message for the `{"__type","message"}` body. */
export interface Refusal {
  /** 403 (Host, Origin) or 415 (Content-Type). */
  readonly status: 403 | 415;
  /** `AccessDeniedException` or `UnsupportedMediaTypeException`. */
  readonly type: 'AccessDeniedException' | 'UnsupportedMediaTypeException';
  /** What was refused, why, and the fix. */
  readonly message: string;
}

/** Why the request must be refused, or undefined when it may be served. */
export function refusalOf(method: string, headers: IncomingHttpHeaders, policy: RequestPolicy): Refusal | undefined {
  const host = headers.host;
  if (!policy.anyHost && (host === undefined || !hostAllowed(host, policy))) {
    return {
      status: 403,
      type: 'AccessDeniedException',
      message:
        `Refused a request for Host ${host === undefined ? '(none)' : JSON.stringify(host)}: batchkit ` +
        `local serve answers only requests addressed to localhost, 127.0.0.1 or [::1]` +
        `${policy.hostNames?.length ? ` or ${policy.hostNames.join(', ')}` : ''} on port ${policy.port} ` +
        '(a web page that points another name at this machine, "DNS rebinding", is refused). ' +
        `Fix: use the endpoint http://127.0.0.1:${policy.port}, or start the server with --host <that name>.`,
    };
  }
  const origin = headers.origin;
  if (origin !== undefined && (host === undefined || origin.toLowerCase() !== `http://${host.toLowerCase()}`)) {
    return {
      status: 403,
      type: 'AccessDeniedException',
      message:
        `Refused a request sent by a web page (Origin ` +
        `${JSON.stringify(origin)}): batchkit local serve runs containers on ` +
        `this machine and accepts any credentials, ` +
        'so it answers the AWS SDKs and CLI, which send no Origin header, and ' +
        'its own dashboard, never another web page. Fix: call the API from a ' +
        'program with the AWS SDK or the AWS CLI.',
    };
  }
  const site = headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') {
    return {
      status: 403,
      type: 'AccessDeniedException',
      message:
        `Refused a ${site} request sent by a web page (Sec-Fetch-Site: ` +
        `${site}). Fix: call the API from a program with the AWS SDK or the AWS CLI.`,
    };
  }
  if (hasBody(method, headers)) {
    const type = mediaType(headers['content-type']);
    if (type === undefined || !JSON_CONTENT_TYPES.includes(type)) {
      return {
        status: 415,
        type: 'UnsupportedMediaTypeException',
        message:
          `Refused a request body sent as ` +
          `${type === undefined ? 'no Content-Type' : `Content-Type ${JSON.stringify(headers['content-type'])}`}: ` +
          `the API reads JSON only (${JSON_CONTENT_TYPES.join(', ')}), as the AWS ` +
          `SDKs and CLI send it. Fix: send the body with Content-Type: application/json.`,
      };
    }
  }
  return undefined;
}

/** Whether a request carries (or may carry) a body: POST/PUT/PATCH, a length above 0, or a chunked body. */
function hasBody(method: string, headers: IncomingHttpHeaders): boolean {
  if (method === 'POST' || method === 'PUT' || method === 'PATCH') return true;
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = headers['content-length'];
  return length !== undefined && length.trim() !== '0';
}

/** `application/json; charset=utf-8` → `application/json`. */
function mediaType(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const type = header.split(';')[0].trim().toLowerCase();
  return type === '' ? undefined : type;
}

function hostAllowed(header: string, policy: RequestPolicy): boolean {
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(header.trim().toLowerCase());
  if (!m) return false;
  const name = m[1];
  const port = m[2] === undefined ? 80 : Number(m[2]);
  if (port !== policy.port) return false;
  // `localhost` and address literals only: no other name can be pointed at this machine by a web page's DNS.
  if (isLoopback(name)) return true;
  const bare = name.replace(/^\[|\]$/g, '');
  return (policy.hostNames ?? []).some((h) => h.replace(/^\[|\]$/g, '').toLowerCase() === bare);
}
