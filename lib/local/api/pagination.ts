/**
 * `maxResults` / `nextToken` pagination. A token is opaque to the client and holds the sort key
 * of the last item returned plus a fingerprint of the query: the next page starts strictly after
 * that key, so items added or removed while a client pages never make it skip or repeat one.
 */
import { createHash } from 'node:crypto';
import { clientError } from './errors';

/** One page. */
export interface Page<T> {
  /** Items of the page. */
  readonly items: T[];
  /** Token for the next page; absent on the last page. */
  readonly nextToken?: string;
}

/** How to page one operation. */
export interface PageOptions {
  /** Operation name (tokens of one operation are refused by another). */
  readonly operation: string;
  /** The query without `maxResults`/`nextToken` (tokens of another query are refused). */
  readonly query: unknown;
  /** `maxResults` as sent. @default - all remaining items, in pages of `limit` */
  readonly maxResults?: number;
  /** `nextToken` as sent. @default - the first page */
  readonly nextToken?: string;
  /** Largest page AWS returns for this operation (and the page size when maxResults is absent). */
  readonly limit: number;
}

/** A sort key: compared element by element, numbers numerically, strings by code unit. */
export type SortKey = readonly (string | number)[];

interface TokenBody {
  /** Operation. */
  o: string;
  /** Query fingerprint. */
  q: string;
  /** Last key. */
  k: (string | number)[];
}

/** Compares two sort keys. */
export function compareKeys(a: SortKey, b: SortKey): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : 1;
    return String(x) < String(y) ? -1 : 1;
  }
  return a.length - b.length;
}

/**
 * Returns the page of `items` that follows `nextToken`. `keyOf` gives each item's unique sort key;
 * items are returned in ascending key order (negate numbers for descending order).
 */
export function paginate<T>(items: readonly T[], keyOf: (item: T) => SortKey, options: PageOptions): Page<T> {
  const size = pageSize(options);
  const fingerprint = createHash('sha256')
    .update(JSON.stringify(options.query ?? {}))
    .digest('base64url')
    .slice(0, 16);
  const after =
    options.nextToken === undefined ? undefined : decodeToken(options.nextToken, options.operation, fingerprint);
  const keyed = items.map((item) => ({ item, key: keyOf(item) })).sort((a, b) => compareKeys(a.key, b.key));
  const start = after === undefined ? 0 : firstAfter(keyed, after);
  const page = keyed.slice(start, start + size);
  const more = start + size < keyed.length;
  return {
    items: page.map((p) => p.item),
    nextToken:
      more && page.length > 0
        ? encodeToken({ o: options.operation, q: fingerprint, k: [...page[page.length - 1].key] })
        : undefined,
  };
}

function pageSize(options: PageOptions): number {
  const { maxResults, limit } = options;
  if (maxResults === undefined) return limit;
  if (maxResults < 1 || maxResults > limit) {
    throw clientError(
      `maxResults is ${maxResults}; ${options.operation} accepts 1 to ` +
        `${limit}. Fix: send a value in that range, or leave it out to get pages of ${limit}.`,
    );
  }
  return maxResults;
}

function firstAfter(keyed: ReadonlyArray<{ key: SortKey }>, after: SortKey): number {
  let lo = 0;
  let hi = keyed.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareKeys(keyed[mid].key, after) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function encodeToken(body: TokenBody): string {
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

function decodeToken(token: string, operation: string, fingerprint: string): SortKey {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    body = undefined;
  }
  const t = body as Partial<TokenBody> | undefined;
  if (
    !t ||
    typeof t !== 'object' ||
    typeof t.o !== 'string' ||
    typeof t.q !== 'string' ||
    !Array.isArray(t.k) ||
    !t.k.every((x) => typeof x === 'string' || typeof x === 'number')
  ) {
    throw clientError(
      `The nextToken is not valid: it is not a token this server returned. ` +
        `Fix: pass the nextToken of the previous ${operation} response ` +
        `unchanged, or leave it out to start from the first page.`,
    );
  }
  if (t.o !== operation || t.q !== fingerprint) {
    throw clientError(
      `The nextToken belongs to another request${t.o !== operation ? ` (${t.o})` : ' with different parameters'}. ` +
        `Fix: repeat the same ${operation} parameters with the token, or leave nextToken out to start again.`,
    );
  }
  return t.k;
}
