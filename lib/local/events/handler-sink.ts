/**
 * Invokes a local module's exported `handler(event, context)` for every event, the way EventBridge
 * invokes a Lambda function target.
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { JobStateChangeEvent } from '../../core/model/events';
import { BatchkitError } from '../../core/errors';
import type { EventSink } from './sink';

/** The part of the Lambda context object handlers commonly read. */
export interface LocalLambdaContext {
  /** Function name: the module's file name. */
  readonly functionName: string;
  /** `$LATEST`. */
  readonly functionVersion: string;
  /** `arn:aws:lambda:<region>:<account>:function:<name>`. */
  readonly invokedFunctionArn: string;
  /** A new UUID per invocation. */
  readonly awsRequestId: string;
  /** Memory limit, as Lambda reports it. */
  readonly memoryLimitInMB: string;
  /** Time left: the sink's timeout minus the time spent. */
  getRemainingTimeInMillis(): number;
}

/** A handler function. */
export type LocalHandler = (event: JobStateChangeEvent, context: LocalLambdaContext) => unknown;

/** Loads `modulePath` (relative to the working directory) and calls its `handler` per event. */
export class HandlerSink implements EventSink {
  readonly name: string;
  private readonly handler: LocalHandler;
  private readonly functionName: string;

  /** Throws a BatchkitError (input) when the module cannot be loaded or exports no `handler` function. */
  constructor(
    modulePath: string,
    private readonly arnPrefix: { region: string; account: string } = { region: 'us-east-1', account: '123456789012' },
    private readonly timeoutMs = 30_000,
  ) {
    const full = resolve(modulePath);
    this.name = `handler:${full}`;
    let mod: { handler?: unknown };
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      mod = require(full) as { handler?: unknown };
    } catch (e) {
      throw new BatchkitError('BATCHKIT-LOCAL-502', 'input', `--on-event: cannot load ${full}: ${(e as Error).message}`, { fix: 'pass a JavaScript module path (compiled .js) that exports handler(event, context).', cause: e });
    }
    if (typeof mod.handler !== 'function') {
      throw new BatchkitError('BATCHKIT-LOCAL-502', 'input', `--on-event: ${full} does not export a function named "handler".`, { fix: 'add `exports.handler = async (event, context) => { ... }`.' });
    }
    this.handler = mod.handler as LocalHandler;
    this.functionName = full.replace(/^.*[\\/]/, '').replace(/\.[^.]+$/, '');
  }

  async deliver(event: JobStateChangeEvent): Promise<void> {
    const started = Date.now();
    const context: LocalLambdaContext = {
      functionName: this.functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:${this.arnPrefix.region}:${this.arnPrefix.account}:function:${this.functionName}`,
      awsRequestId: randomUUID(),
      memoryLimitInMB: '128',
      getRemainingTimeInMillis: () => Math.max(0, this.timeoutMs - (Date.now() - started)),
    };
    await this.handler(JSON.parse(JSON.stringify(event)) as JobStateChangeEvent, context);
  }
}
