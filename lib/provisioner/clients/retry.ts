/**
 * Retries with exponential backoff and jitter for throttling and transient service errors, and a
 * separate loop for "not yet" errors such as EC2's `DependencyViolation` while a NAT gateway drains.
 */

/** How calls are retried. */
export interface RetryPolicy {
  /**
   * Attempts in all, the first included.
   * @default 8
   */
  readonly maxAttempts?: number;
  /**
   * First backoff in milliseconds; doubles on each retry (with full jitter), up to `maxDelayMs`.
   * @default 200
   */
  readonly baseDelayMs?: number;
  /**
   * Longest single backoff.
   * @default 20000
   */
  readonly maxDelayMs?: number;
  /**
   * Sleeps; tests pass one that records and returns at once.
   * @default - setTimeout
   */
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * Called before each retry (for progress output).
   * @default - nothing
   */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/** Error names AWS services use for throttling. */
export const THROTTLING_ERRORS: readonly string[] = [
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'PriorRequestNotComplete',
];

/** A string field of an error object, when it is one. */
function stringField(e: object, key: string): string | undefined {
  const v: unknown = Reflect.get(e, key);
  return typeof v === 'string' ? v : undefined;
}

/** A field of a nested object of an error (`$metadata.httpStatusCode`), when both exist. */
function nestedField(e: object, outer: string, inner: string): unknown {
  const o: unknown = Reflect.get(e, outer);
  return o !== null && typeof o === 'object' ? Reflect.get(o, inner) : undefined;
}

/** The AWS error name (`ClientException`, `NoSuchEntity`, `DependencyViolation`, ...) of an SDK error. */
export function errorName(e: unknown): string | undefined {
  if (!e || typeof e !== 'object') return undefined;
  return stringField(e, 'name') ?? stringField(e, 'Code') ?? stringField(e, 'code');
}

/** HTTP status of an SDK error, when known. */
export function httpStatus(e: unknown): number | undefined {
  if (!e || typeof e !== 'object') return undefined;
  const status = nestedField(e, '$metadata', 'httpStatusCode');
  return typeof status === 'number' ? status : undefined;
}

/** True for a throttling error (by name, by the SDK's marker or by HTTP 429). */
export function isThrottling(e: unknown): boolean {
  if (!e || typeof e !== 'object') return false;
  const name = errorName(e);
  return (
    (name !== undefined && THROTTLING_ERRORS.includes(name)) ||
    nestedField(e, '$retryable', 'throttling') === true ||
    httpStatus(e) === 429
  );
}

/** True for an error worth retrying: throttling, a 5xx from the service, or a dropped connection. */
export function isTransient(e: unknown): boolean {
  if (isThrottling(e)) return true;
  const status = httpStatus(e);
  if (status !== undefined && status >= 500) return true;
  const name = errorName(e);
  return name === 'TimeoutError' || name === 'ECONNRESET' || name === 'RequestTimeout' || name === 'InternalError';
}

/** `setTimeout` as a promise. */
export function realSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Backoff before retry number `attempt` (1-based): full jitter over an exponential cap. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const base = policy.baseDelayMs ?? 200;
  const cap = Math.min(policy.maxDelayMs ?? 20000, base * 2 ** (attempt - 1));
  return Math.round(cap / 2 + (random() * cap) / 2);
}

/** Runs `fn`, retrying while `shouldRetry(error)` holds, with backoff, up to `policy.maxAttempts`. */
export async function retrying<T>(
  fn: () => Promise<T>,
  policy: RetryPolicy = {},
  shouldRetry: (e: unknown) => boolean = isTransient,
): Promise<T> {
  const max = policy.maxAttempts ?? 8;
  const sleep = policy.sleep ?? realSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (attempt >= max || !shouldRetry(e)) throw e;
      const delay = backoffDelay(attempt, policy);
      policy.onRetry?.(e, attempt, delay);
      await sleep(delay);
    }
  }
}
