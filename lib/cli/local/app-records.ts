/**
 * `batchkit local invocations|executions|outbox`: what the app around the jobs did, read from the
 * store (`<store>/app/*.jsonl`) without starting anything: Lambda invocations with their result or
 * error (and `--logs`, their log), Step Functions executions with their history, and the outbox of SNS
 * and SQS messages. Data on stdout (`--json` for machines); exit 0.
 */
import * as path from 'path';
import type { Command } from 'commander';
import { AppStore } from '../../local/app/app-store';
import { EXIT } from '../exit';
import { DEFAULT_STORE } from '../defaults';

interface RecordOptions {
  store?: string;
  json?: boolean;
  function?: string;
  logs?: boolean;
}

function storeOf(opts: RecordOptions): AppStore {
  return new AppStore(path.resolve(opts.store ?? DEFAULT_STORE));
}

function print(opts: RecordOptions, records: unknown[], line: (r: never) => string): void {
  if (opts.json) process.stdout.write(`${JSON.stringify(records, null, 2)}\n`);
  else for (const r of records) process.stdout.write(`${line(r as never)}\n`);
}

/** Adds `invocations`, `executions` and `outbox` to the `local` command. */
export function registerAppRecords(local: Command, setExit: (code: number) => void): void {
  local
    .command('invocations')
    .description("List the Lambda invocations of the app's rules, subscriptions and executions (stored results, errors and logs)")
    .option('--function <name>', 'only this function')
    .option('--logs', "print each invocation's log")
    .option('--store <dir>', 'job store directory', DEFAULT_STORE)
    .option('--json', 'print the records as JSON')
    .action((opts: RecordOptions) => {
      const list = storeOf(opts).invocations(opts.function);
      print(opts, list, (r: (typeof list)[number]) => {
        const head = `${new Date(r.startedAt).toISOString()}  ${r.functionName}  ${r.requestId}  attempt ${r.attempt}  ${r.status}  ${r.endedAt - r.startedAt} ms  (${r.trigger})`;
        const what = r.error ? `  ${r.error.errorType}: ${r.error.errorMessage}` : `  ${JSON.stringify(r.result)}`;
        return opts.logs ? `${head}\n${what}\n${r.logs.replace(/^/gm, '    ')}` : `${head}\n${what}`;
      });
      setExit(EXIT.ok);
    });
  local
    .command('executions')
    .description('List the Step Functions executions run locally, with their status, output or error')
    .option('--store <dir>', 'job store directory', DEFAULT_STORE)
    .option('--json', 'print the records (with their history) as JSON')
    .action((opts: RecordOptions) => {
      const list = storeOf(opts).executions();
      print(opts, list, (r: (typeof list)[number]) => `${new Date(r.startDate).toISOString()}  ${r.name}  ${r.stateMachineArn}  ${r.status}${r.error ? `  ${r.error}` : ''}  (${r.startedBy})`);
      setExit(EXIT.ok);
    });
  local
    .command('outbox')
    .description('List the SNS and SQS messages the app sent locally')
    .option('--store <dir>', 'job store directory', DEFAULT_STORE)
    .option('--json', 'print the messages as JSON')
    .action((opts: RecordOptions) => {
      const list = storeOf(opts).messages();
      print(opts, list, (m: (typeof list)[number]) => `${m.time}  ${m.kind}  ${m.destination}  ${m.messageId}  (${m.from})\n  ${m.message}`);
      setExit(EXIT.ok);
    });
}
