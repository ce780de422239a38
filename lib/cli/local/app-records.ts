/**
 * What `batchkit local invocations|executions|outbox` share: they read what the app around the jobs
 * did from the store (`<store>/app/*.jsonl`) without starting anything, print data on stdout
 * (`--json` for machines) and exit 0.
 */
import * as path from 'path';
import type { Command } from 'commander';
import { AppStore } from '../../local/app/app-store';
import { DEFAULT_STORE } from '../defaults';

/** Options of the app record commands. */
export interface RecordOptions {
  store?: string;
  json?: boolean;
}

/** Adds `--store` and `--json` (with its description). */
export function recordOptions(cmd: Command, json: string): Command {
  return cmd.option('--store <dir>', 'job store directory', DEFAULT_STORE).option('--json', json);
}

/** The app records of `--store`. */
export function storeOf(opts: RecordOptions): AppStore {
  return new AppStore(path.resolve(opts.store ?? DEFAULT_STORE));
}

/** Prints the records: JSON with `--json`, else one text block per record. */
export function printRecords<T>(opts: RecordOptions, records: readonly T[], line: (r: T) => string): void {
  if (opts.json) process.stdout.write(`${JSON.stringify(records, null, 2)}\n`);
  else for (const r of records) process.stdout.write(`${line(r)}\n`);
}
