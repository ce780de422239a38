/** Starts the built `batchkit local serve` in a child process and waits for its endpoint. */
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as path from 'path';
import { CLI, REPO_ROOT } from '../_helpers/cli';

/** The fixture app: one EC2 environment (2 vCPUs), queue `serve-queue`, definition `sleeper`. */
export const SERVE_APP = path.join(REPO_ROOT, 'test', 'local', 'api', 'fixtures', 'serve-app.json');

/** A running server process. */
export interface ServeProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly port: number;
  /** Everything written on stderr so far. */
  stderr(): string;
  /** Sends a signal and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Spawns `batchkit local serve --json <args>` and resolves with its URL. */
export function startServe(
  args: readonly string[],
  options: { cwd?: string; timeoutMs?: number } = {},
): Promise<ServeProcess> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const child = spawn(process.execPath, [CLI, 'local', 'serve', '--json', '--port', '0', ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    err += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`batchkit local serve did not start within ${timeoutMs} ms; stderr:\n${err}`));
    }, timeoutMs);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`batchkit local serve exited with ${code} before serving; stderr:\n${err}`));
    });
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const line = out.split('\n')[0];
      if (!out.includes('\n')) return;
      clearTimeout(timer);
      const info = JSON.parse(line) as { url: string; port: number };
      resolve({
        child,
        url: info.url,
        port: info.port,
        stderr: () => err,
        stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    });
  });
}

/** Runs `aws batch <args> --endpoint-url <url>` (AWS CLI, unsigned, dummy credentials) and parses its JSON output. */
export function awsBatch(url: string, args: readonly string[]): { code: number; json: unknown; stderr: string } {
  const r = spawnSync(
    'aws',
    ['batch', ...args, '--endpoint-url', url, '--region', 'us-east-1', '--no-sign-request', '--output', 'json'],
    {
      encoding: 'utf8',
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: 'x',
        AWS_SECRET_ACCESS_KEY: 'x',
        AWS_PAGER: '',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
      timeout: 60_000,
    },
  );
  const text = r.stdout.trim();
  return { code: r.status ?? -1, json: text ? (JSON.parse(text) as unknown) : undefined, stderr: r.stderr };
}
