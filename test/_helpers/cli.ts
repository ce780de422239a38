/**
 * Runs the built `batchkit` CLI (`dist/bin/batchkit.js`) as a user would, in a child process.
 */
import { spawn, spawnSync } from 'child_process';
import { existsSync } from 'fs';
import * as path from 'path';

/** Root of the repository. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');
/** The built CLI. */
export const CLI = path.join(REPO_ROOT, 'dist', 'bin', 'batchkit.js');

/** Output of one CLI run. */
export interface CliResult {
  /** Exit code. */
  readonly code: number;
  /** Standard output. */
  readonly stdout: string;
  /** Standard error. */
  readonly stderr: string;
}

/** Runs `batchkit <args>` synchronously. */
export function runCli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): CliResult {
  if (!existsSync(CLI)) {
    throw new Error(`${CLI} is missing: run "npm run build" first (npm test does).`);
  }
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 120_000,
  });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A `batchkit` process running in the background. */
export interface CliProcess {
  /** Process id. */
  readonly pid: number;
  /** Resolves when it exits. */
  readonly done: Promise<CliResult>;
  /** Sends a signal. */
  kill(signal: NodeJS.Signals): void;
}

/** Starts `batchkit <args>` without waiting (the test's event loop keeps running, e.g. an HTTP server). */
export function startCli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliProcess {
  if (!existsSync(CLI)) {
    throw new Error(`${CLI} is missing: run "npm run build" first (npm test does).`);
  }
  const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? REPO_ROOT, env: { ...process.env, ...options.env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? -1 : 0), stdout, stderr }));
  });
  return { pid: child.pid ?? -1, done, kill: (signal) => child.kill(signal) };
}
