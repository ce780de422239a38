/**
 * The event destinations `batchkit local run` offers: a JSON lines file, a webhook on loopback and
 * a local handler module invoked like a Lambda function with each event.
 */
import { appendFileSync, mkdirSync } from 'fs';
import { request } from 'http';
import * as path from 'path';
import { BatchkitError } from '../../core/errors';
import type { JobStateChangeEvent } from '../../core/model/events';
import type { EventSink } from '../../local/events/sink';

/** Appends each event as one JSON line to `file`. */
export function jsonLinesSink(file: string): EventSink {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  return {
    name: `jsonl:${file}`,
    deliver: (event) => appendFileSync(file, `${JSON.stringify(event)}\n`),
  };
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** POSTs each event as JSON to `url`, which must be an http URL on loopback. */
export function webhookSink(url: string): EventSink {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new BatchkitError('BATCHKIT-CLI-LOCAL-005', 'input', `--webhook "${url}" is not a URL.`, {
      fix: 'pass e.g. --webhook http://127.0.0.1:9000/events',
    });
  }
  if (parsed.protocol !== 'http:' || !(LOOPBACK.has(parsed.hostname) || /^127\.\d+\.\d+\.\d+$/.test(parsed.hostname))) {
    throw new BatchkitError(
      'BATCHKIT-CLI-LOCAL-005',
      'input',
      `--webhook "${url}" must be an http:// URL on this machine (127.0.0.0/8, localhost or [::1]).`,
      { fix: 'run the receiver locally and pass e.g. --webhook http://127.0.0.1:9000/events' },
    );
  }
  return {
    name: `webhook:${url}`,
    deliver: (event) =>
      new Promise<void>((resolve, reject) => {
        const body = JSON.stringify(event);
        const req = request(
          parsed,
          { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, timeout: 10_000 },
          (res) => {
            res.resume();
            res.on('end', () =>
              (res.statusCode ?? 500) < 300 ? resolve() : reject(new Error(`webhook answered HTTP ${res.statusCode}`)),
            );
          },
        );
        req.on('timeout', () => req.destroy(new Error('webhook did not answer within 10 s')));
        req.on('error', reject);
        req.end(body);
      }),
  };
}

/** What a handler module exports: `handler(event, context)`, like a Lambda function. */
type Handler = (event: JobStateChangeEvent, context: { functionName: string; awsRequestId: string }) => unknown;

/** Calls the `handler` export of module `modulePath` with each event. */
export function handlerSink(modulePath: string): EventSink {
  const resolved = path.resolve(modulePath);
  let mod: { handler?: unknown; default?: { handler?: unknown } };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(resolved) as typeof mod;
  } catch (cause) {
    throw new BatchkitError('BATCHKIT-CLI-LOCAL-006', 'input', `--on-event "${modulePath}" could not be loaded: ${(cause as Error).message}.`, {
      fix: 'pass a JavaScript module that exports handler(event, context), e.g. exports.handler = async (event) => {...}',
      cause,
    });
  }
  const handler = (typeof mod.handler === 'function' ? mod.handler : mod.default?.handler) as Handler | undefined;
  if (typeof handler !== 'function') {
    throw new BatchkitError('BATCHKIT-CLI-LOCAL-006', 'input', `--on-event "${modulePath}" does not export a function named handler.`, {
      fix: 'export it: exports.handler = async (event, context) => {...}',
    });
  }
  const functionName = path.basename(resolved).replace(/\.[cm]?js$/, '');
  return {
    name: `handler:${modulePath}`,
    deliver: async (event) => {
      await handler(event, { functionName, awsRequestId: event.id });
    },
  };
}
