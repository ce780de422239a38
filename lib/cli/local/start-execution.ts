/**
 * `batchkit local start-execution`: runs one execution of a state machine of the app on the local
 * executor (Batch jobs on Docker, Lambda functions on the host, SNS/SQS into the outbox), printing
 * its state transitions on stderr as they happen and its output on stdout. It then waits for the jobs
 * the execution submitted and for the rule targets they trigger, prints the summary, and exits 0
 * when the execution SUCCEEDED, 1 when it did not, 2 on bad input, 3 when Docker is unreachable.
 */
import { readFileSync } from 'fs';
import type { Command } from 'commander';
import { BatchkitError } from '../../core/errors';
import { isJobStateChangeEvent } from '../../core/model/events';
import { findStateMachine } from '../../local/app/step-functions';
import { EXIT } from '../exit';
import { appSummary, createApp, loadApp, settle } from './app-session';
import { followLogs } from './run-wait';
import { loadModel, openSession, type SessionOptions } from './session';
import { stackOption } from '../options';
import { DEFAULT_APP, DEFAULT_STORE } from '../defaults';

/** Flags of `batchkit local start-execution`. */
interface StartExecutionOptions extends SessionOptions {
  stateMachine: string;
  input?: string;
  follow?: boolean;
  rules?: boolean;
}

/** Adds `start-execution` to the `local` command. */
export function registerStartExecution(local: Command, setExit: (code: number) => void): void {
  local
    .command('start-execution')
    .description("Run an execution of one of the app's Step Functions state machines locally and wait for it")
    .requiredOption('--state-machine <ref>', 'state machine: name, ARN, logical id or construct path')
    .option('--input <json|@file>', 'execution input: JSON text, or @path of a JSON file', '{}')
    .option('--app <path>', 'cloud assembly directory or template file', DEFAULT_APP)
    .addOption(stackOption())
    .option('--follow', 'print the log lines of jobs and functions on stdout as they are written')
    .option('--no-rules', "do not run the app's EventBridge rules and their targets")
    .option('--secrets <file.json>', 'secret values by valueFrom (never printed)')
    .option('--events <file.jsonl>', 'append each job event as a JSON line to this file')
    .option('--time-scale <n>', 'local only: run timers n times faster')
    .option('--max-vcpus <n>', 'cap on vCPUs of every compute environment (default: this host)')
    .option('--max-memory <MiB>', 'cap on memory of every compute environment (default: this host)')
    .option('--store <dir>', 'job store directory', DEFAULT_STORE)
    .option('--json', 'print the execution record (status, output, history) as JSON on stdout')
    .action(async (opts: StartExecutionOptions) => {
      setExit(await startExecution(opts));
    });
}

/** The execution input of `--input`: JSON text or `@file`. */
export function parseInput(value: string | undefined): unknown {
  const raw = value ?? '{}';
  let text = raw;
  if (raw.startsWith('@')) {
    try {
      text = readFileSync(raw.slice(1), 'utf8');
    } catch {
      throw new BatchkitError(
        'BATCHKIT-CLI-LOCAL-020',
        'input',
        `--input ${raw}: the file ${raw.slice(1)} cannot be read.`,
        { fix: 'check the path after @.' },
      );
    }
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new BatchkitError(
      'BATCHKIT-CLI-LOCAL-021',
      'input',
      `--input ${raw.length > 60 ? `${raw.slice(0, 60)}…` : raw}: not valid JSON (${(e as Error).message}).`,
      {
        fix: `pass JSON, e.g. --input '{"key": "value"}', or --input @input.json.`,
      },
    );
  }
}

async function startExecution(opts: StartExecutionOptions): Promise<number> {
  const err = process.stderr;
  const input = parseInput(opts.input);
  const model = loadModel(opts, true);
  // The state machine is found (or the command stops with exit 2) before Docker is asked.
  const appModel = loadApp(opts);
  const machine = findStateMachine(appModel.stateMachines, opts.stateMachine);
  const session = await openSession(opts, model, (line) => err.write(`${line}\n`));
  const { executor } = session;
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const app = createApp(
    opts,
    appModel,
    executor,
    model.environment,
    (line) => err.write(`${line}\n`),
    opts.follow ? out : undefined,
  );
  const stopLogs = opts.follow ? followLogs(executor, process.stdout) : () => undefined;
  const stopEvents = executor.onEvent((e) => {
    if (
      isJobStateChangeEvent(e) &&
      (e.detail.status === 'SUCCEEDED' || e.detail.status === 'FAILED') &&
      e.detail.arrayProperties?.index === undefined
    ) {
      err.write(
        `job ${e.detail.jobName} (${e.detail.jobId}) ${e.detail.status}` +
          `${e.detail.status === 'FAILED' && e.detail.statusReason ? `: ${e.detail.statusReason}` : ''}\n`,
      );
    }
  });
  try {
    const t0 = Date.now();
    const started = app.stepFunctions().start(machine, input, 'cli', (e) => {
      const at = ((e.timestamp - t0) / 1000).toFixed(2).padStart(7);
      const cause = e.cause && e.cause.length > 300 ? `${e.cause.slice(0, 300)}…` : e.cause;
      const error = e.error ? ` ${e.error}${cause ? `: ${cause}` : ''}` : '';
      err.write(`${at}s ${e.type}${e.state ? ` ${e.state}` : ''}${error}\n`);
    });
    err.write(`started execution ${started.name} of ${machine.name}\n`);
    const record = await started.done;
    await settle(app, executor);
    for (const line of appSummary(app)) err.write(`${line}\n`);
    if (opts.json) out(JSON.stringify(record, null, 2));
    else out(`${record.status}${record.output !== undefined ? ` ${JSON.stringify(record.output)}` : ''}`);
    if (record.status !== 'SUCCEEDED')
      err.write(
        `execution ${record.name} ${record.status}: ${record.error ?? ''}` +
          `${record.cause ? `: ${record.cause}` : ''}\n`,
      );
    return record.status === 'SUCCEEDED' ? EXIT.ok : EXIT.failed;
  } finally {
    stopEvents();
    stopLogs();
    app.close();
    await executor.close();
  }
}
