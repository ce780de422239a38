/** `batchkit local executions`: the Step Functions executions run locally. */
import type { Command } from 'commander';
import { EXIT } from '../exit';
import { printRecords, recordOptions, storeOf, type RecordOptions } from './app-records';

/** Adds `executions` to the `local` command. */
export function registerExecutions(local: Command, setExit: (code: number) => void): void {
  const cmd = local
    .command('executions')
    .description('List the Step Functions executions run locally, with their status, output or error');
  recordOptions(cmd, 'print the records (with their history) as JSON').action((opts: RecordOptions) => {
    printRecords(opts, storeOf(opts).executions(), (r) => {
      const error = r.error ? `  ${r.error}` : '';
      const at = new Date(r.startDate).toISOString();
      return `${at}  ${r.name}  ${r.stateMachineArn}  ${r.status}${error}  (${r.startedBy})`;
    });
    setExit(EXIT.ok);
  });
}
