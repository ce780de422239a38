/** `batchkit local outbox`: the SNS and SQS messages the app sent locally. */
import type { Command } from 'commander';
import { EXIT } from '../exit';
import { printRecords, recordOptions, storeOf, type RecordOptions } from './app-records';

/** Adds `outbox` to the `local` command. */
export function registerOutbox(local: Command, setExit: (code: number) => void): void {
  const cmd = local.command('outbox').description('List the SNS and SQS messages the app sent locally');
  recordOptions(cmd, 'print the messages as JSON').action((opts: RecordOptions) => {
    printRecords(
      opts,
      storeOf(opts).messages(),
      (m) => `${m.time}  ${m.kind}  ${m.destination}  ${m.messageId}  (${m.from})\n  ${m.message}`,
    );
    setExit(EXIT.ok);
  });
}
