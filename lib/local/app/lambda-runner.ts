/**
 * Runs the app's Lambda functions on this host: each invocation is a child process of the host's
 * `node` (Node.js runtimes) or `python3` (Python runtimes) running a small bootstrap
 * (lambda-bootstrap.ts) that loads the function's handler from its code, with the function's
 * environment, timeout (the child is killed, as Lambda does: "Task timed out after N seconds") and a
 * Lambda-shaped context. Invocations are bounded in concurrency (a FIFO queue) and time.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { LambdaFunctionModel } from '../../core/model/app';
import { NODE_BOOTSTRAP, PYTHON_BOOTSTRAP } from './lambda-bootstrap';

/** How an invocation ended. */
export type InvocationStatus = 'Succeeded' | 'Failed' | 'TimedOut';

/** One invocation of a function (one attempt). */
export interface InvocationRecord {
  /** Lambda request id (UUID). */
  readonly requestId: string;
  /** Function name. */
  readonly functionName: string;
  /** Logical id of the function. */
  readonly logicalId: string;
  /** What invoked it: `rule <name>`, `sns <topic>`, `execution <name>`. */
  readonly trigger: string;
  /** 1 for the first attempt, 2 and 3 for the retries of an asynchronous invocation. */
  readonly attempt: number;
  /** Epoch ms. */
  readonly startedAt: number;
  /** Epoch ms. */
  readonly endedAt: number;
  /** Outcome. */
  readonly status: InvocationStatus;
  /** The handler's return value (Succeeded). */
  readonly result?: unknown;
  /** The error (Failed, TimedOut). */
  readonly error?: { readonly errorType: string; readonly errorMessage: string };
  /** The function's log: START, its stdout/stderr lines, END, REPORT. */
  readonly logs: string;
}

/** A line a running function wrote. */
export interface FunctionLogLine {
  /** Function name. */
  readonly functionName: string;
  /** Request id. */
  readonly requestId: string;
  /** stdout or stderr. */
  readonly stream: 'stdout' | 'stderr';
  /** The line. */
  readonly message: string;
}

/** Options of {@link LambdaRunner}. */
export interface LambdaRunnerOptions {
  /** Directory for the bootstraps, inline code and per-invocation files. */
  readonly workDir: string;
  /** Region and account of ARNs and `AWS_REGION`. */
  readonly env: { readonly region: string; readonly account: string };
  /** Invocations running at once. @default 2 */
  readonly maxConcurrency?: number;
  /** Receives each line a function writes, as it is written. @default - none */
  readonly onLog?: (line: FunctionLogLine) => void;
  /** The Node.js binary. @default - the one running batchkit */
  readonly nodeBinary?: string;
  /** The Python binary. @default 'python3' */
  readonly pythonBinary?: string;
}

const MAX_LOG_BYTES = 1024 * 1024;

/** `node` or `python` for a Lambda runtime identifier, undefined when it cannot run on this host. */
export function hostLanguage(runtime: string | undefined): 'node' | 'python' | undefined {
  if (runtime?.startsWith('nodejs')) return 'node';
  if (runtime?.startsWith('python')) return 'python';
  return undefined;
}

/** Runs functions on the host, FIFO, at most `maxConcurrency` at a time. */
export class LambdaRunner {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly bootstraps: { node: string; python: string };
  private readonly written = new Set<string>();

  constructor(private readonly options: LambdaRunnerOptions) {
    mkdirSync(options.workDir, { recursive: true, mode: 0o700 });
    this.bootstraps = {
      node: path.join(options.workDir, 'bootstrap.cjs'),
      python: path.join(options.workDir, 'bootstrap.py'),
    };
  }

