/**
 * The docker command-line client, run as a child process for `build`, `login`, `tag` and `push`
 * (the provisioner does not talk to the engine's API itself). A secret is written to the
 * command's stdin, never to its argv, and is masked in everything kept of the output.
 */
import { spawn } from 'node:child_process';

/** How the docker CLI is run. */
export interface DockerCliOptions {
  /**
   * The docker executable.
   * @default 'docker' (found on PATH)
   */
  readonly command?: string;
  /**
   * Environment of the docker commands, e.g. with `DOCKER_CONFIG` set to keep the registry login
   * out of `~/.docker/config.json`.
   * @default - this process's environment
   */
  readonly env?: NodeJS.ProcessEnv;
}

/** One docker command's failure. */
export interface DockerFailure {
  /** The command line as shown to the user (the secret never appears in it). */
  readonly commandLine: string;
  /** True when the executable could not be started (not installed, not on PATH). */
  readonly missing: boolean;
  /**
   * Exit code, when the command ran.
   * @default - none: the command did not start
   */
  readonly exitCode?: number;
  /** The last lines of the command's stderr (or stdout when stderr is empty), secret masked. */
  readonly tail: string;
}

/** Thrown by {@link runDocker}; the caller turns it into a `BatchkitError` that says which asset. */
export class DockerCommandError extends Error {
  /** What failed. */
  public readonly failure: DockerFailure;

  constructor(failure: DockerFailure) {
    super(
      `${failure.commandLine} ` +
        `${failure.missing ? 'could not be started' : `exited with code ${failure.exitCode}`}` +
        `${failure.tail ? `: ${failure.tail}` : ''}`,
    );
    this.name = 'DockerCommandError';
    this.failure = failure;
  }
}

/** Options of one {@link runDocker} call. */
export interface RunDockerOptions {
  /**
   * Written to stdin, then stdin is closed; masked in the kept output.
   * @default - stdin is empty
   */
  readonly secret?: string;
  /**
   * Called with each non-empty output line (secret masked), for progress.
   * @default - nothing
   */
  readonly onLine?: (line: string) => void;
}

/** Lines of output kept for an error message. */
const TAIL_LINES = 15;
/** Characters of output kept for an error message. */
const TAIL_CHARS = 2000;

function tailOf(text: string): string {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .filter((l) => l.length > 0);
  const tail = lines.slice(-TAIL_LINES).join('\n');
  return tail.length > TAIL_CHARS ? tail.slice(-TAIL_CHARS) : tail;
}

function mask(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join('***') : text;
}

/** The command line as shown in messages. */
export function showCommand(command: string, args: readonly string[]): string {
  return [command, ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** Runs `docker <args>`; resolves with its stdout, rejects with a {@link DockerCommandError}. */
export function runDocker(
  options: DockerCliOptions,
  args: readonly string[],
  run: RunDockerOptions = {},
): Promise<string> {
  const command = options.command ?? 'docker';
  const commandLine = showCommand(command, args);
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const lines = (chunk: string) => {
      if (!run.onLine) return;
      for (const line of mask(chunk, run.secret).split(/\r?\n/)) if (line.trim()) run.onLine(line.trimEnd());
    };
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (c: string) => {
      stdout += c;
      lines(c);
    });
    child.stderr.on('data', (c: string) => {
      stderr += c;
      lines(c);
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(run.secret ?? '');
    let settled = false;
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      const missing = e.code === 'ENOENT' || e.code === 'EACCES';
      reject(
        new DockerCommandError({
          commandLine,
          missing,
          tail: missing
            ? `${command}: ${e.code === 'ENOENT' ? 'not found' : 'permission denied'}`
            : mask(e.message, run.secret),
        }),
      );
    });
    child.on('close', (code) => {
      if (settled) return;
      settled = true;
      if (code === 0) resolve(mask(stdout, run.secret));
      else
        reject(
          new DockerCommandError({
            commandLine,
            missing: false,
            exitCode: code ?? -1,
            tail: tailOf(mask(stderr.trim() ? stderr : stdout, run.secret)),
          }),
        );
    });
  });
}
