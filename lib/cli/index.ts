/**
 * The `batchkit` command. One place turns errors into exit codes; stacks only with `--debug`.
 */
import { Command, CommanderError } from 'commander';
import { isBatchkitError } from '../core/errors';
import { EXIT } from './exit';
import { registerValidate } from './validate';
import { registerLocal } from './local';
import { registerProvision } from './provision';
import { stopSignalReceived } from './local/stop-signal';
import { packageVersion } from './version';

export { EXIT } from './exit';

/** What a command handler returns: its exit code. */
export type CommandResult = number;

/** Builds the program. Each command sets `process.exitCode` through {@link cli}'s single exit path. */
export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command();
  program
    .name('batchkit')
    .description('Describe, check, run locally and deploy AWS Batch infrastructure')
    .version(packageVersion(), '-V, --version', 'print the version of batchkit')
    .option('--debug', 'print stack traces of errors')
    .showHelpAfterError()
    .exitOverride();
  registerValidate(program, setExit);
  registerLocal(program, setExit);
  registerProvision(program, setExit);
  return program;
}

/** Runs the CLI with `argv` (default `process.argv`) and sets `process.exitCode`. */
export async function cli(argv: string[] = process.argv): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram((c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv);
  } catch (e) {
    code = errorExitCode(e, argv.includes('--debug'));
  }
  process.exitCode = code;
  // Stopped by a signal: the store is closed; connections to containers left running must not keep the process alive.
  if (stopSignalReceived() !== undefined) process.exit(code);
  return code;
}

function errorExitCode(e: unknown, debug: boolean): number {
  if (e instanceof CommanderError) {
    // commander has already printed usage errors and help.
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.help' || e.code === 'commander.version') {
      return EXIT.ok;
    }
    return EXIT.input;
  }
  if (isBatchkitError(e)) {
    process.stderr.write(`batchkit: error ${e.code}: ${e.message}\n`);
    if (debug && e.stack) process.stderr.write(`${e.stack}\n`);
    switch (e.kind) {
      case 'input':
      case 'not-found':
        return EXIT.input;
      case 'environment':
        return EXIT.environment;
      default:
        return EXIT.internal;
    }
  }
  const err = e instanceof Error ? e : new Error(String(e));
  process.stderr.write(`batchkit: internal error: ${err.message}\n`);
  process.stderr.write(debug && err.stack ? `${err.stack}\n` : 'Run again with --debug for the stack trace.\n');
  return EXIT.internal;
}
