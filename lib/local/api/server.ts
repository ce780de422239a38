/**
 * The HTTP server of `batchkit local serve`: the AWS Batch restJson1 API over Node's `http`.
 * Requests are routed (`POST /v1/<operation>`, `/v1/tags/{resourceArn}`), their JSON bodies read
 * with a size limit, checked against the API model and run on a {@link LocalBatchApi}. Errors go
 * out as AWS sends them: `x-amzn-errortype` header and `{"__type", "message"}` body.
 *
 * SigV4 `Authorization` headers are accepted and not checked: the server is for local use only,
 * and binds to loopback unless the caller explicitly allows another address. Requests from web
 * pages (an `Origin`, a foreign `Host`, a body that is not JSON) are refused before their body is
 * read ({@link refusalOf}).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BatchkitError } from '../../core/errors';
import type { LocalBatchApi } from './batch-api';
import { isLoopback as isLoopbackAddress } from '../net/loopback';
import { type BatchApiError, clientError, toApiError } from './errors';
import { refusalOf, type RequestPolicy } from './request-guard';
import { isRoute, route } from './routes';
import { isPlainObject } from './shape';
import type { DashboardHandler } from '../ui/dashboard';

/** Largest request body accepted. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** Largest SubmitJob request (the Batch "job payload" quota, 30 KiB). */
export const MAX_SUBMIT_JOB_BYTES = 30 * 1024;
/** Bodies this much over the limit are not read to the end: the connection is closed. */
const DRAIN_LIMIT_FACTOR = 16;

/** `X-Amz-Target` prefix of CloudWatch Logs requests (awsJson1.1). */
export const LOGS_TARGET_PREFIX = 'Logs_20140328.';

/** An awsJson1.1 API served beside Batch (the CloudWatch Logs subset). */
export interface JsonTargetApi {
  /** Runs an operation; throws errors with `statusCode`, `type` and `body()`. */
  call(operation: string, input: unknown): unknown;
}

/** The APIs that answer one request (chosen by the region of its SigV4 credential scope). */
export interface RegionalApis {
  /** The Batch API. */
  readonly api: LocalBatchApi;
  /** The CloudWatch Logs API. @default - Logs requests are refused */
  readonly logs?: JsonTargetApi;
}

/** Options of {@link startBatchApiServer}. */
export interface BatchApiServerOptions {
  /** The API to serve. */
  readonly api: LocalBatchApi;
  /** The CloudWatch Logs subset served on the same port (`X-Amz-Target: Logs_20140328.*`). @default - none */
  readonly logs?: JsonTargetApi;
  /**
   * The APIs of the region a request is signed for (`Credential=AKID/date/REGION/service/aws4_request`);
   * unsigned requests get `api`/`logs`. @default - every request gets `api`/`logs`
   */
  readonly apisFor?: (region: string) => RegionalApis | Promise<RegionalApis>;
  /** Address to bind. @default '127.0.0.1' */
  readonly host?: string;
  /** Port; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** Allow a non-loopback `host` (the API has no authentication). @default false */
  readonly allowNonLoopback?: boolean;
  /** Largest request body in bytes. @default 1 MiB */
  readonly maxBodyBytes?: number;
  /**
   * Pages served beside the API (the dashboard, lib/local/ui/dashboard.ts): asked first for every
   * request, after the Host and Origin checks; undefined leaves the request to the API.
   * @default - no pages
   */
  readonly pages?: DashboardHandler;
  /** Called with every request and its outcome (for logs). @default - nothing */
  readonly onRequest?: (entry: { operation?: string; status: number; ms: number; error?: string }) => void;
}

/** A running server. */
export interface BatchApiServer {
  /** `http://host:port`. */
  readonly url: string;
  /** Bound address. */
  readonly host: string;
  /** Bound port. */
  readonly port: number;
  /** Stops accepting connections and closes idle ones. */
  close(): Promise<void>;
}

/** True for 127.0.0.0/8, ::1 (any spelling), IPv4-mapped loopback and localhost. */
export function isLoopback(host: string): boolean {
  return isLoopbackAddress(host);
}

