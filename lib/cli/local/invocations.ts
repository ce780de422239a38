/** `batchkit local invocations`: the Lambda invocations of the app's rules, subscriptions and executions. */
import type { Command } from 'commander';
import { EXIT } from '../exit';
import { printRecords, recordOptions, storeOf, type RecordOptions } from './app-records';

interface InvocationOptions extends RecordOptions {
  function?: string;
  logs?: boolean;
}

/** Adds `invocations` to the `local` command. */
export function registerInvocations(local: Command, setExit: (code: number) => void): void {
  const cmd = local
    .command('invocations')
    .description(
      "List the Lambda invocations of the app's rules, subscriptions and executions (stored results, errors and logs)",
    )
    .option('--function <name>', 'only this function')
    .option('--logs', "print each invocation's log");
  recordOptions(cmd, 'print the records as JSON').action((opts: InvocationOptions) => {
    printRecords(opts, storeOf(opts).invocations(opts.function), (r) => {
      const took = `${r.endedAt - r.startedAt} ms`;
      const at = new Date(r.startedAt).toISOString();
      const attempt = `attempt ${r.attempt}`;
      const head = `${at}  ${r.functionName}  ${r.requestId}  ${attempt}  ${r.status}  ${took}  (${r.trigger})`;
      const what = r.error ? `  ${r.error.errorType}: ${r.error.errorMessage}` : `  ${JSON.stringify(r.result)}`;
      return opts.logs ? `${head}\n${what}\n${r.logs.replace(/^/gm, '    ')}` : `${head}\n${what}`;
    });
    setExit(EXIT.ok);
  });
}
