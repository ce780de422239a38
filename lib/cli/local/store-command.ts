/**
 * What the store commands (`local describe|list|logs|cancel|terminate`) share: their options, an
 * executor opened passively on the store, and the not-found error.
 */
import type { Command } from 'commander';
import { BatchkitError } from '../../core/errors';
import type { LocalExecutor } from '../../local/executor';
import { DEFAULT_STORE } from '../defaults';
import { loadModel, openSession, type CommonOptions } from './session';

/**
 * Runs `fn` on an executor opened passively on the store (it starts and re-attaches nothing, so a
 * `batchkit local run` may work on the same store meanwhile), and closes it.
 */
export async function withExecutor<T>(
  opts: CommonOptions,
  fn: (executor: LocalExecutor) => T | Promise<T>,
): Promise<T> {
  const session = await openSession(opts, loadModel(opts, false), (line) => process.stderr.write(`${line}\n`), true);
  try {
    return await fn(session.executor);
  } finally {
    await session.executor.close();
  }
}

/** Adds `--store`, `--app` and `--json`, the options of every store command. */
export function storeCommandOptions(cmd: Command): Command {
  return cmd
    .option('--store <dir>', 'job store directory', DEFAULT_STORE)
    .option('--app <path>', 'cloud assembly directory or template file (default: cdk.out when present)')
    .option('--json', 'print JSON on stdout');
}

/** The error for job ids the store does not hold. */
export function notFound(jobIds: readonly string[]): BatchkitError {
  return new BatchkitError('BATCHKIT-CLI-LOCAL-010', 'not-found', `no job ${jobIds.join(', ')} in the store.`, {
    fix: 'list the stored jobs with "batchkit local list --job-status <STATUS>", or pass --store <dir> of the run.',
  });
}