  /** Invokes `fn` once with `event`; resolves with the record (never rejects for a function error). */
  async invoke(fn: LambdaFunctionModel, event: unknown, trigger: string, attempt = 1): Promise<InvocationRecord> {
    await this.slot();
    try {
      return await this.run(fn, event, trigger, attempt);
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  private slot(): Promise<void> {
    if (this.running < (this.options.maxConcurrency ?? 2)) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      this.waiting.push(() => {
        this.running++;
        resolve();
      }),
    );
  }

  private failed(
    fn: LambdaFunctionModel,
    trigger: string,
    attempt: number,
    errorType: string,
    errorMessage: string,
  ): InvocationRecord {
    const now = Date.now();
    return {
      requestId: randomUUID(),
      functionName: fn.functionName,
      logicalId: fn.logicalId,
      trigger,
      attempt,
      startedAt: now,
      endedAt: now,
      status: 'Failed',
      error: { errorType, errorMessage },
      logs: '',
    };
  }

  /** The code directory of `fn`, writing inline code to a file first. */
  private codeDir(fn: LambdaFunctionModel, lang: 'node' | 'python'): string | { error: string } {
    const code = fn.code;
    if (code.kind === 'directory') return code.path;
    if (code.kind === 'inline') {
      const dir = path.join(this.options.workDir, 'inline', `${fn.stack}-${fn.logicalId}`);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      writeFileSync(path.join(dir, lang === 'node' ? 'index.js' : 'index.py'), code.source, { mode: 0o600 });
      return dir;
    }
    if (code.kind === 'zip')
      return {
        error:
          `its code is a zip file (${code.path}); batchkit runs directory assets ` +
          `and inline code (Code.fromAsset(directory), Code.fromInline)`,
      };
    return { error: code.reason };
  }

  private run(fn: LambdaFunctionModel, event: unknown, trigger: string, attempt: number): Promise<InvocationRecord> {
    const lang = hostLanguage(fn.runtime);
    if (!lang)
      return Promise.resolve(
        this.failed(
          fn,
          trigger,
          attempt,
          'Runtime.Unsupported',
          `runtime ${fn.runtime ?? '(none: an image function)'} of ` +
            `${fn.functionName} does not run locally; batchkit runs nodejs* and python* runtimes`,
        ),
      );
    const dir = this.codeDir(fn, lang);
    if (typeof dir !== 'string')
      return Promise.resolve(
        this.failed(fn, trigger, attempt, 'Runtime.CodeUnavailable', `${fn.functionName}: ${dir.error}`),
      );
    const bootstrap = this.bootstraps[lang];
    if (!this.written.has(lang)) {
      writeFileSync(bootstrap, lang === 'node' ? NODE_BOOTSTRAP : PYTHON_BOOTSTRAP, { mode: 0o600 });
      this.written.add(lang);
    }
    const requestId = randomUUID();
    const scratch = path.join(this.options.workDir, 'invocations', requestId);
    mkdirSync(scratch, { recursive: true, mode: 0o700 });
    const eventFile = path.join(scratch, 'event.json');
    const resultFile = path.join(scratch, 'result.json');
    writeFileSync(eventFile, JSON.stringify(event ?? null), { mode: 0o600 });
    const startedAt = Date.now();
    const timeoutMs = fn.timeoutSeconds * 1000;
    const { region } = this.options.env;
    const day = new Date(startedAt).toISOString().slice(0, 10).replace(/-/g, '/');
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      LANG: 'en_US.UTF-8',
      TZ: ':UTC',
      ...fn.environment,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMiB),
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.functionName}`,
      AWS_LAMBDA_LOG_STREAM_NAME: `${day}/[$LATEST]${requestId.replace(/-/g, '')}`,
      AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime ?? ''}`,
      LAMBDA_TASK_ROOT: dir,
      _HANDLER: fn.handler ?? '',
      BATCHKIT_LAMBDA_TASK_ROOT: dir,
      BATCHKIT_LAMBDA_HANDLER: fn.handler ?? '',
      BATCHKIT_LAMBDA_EVENT_FILE: eventFile,
      BATCHKIT_LAMBDA_RESULT_FILE: resultFile,
      BATCHKIT_LAMBDA_DEADLINE: String(startedAt + timeoutMs),
      BATCHKIT_LAMBDA_REQUEST_ID: requestId,
      BATCHKIT_LAMBDA_ARN: fn.arn,
    };
    const argv =
      lang === 'node'
        ? {
            bin: this.options.nodeBinary ?? process.execPath,
            args: [`--max-old-space-size=${Math.max(16, Math.floor(fn.memoryMiB * 0.9))}`, bootstrap],
          }
        : { bin: this.options.pythonBinary ?? 'python3', args: ['-u', bootstrap] };
    const logs: string[] = [`START RequestId: ${requestId} Version: $LATEST`];
    let logBytes = 0;
    const onLog = this.options.onLog;
    return new Promise((resolve) => {
      const child = spawn(argv.bin, argv.args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, timeoutMs);
      const tap = (stream: 'stdout' | 'stderr') => {
        let partial = '';
        return (chunk: Buffer) => {
          const lines = (partial + chunk.toString('utf8')).split('\n');
          partial = lines.pop() ?? '';
          for (const message of lines) emit(stream, message);
        };
      };
      const emit = (stream: 'stdout' | 'stderr', message: string) => {
        if (logBytes < MAX_LOG_BYTES) {
          logs.push(message);
          logBytes += message.length + 1;
        }
        onLog?.({ functionName: fn.functionName, requestId, stream, message });
      };
      child.stdout.on('data', tap('stdout'));
      child.stderr.on('data', tap('stderr'));
      let finished = false;
      const finish = (spawnError?: Error) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        const endedAt = Date.now();
        let outcome: Pick<InvocationRecord, 'status' | 'result' | 'error'>;
        if (spawnError) {
          outcome = {
            status: 'Failed',
            error: {
              errorType: 'Runtime.HostBinaryMissing',
              errorMessage: `${argv.bin} could not be started (${spawnError.message}); install it or put it on PATH`,
            },
          };
        } else if (timedOut) {
          outcome = {
            status: 'TimedOut',
            error: {
              errorType: 'Sandbox.Timedout',
              errorMessage: `Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`,
            },
          };
        } else {
          outcome = readResult(resultFile);
        }
        const ms = endedAt - startedAt;
        if (timedOut)
          logs.push(
            `${new Date(endedAt).toISOString()} ${requestId} Task timed out after ` +
              `${fn.timeoutSeconds.toFixed(2)} seconds`,
          );
        logs.push(
          `END RequestId: ${requestId}`,
          `REPORT RequestId: ${requestId}\tDuration: ${ms} ms\tBilled Duration: ` +
            `${ms} ms\tMemory Size: ${fn.memoryMiB} MB`,
        );
        rmSync(scratch, { recursive: true, force: true });
        resolve({
          requestId,
          functionName: fn.functionName,
          logicalId: fn.logicalId,
          trigger,
          attempt,
          startedAt,
          endedAt,
          ...outcome,
          logs: logs.join('\n'),
        });
      };
      child.once('error', (e) => finish(e));
      child.once('close', () => finish());
    });
  }
}

function readResult(file: string): Pick<InvocationRecord, 'status' | 'result' | 'error'> {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return {
      status: 'Failed',
      error: {
        errorType: 'Runtime.ExitError',
        errorMessage: 'the function process exited without a result (crashed or out of memory)',
      },
    };
  }
  const o = (doc ?? {}) as { result?: unknown; errorType?: unknown; errorMessage?: unknown };
  if (typeof o.errorType === 'string')
    return { status: 'Failed', error: { errorType: o.errorType, errorMessage: String(o.errorMessage ?? '') } };
  return { status: 'Succeeded', result: o.result ?? null };
}
