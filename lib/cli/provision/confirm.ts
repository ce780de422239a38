/**
 * The confirmation question of `batchkit apply` and `batchkit destroy`: asked on stderr when stdin
 * is a terminal, skipped with `--yes`, and refused (nothing changed, exit 2) when stdin is not a
 * terminal and `--yes` was not given, so CI never hangs on a question nobody sees.
 */
import { createInterface } from 'node:readline';
import { BatchkitError } from '../../core/errors';
import type { Confirm } from '../../provisioner/apply/apply';

/** What the question reads from and writes to. */
export interface ConfirmStreams {
  /** Where the answer comes from. */
  readonly input: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  /** Where the question goes. */
  readonly output: NodeJS.WritableStream;
}

/** True for the answers that mean yes: `y` and `yes`, any case, surrounding blanks ignored. */
export function isYes(answer: string): boolean {
  return /^(y|yes)$/i.test(answer.trim());
}

function ask(prompt: string, streams: ConfirmStreams): Promise<boolean> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: streams.input, output: streams.output, terminal: true });
    let answered = false;
    // End of input (Ctrl-D) or Ctrl-C is a no.
    rl.on('SIGINT', () => rl.close());
    rl.on('close', () => {
      if (answered) return;
      answered = true;
      streams.output.write('\n');
      resolve(false);
    });
    rl.question(prompt, (answer) => {
      answered = true;
      rl.close();
      resolve(isYes(answer));
    });
  });
}

/**
 * The {@link Confirm} of a command: always yes with `--yes`; otherwise asks `<question> [y/N]` on a
 * terminal and throws a {@link BatchkitError} (kind `input`, exit 2) when stdin is not one.
 */
export function cliConfirm(
  command: 'apply' | 'destroy',
  yes: boolean | undefined,
  streams: ConfirmStreams = { input: process.stdin, output: process.stderr },
): Confirm {
  if (yes) return async () => true;
  return async (question) => {
    if (!streams.input.isTTY) {
      throw new BatchkitError(
        'BATCHKIT-CLI-PROVISION-005',
        'input',
        `batchkit ${command} has changes to make, but stdin is not a terminal, ` +
          `so it cannot ask "${question}"; nothing was changed.`,
        {
          fix:
            `pass --yes to ${command} without asking (CI, scripts), or run the ` +
            `command in a terminal and answer y.`,
        },
      );
    }
    return ask(`${question} [y/N] `, streams);
  };
}
