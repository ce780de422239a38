/**
 * Typed errors. Library code throws these and never exits; the CLI maps them to exit codes.
 */

/** Broad class of an error, which decides the CLI's exit code. */
export type ErrorKind =
  /** The input could not be read or understood (bad file, bad flag, bad request): exit 2. */
  | 'input'
  /** A resource or job was not found: exit 2. */
  | 'not-found'
  /** An outside system failed (Docker engine, AWS): exit 3. */
  | 'environment'
  /** A bug in batchkit: exit 70. */
  | 'internal';

/** An error with a stable code, a kind and an optional fix. */
export class BatchkitError extends Error {
  /** Stable code, e.g. `BATCHKIT-ASSEMBLY-002`. */
  public readonly code: string;
  /** Kind. */
  public readonly kind: ErrorKind;
  /** How to fix it. */
  public readonly fix?: string;

  constructor(code: string, kind: ErrorKind, message: string, options: { fix?: string; cause?: unknown } = {}) {
    super(options.fix ? `${message} Fix: ${options.fix}` : message, { cause: options.cause });
    this.name = 'BatchkitError';
    this.code = code;
    this.kind = kind;
    this.fix = options.fix;
  }
}

/** True for a {@link BatchkitError} (also across module copies). */
export function isBatchkitError(e: unknown): e is BatchkitError {
  return e instanceof BatchkitError || (e instanceof Error && e.name === 'BatchkitError' && 'code' in e);
}
