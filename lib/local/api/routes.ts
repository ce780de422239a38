/**
 * restJson1 routing of the Batch API: every operation is `POST /v1/<operation in lower case>`,
 * except the tag operations on `/v1/tags/{resourceArn}` (GET ListTagsForResource, POST TagResource,
 * DELETE UntagResource with `tagKeys` in the query string).
 */
import { OPERATION_SHAPES } from './shapes-operations';

/** A request matched to an operation. */
export interface Route {
  /** Operation name (`SubmitJob`). */
  readonly operation: string;
  /** Members bound from the URI and query string (tag operations). */
  readonly bound: Readonly<Record<string, unknown>>;
}

/** Why a request matched no operation. */
export interface NoRoute {
  /** HTTP status to answer with. */
  readonly status: 400 | 404 | 405;
  /** Message. */
  readonly message: string;
}

const BY_PATH = new Map<string, string>(
  Object.keys(OPERATION_SHAPES)
    .filter((op) => !['TagResource', 'UntagResource', 'ListTagsForResource'].includes(op))
    .map((op) => [`/v1/${op.toLowerCase()}`, op]),
);

const TAGS_PREFIX = '/v1/tags/';

/** Matches a method and URL (path and query) to an operation. */
export function route(method: string, url: string): Route | NoRoute {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  if (path.startsWith(TAGS_PREFIX)) {
    let arn: string;
    try {
      arn = decodeURIComponent(path.slice(TAGS_PREFIX.length));
    } catch {
      return {
        status: 400,
        message: `The resource ARN in ${path} is not valid percent-encoding. Fix: URL-encode the ARN.`,
      };
    }
    if (!arn) return { status: 400, message: 'The resource ARN is missing from /v1/tags/{resourceArn}.' };
    switch (method) {
      case 'GET':
        return { operation: 'ListTagsForResource', bound: { resourceArn: arn } };
      case 'POST':
        return { operation: 'TagResource', bound: { resourceArn: arn } };
      case 'DELETE':
        return { operation: 'UntagResource', bound: { resourceArn: arn, tagKeys: query.getAll('tagKeys') } };
      default:
        return { status: 405, message: `${method} is not allowed on /v1/tags/{resourceArn}; use GET, POST or DELETE.` };
    }
  }
  const operation = BY_PATH.get(path.replace(/\/+$/, '').toLowerCase());
  if (!operation) {
    return {
      status: 404,
      message:
        `No Batch operation at ${path}. batchkit serves POST /v1/<operation> ` +
        `for: ${[...BY_PATH.values()].join(', ')}, and /v1/tags/{resourceArn}.`,
    };
  }
  if (method !== 'POST') return { status: 405, message: `${operation} takes POST ${path}, not ${method}.` };
  return { operation, bound: {} };
}

/** Whether a route result is a match. */
export function isRoute(r: Route | NoRoute): r is Route {
  return 'operation' in r;
}
