/**
 * Runs the built `batchkit` CLI (`dist/bin/batchkit.js`) as a user would, in a child process.
 */
import { spawn, spawnSync, type ChildProcess } from 'child_process';
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
export function runCli(
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): CliResult {
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

/** A `batchkit` process started in the background, its output read as it comes. */
export interface CliProcess {
  /** The process. */
  readonly child: ChildProcess;
  /** Process id. */
  readonly pid: number;
  /** Standard output so far. */
  stdout(): string;
  /** Standard error so far. */
  stderr(): string;
  /** Resolves once `pattern` matches standard output (`'stdout'`) or error, with the match. */
  waitFor(stream: 'stdout' | 'stderr', pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Resolves with the exit code (or the signal) once the process ended. */
  readonly exited: Promise<number | NodeJS.Signals>;
  /** Resolves with the exit code and all output once the process ended and its streams closed (-1 after a signal). */
  readonly done: Promise<CliResult>;
  /** Sends a signal. */
  kill(signal: NodeJS.Signals): void;
}

/** Starts `batchkit <args>` without waiting (the test's event loop keeps running, e.g. an HTTP server). */
export function startCli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliProcess {
  if (!existsSync(CLI)) {
    throw new Error(`${CLI} is missing: run "npm run build" first (npm test does).`);
  }
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...process.env, ...options.env },
  });
  const out = { stdout: '', stderr: '' };
  const waiters: Array<() => void> = [];
  const wake = () => {
    for (const w of waiters.splice(0)) w();
  };
  child.stdout.on('data', (d: Buffer) => {
    out.stdout += d.toString('utf8');
    wake();
  });
  child.stderr.on('data', (d: Buffer) => {
    out.stderr += d.toString('utf8');
    wake();
  });
  const exited = new Promise<number | NodeJS.Signals>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  void exited.then(wake);
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({ code: code ?? (signal ? -1 : 0), stdout: out.stdout, stderr: out.stderr }),
    );
  });
  return {
    child,
    pid: child.pid ?? -1,
    done,
    kill: (signal) => child.kill(signal),
    stdout: () => out.stdout,
    stderr: () => out.stderr,
    exited,
    waitFor: (stream, pattern, timeoutMs = 60_000) =>
      new Promise<RegExpExecArray>((resolve, reject) => {
        const deadline = setTimeout(
          () => reject(new Error(`no ${pattern} on ${stream} within ${timeoutMs} ms; stderr: ${out.stderr}`)),
          timeoutMs,
        );
        const check = () => {
          const m = pattern.exec(out[stream]);
          if (m) {
            clearTimeout(deadline);
            resolve(m);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            clearTimeout(deadline);
            reject(new Error(`batchkit ended before ${pattern} appeared on ${stream}; stderr: ${out.stderr}`));
          } else waiters.push(check);
        };
        check();
      }),
  };
}

/** The busybox test image. */
export const TEST_IMAGE = process.env.BATCHKIT_TEST_IMAGE ?? 'local/busybox:test';

/** ContainerProperties on the test image with 1 vCPU and 32 MiB. */
export function cliContainer(command: string[]): Record<string, unknown> {
  return {
    Image: TEST_IMAGE,
    Command: command,
    ResourceRequirements: [
      { Type: 'VCPU', Value: '1' },
      { Type: 'MEMORY', Value: '32' },
    ],
  };
}

/** A container job definition resource named `name` running `command` (more Properties in `extra`). */
export function cliJobDefinition(
  name: string,
  command: string[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    Type: 'AWS::Batch::JobDefinition',
    Properties: { Type: 'container', JobDefinitionName: name, ContainerProperties: cliContainer(command), ...extra },
  };
}

/**
 * The template the local CLI tests run: a managed EC2 environment `ce1` (logical id `CE`,
 * `maxvCpus` 2 unless given), the queue `q` (logical id `Queue`) over it, and the given job definitions.
 */
export function cliTemplate(
  jobDefinitions: Record<string, Record<string, unknown>>,
  maxvCpus = 2,
): Record<string, unknown> {
  return {
    Resources: {
      CE: {
        Type: 'AWS::Batch::ComputeEnvironment',
        Properties: {
          Type: 'MANAGED',
          ComputeEnvironmentName: 'ce1',
          ComputeResources: {
            Type: 'EC2',
            MaxvCpus: maxvCpus,
            MinvCpus: 0,
            InstanceTypes: ['optimal'],
            Subnets: ['subnet-1'],
            InstanceRole: 'arn:aws:iam::123456789012:instance-profile/ecsInstanceRole',
          },
        },
      },
      Queue: {
        Type: 'AWS::Batch::JobQueue',
        Properties: {
          JobQueueName: 'q',
          Priority: 1,
          ComputeEnvironmentOrder: [{ Order: 1, ComputeEnvironment: { Ref: 'CE' } }],
        },
      },
      ...jobDefinitions,
    },
  };
}
