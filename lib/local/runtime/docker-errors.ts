/**
 * Reading dockerode's errors: HTTP status, the engine's message, and whether the engine itself
 * is unreachable (socket missing, connection refused or reset).
 */
import { BatchkitError } from '../../core/errors';

/** Network-level error codes that mean "the engine is not there (any more)". */
const UNREACHABLE_CODES = new Set([
  'ENOENT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EACCES',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'ABORT_ERR',
]);

/** The HTTP status of an engine error, if it has one. */
export function statusCode(e: unknown): number | undefined {
  const code = (e as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

/** The engine's own message (`json.message`) or the error's message, trimmed. */
export function engineMessage(e: unknown): string {
  const json = (e as { json?: unknown } | undefined)?.json;
  if (json && typeof json === 'object' && typeof (json as { message?: unknown }).message === 'string') {
    return (json as { message: string }).message.trim();
  }
  // Errors from Node's own modules can come from another realm (jest): read `message` by shape.
  const message = (e as { message?: unknown } | undefined)?.message;
  if (typeof message === 'string') return message.trim();
  return String(e).trim();
}

/** True when the error means the engine cannot be reached at all. */
export function isUnreachable(e: unknown): boolean {
  if (statusCode(e) !== undefined) return false;
  const code = (e as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
  const name = (e as { name?: unknown } | undefined)?.name;
  if (name === 'AbortError' || name === 'TimeoutError') return true;
  const message = (e as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' && /socket hang up|connect E|ECONNRESET|EPIPE/.test(message);
}

/** Where the engine is expected: `DOCKER_HOST` or the default socket. */
export function engineAddress(socketPath?: string): string {
  return socketPath ?? process.env.DOCKER_HOST ?? '/var/run/docker.sock';
}

/** The error for an engine that does not answer. */
export function engineUnreachable(address: string, cause: unknown): BatchkitError {
  return new BatchkitError(
    'BATCHKIT-DOCKER-001',
    'environment',
    `Docker engine not reachable at ${address}: ${engineMessage(cause)}.`,
    { fix: 'start it (scripts/dev-setup.sh) or set DOCKER_HOST to a running engine.', cause },
  );
}
