/**
 * Errors of the local Batch API, as AWS Batch sends them: every operation models exactly two,
 * `ClientException` (HTTP 400: bad input, unknown resource, illegal state) and `ServerException`
 * (HTTP 500: a fault on the server). The type goes in the `x-amzn-errortype` header and in the
 * body (`{"__type": ..., "message": ...}`), so every SDK and the AWS CLI raise the right class.
 */
import { isBatchkitError } from '../../core/errors';

/** The two error types of the Batch API model. */
export type BatchErrorType = 'ClientException' | 'ServerException';

/** An error the API returns to its caller. */
export class BatchApiError extends Error {
  /** `ClientException` or `ServerException`. */
  public readonly type: BatchErrorType;
  /** HTTP status: 400 or 500. */
  public readonly statusCode: 400 | 500;

  constructor(type: BatchErrorType, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = type;
    this.type = type;
    this.statusCode = type === 'ClientException' ? 400 : 500;
  }

  /** The JSON body AWS sends for this error. */
  body(): { __type: BatchErrorType; message: string } {
    return { __type: this.type, message: this.message };
  }
}

/** A `ClientException` with the reason in `message`. */
export function clientError(message: string): BatchApiError {
  return new BatchApiError('ClientException', message);
}

/** A `ServerException`. */
export function serverError(message: string, cause?: unknown): BatchApiError {
  return new BatchApiError('ServerException', message, { cause });
}

/**
 * Maps anything thrown by the executor or the registry to an API error: batchkit errors of kind
 * `input` and `not-found` are the client's fault, everything else is a server fault.
 */
export function toApiError(e: unknown): BatchApiError {
  if (e instanceof BatchApiError) return e;
  if (isBatchkitError(e)) {
    if (e.kind === 'input' || e.kind === 'not-found') return clientError(e.message);
    return serverError(`${e.code}: ${e.message}`, e);
  }
  const message = e instanceof Error ? e.message : String(e);
  return serverError(`Internal error in the local Batch API: ${message}`, e);
}