/** Starts the server; resolves once it listens. */
export async function startBatchApiServer(options: BatchApiServerOptions): Promise<BatchApiServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host) && !options.allowNonLoopback) {
    throw new BatchkitError(
      'BATCHKIT-API-001',
      'input',
      `Refusing to serve the local Batch API on ${host}: it is not a loopback ` +
        `address, and the API accepts any credentials.`,
      { fix: 'use 127.0.0.1 (the default), or pass --host explicitly to accept connections from other machines.' },
    );
  }
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  // Set once the port is known, before the first request can be accepted.
  let policy: RequestPolicy = { port: -1 };
  const server = createServer((req, res) => {
    handle(options, policy, maxBody, req, res);
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException): void => {
      reject(
        new BatchkitError(
          'BATCHKIT-API-002',
          'environment',
          `Cannot listen on ${host}:${options.port ?? 0}: ${e.message}`,
          {
            fix:
              e.code === 'EADDRINUSE' ? 'choose another --port, or stop the process using it.' : 'check the address.',
          },
        ),
      );
    };
    server.once('error', onError);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', onError);
      policy = requestPolicy(host, (server.address() as AddressInfo).port);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}`,
    host: address.address,
    port: address.port,
    close: () => closeServer(server),
  };
}

/**
 * The Host names a server answers: loopback names always; a non-loopback address given explicitly (`--host`)
 * too, and any name when that address is a wildcard (0.0.0.0, ::), since the API is then open to
 * the network on purpose.
 */
function requestPolicy(host: string, port: number): RequestPolicy {
  // A non-loopback address is bound only when it was given explicitly (checked above).
  if (isLoopbackAddress(host)) return { port };
  return { port, hostNames: [host], anyHost: host === '0.0.0.0' || host === '::' || host === '[::]' };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

/** The region of a SigV4 `Authorization` header's credential scope, or undefined. */
export function signedRegion(authorization: string | undefined): string | undefined {
  const m = /Credential=[^/,\s]+\/\d{8}\/([a-z0-9-]+)\/[^/,\s]+\/aws4_request/.exec(authorization ?? '');
  return m?.[1];
}

function handle(
  options: BatchApiServerOptions,
  policy: RequestPolicy,
  maxBody: number,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const started = performance.now();
  const matched = route(req.method ?? 'GET', req.url ?? '/');
  const operation = isRoute(matched) ? matched.operation : undefined;
  const refusal = refusalOf(req.method ?? 'GET', req.headers, policy);
  if (refusal) {
    // Answered before the body is read, and the connection closed: nothing of it reaches an API.
    send(
      res,
      { status: refusal.status, type: refusal.type, body: { __type: refusal.type, message: refusal.message } },
      true,
    );
    req.resume();
    options.onRequest?.({ operation, status: refusal.status, ms: performance.now() - started, error: refusal.message });
    return;
  }
  const region = signedRegion(req.headers.authorization);
  const apisFor = options.apisFor;
  // Settled before the body is read to its end; a rejection (a bad region) is answered as the error.
  const apis: Promise<RegionalApis> =
    region && apisFor
      ? Promise.resolve().then(() => apisFor(region))
      : Promise.resolve({ api: options.api, logs: options.logs });
  apis.catch(() => undefined);
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string' && target.startsWith(LOGS_TARGET_PREFIX)) {
    handleJsonTarget(apis, target.slice(LOGS_TARGET_PREFIX.length), maxBody, req, res, options.onRequest);
    return;
  }
  // Pages come after the Host/Origin checks, so a page on another origin cannot read them either.
  const page = options.pages?.(req.method ?? 'GET', req.url ?? '/');
  if (page) {
    req.resume();
    res.writeHead(page.status, {
      'Content-Type': page.contentType,
      'Content-Length': Buffer.byteLength(page.body),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
    });
    res.end(req.method === 'HEAD' ? undefined : page.body);
    return;
  }
  const limit = operation === 'SubmitJob' ? Math.min(maxBody, MAX_SUBMIT_JOB_BYTES) : maxBody;
  const chunks: string[] = [];
  let size = 0;
  let tooLarge = false;
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => {
    size += Buffer.byteLength(chunk);
    if (size > limit) {
      tooLarge = true;
      chunks.length = 0;
      if (size > limit * DRAIN_LIMIT_FACTOR) {
        send(res, errorOf(clientError(bodyTooLarge(operation, size, limit))), true);
        req.destroy();
      }
      return;
    }
    chunks.push(chunk);
  });
  req.on('error', () => {
    if (!res.headersSent) send(res, errorOf(clientError('The request body could not be read.')), true);
  });
  req.on('end', () => {
    void apis.then(
      (a) => finish(a),
      (e: unknown) => finish(undefined, e),
    );
  });
  const finish = (a: RegionalApis | undefined, regionError?: unknown): void => {
    if (res.headersSent) return;
    let outcome: Outcome;
    if (!a) {
      outcome = errorOf(toApiError(regionError));
    } else if (!isRoute(matched)) {
      outcome = {
        status: matched.status,
        type: matched.status === 404 ? 'UnknownOperationException' : 'ClientException',
        body: {
          __type: matched.status === 404 ? 'UnknownOperationException' : 'ClientException',
          message: matched.message,
        },
      };
    } else if (tooLarge) {
      outcome = errorOf(clientError(bodyTooLarge(operation, size, limit)));
    } else {
      outcome = run(a.api, matched.operation, matched.bound, chunks.join(''));
    }
    send(res, outcome, false);
    options.onRequest?.({
      operation,
      status: outcome.status,
      ms: performance.now() - started,
      error: outcome.type ? String((outcome.body as { message?: string }).message) : undefined,
    });
  };
}

interface Outcome {
  readonly status: number;
  readonly type?: string;
  readonly body: unknown;
  /** @default 'application/json' */
  readonly contentType?: string;
}

/** An awsJson1.1 request (`POST /`, the operation in `X-Amz-Target`), answered in that protocol. */
function handleJsonTarget(
  apis: Promise<RegionalApis>,
  operation: string,
  maxBody: number,
  req: IncomingMessage,
  res: ServerResponse,
  onRequest: BatchApiServerOptions['onRequest'],
): void {
  const started = performance.now();
  const contentType = 'application/x-amz-json-1.1';
  const fail = (status: number, type: string, message: string): Outcome => ({
    status,
    type,
    contentType,
    body: { __type: type, message },
  });
  const chunks: string[] = [];
  let size = 0;
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => {
    size += Buffer.byteLength(chunk);
    if (size <= maxBody) chunks.push(chunk);
    else if (size > maxBody * DRAIN_LIMIT_FACTOR) {
      send(res, fail(400, 'InvalidParameterException', `The request body is larger than ${maxBody} bytes.`), true);
      req.destroy();
    }
  });
  req.on('end', () => {
    void apis.then(
      (a) => finish(a.logs),
      (e: unknown) => finish(undefined, e),
    );
  });
  const finish = (api: JsonTargetApi | undefined, regionError?: unknown): void => {
    if (res.headersSent) return;
    let outcome: Outcome;
    if (regionError !== undefined)
      outcome = fail(
        400,
        'InvalidParameterException',
        regionError instanceof Error ? regionError.message : String(regionError),
      );
    else if (!api)
      outcome = fail(400, 'UnknownOperationException', `${LOGS_TARGET_PREFIX}${operation} is not served here.`);
    else if (req.method !== 'POST')
      outcome = fail(400, 'InvalidParameterException', `${operation} takes POST /, not ${req.method}.`);
    else if (size > maxBody)
      outcome = fail(
        400,
        'InvalidParameterException',
        `The request body is larger than ${maxBody} bytes. Fix: send a smaller request.`,
      );
    else {
      try {
        const text = chunks.join('').trim();
        let input: unknown = {};
        try {
          input = text ? JSON.parse(text) : {};
        } catch (e) {
          throw Object.assign(
            new Error(`The request body of ${operation} is not valid JSON (${(e as Error).message}).`),
            { statusCode: 400, type: 'SerializationException' },
          );
        }
        outcome = { status: 200, contentType, body: api.call(operation, input) ?? {} };
      } catch (e) {
        const err = e as { statusCode?: number; type?: string; message?: string };
        outcome = fail(err.statusCode ?? 500, err.type ?? 'ServiceUnavailableException', err.message ?? String(e));
      }
    }
    send(res, outcome, false);
    onRequest?.({
      operation,
      status: outcome.status,
      ms: performance.now() - started,
      error: outcome.type ? String((outcome.body as { message?: string }).message) : undefined,
    });
  };
}

function run(api: LocalBatchApi, operation: string, bound: Readonly<Record<string, unknown>>, raw: string): Outcome {
  try {
    let input: unknown = {};
    const text = raw.trim();
    if (text.length > 0) {
      try {
        input = JSON.parse(text);
      } catch (e) {
        throw clientError(
          `The request body of ${operation} is not valid JSON (` + `${(e as Error).message}). Fix: send a JSON object.`,
        );
      }
    }
    if (Object.keys(bound).length > 0) {
      if (!isPlainObject(input)) throw clientError(`The request body of ${operation} must be a JSON object.`);
      input = { ...input, ...bound };
    }
    return { status: 200, body: api.call(operation, input) ?? {} };
  } catch (e) {
    return errorOf(toApiError(e));
  }
}

function errorOf(e: BatchApiError): Outcome {
  return { status: e.statusCode, type: e.type, body: e.body() };
}

function bodyTooLarge(operation: string | undefined, size: number, limit: number): string {
  const quota = operation === 'SubmitJob' ? ' (the SubmitJob job payload quota is 30 KiB)' : '';
  return (
    `The request body of ${operation ?? 'the request'} is ${size} bytes or more; ` +
    `at most ${limit} bytes are accepted${quota}. Fix: send a smaller request.`
  );
}

function send(res: ServerResponse, outcome: Outcome, close: boolean): void {
  if (res.headersSent) return;
  let payload: string;
  try {
    payload = JSON.stringify(outcome.body);
  } catch (e) {
    // A response that cannot be serialized is a server fault, answered as such rather than crashing.
    const fault = errorOf(toApiError(e));
    send(res, fault, close);
    return;
  }
  const headers: Record<string, string | number> = {
    'Content-Type': outcome.contentType ?? 'application/json',
    'Content-Length': Buffer.byteLength(payload),
    'x-amzn-requestid': randomUUID(),
  };
  if (outcome.type) headers['x-amzn-errortype'] = outcome.type;
  if (close) headers.Connection = 'close';
  res.writeHead(outcome.status, headers);
  res.end(payload);
}
