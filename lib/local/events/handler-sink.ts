/**
 * Invokes a local module's exported `handler(event, context)` for every event, the way EventBridge
 * invokes a Lambda function target.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BatchJobEvent } from '../../core/model/events';
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
export type LocalHandler = (event: BatchJobEvent, context: LocalLambdaContext) => unknown;

/** Error code of a handler module that cannot be loaded or exports no `handler` function. */
export const HANDLER_ERROR = 'BATCHKIT-LOCAL-502';

/** What a module may export: `handler`, or `default.handler` (an ES module transpiled to CommonJS). */
type HandlerModule = { handler?: unknown; default?: unknown };

/** The handler a loaded module exports, if any. */
function exportedHandler(mod: HandlerModule): LocalHandler | undefined {
  if (typeof mod.handler === 'function') return mod.handler as LocalHandler;
  const d = mod.default;
  if (d !== null && typeof d === 'object' && typeof (d as HandlerModule).handler === 'function')
    return (d as HandlerModule).handler as LocalHandler;
  return undefined;
}

/** Loads `modulePath` (relative to the working directory) and calls its `handler` per event. */
export class HandlerSink implements EventSink {
  readonly name: string;
  private readonly handler: LocalHandler;
  private readonly functionName: string;

  /**
   * @param modulePath a CommonJS module (compiled `.js`/`.cjs`) that exports `handler(event, context)`
   * @param arnPrefix region and account of `invokedFunctionArn` @default us-east-1, 123456789012
   * @param timeoutMs what `getRemainingTimeInMillis()` counts down from @default 30000
   * Throws a BatchkitError (input, {@link HANDLER_ERROR}) when the module does not exist, cannot be
   * loaded, or exports no `handler` function.
   */
  constructor(
    modulePath: string,
    private readonly arnPrefix: { region: string; account: string } = { region: 'us-east-1', account: '123456789012' },
    private readonly timeoutMs = 30_000,
  ) {
    const full = resolve(modulePath);
    this.name = `handler:${full}`;
    if (!existsSync(full)) {
      throw new BatchkitError(HANDLER_ERROR, 'input', `--on-event "${modulePath}": ${full} does not exist.`, {
        fix:
          'pass the path of a JavaScript module (compiled .js) that exports ' +
          'handler(event, context), relative to the working directory.',
      });
    }
    let mod: HandlerModule;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      mod = require(full) as HandlerModule;
    } catch (e) {
      throw new BatchkitError(
        HANDLER_ERROR,
        'input',
        `--on-event "${modulePath}" could not be loaded: ${(e as Error).message}.`,
        {
          fix:
            'pass a CommonJS module (compiled .js or .cjs, no TypeScript) that ' +
            'loads with require() and exports handler(event, context).',
          cause: e,
        },
      );
    }
    const handler = exportedHandler(mod);
    if (!handler) {
      throw new BatchkitError(
        HANDLER_ERROR,
        'input',
        `--on-event "${modulePath}": ${full} does not export a function named "handler".`,
        {
          fix: 'add `exports.handler = async (event, context) => { ... }`.',
        },
      );
    }
    this.handler = handler;
    this.functionName = full.replace(/^.*[\\/]/, '').replace(/\.[^.]+$/, '');
  }

  async deliver(event: BatchJobEvent): Promise<void> {
    const started = Date.now();
    const context: LocalLambdaContext = {
      functionName: this.functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn:
        `arn:aws:lambda:${this.arnPrefix.region}:` + `${this.arnPrefix.account}:function:${this.functionName}`,
      awsRequestId: randomUUID(),
      memoryLimitInMB: '128',
      getRemainingTimeInMillis: () => Math.max(0, this.timeoutMs - (Date.now() - started)),
    };
    await this.handler(JSON.parse(JSON.stringify(event)) as BatchJobEvent, context);
  }
}
