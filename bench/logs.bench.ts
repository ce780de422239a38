/**
 * Benchmark of a job that prints a lot, on the real Docker engine: a container writes 1,000,000
 * lines of 41 bytes (41 MB) and, separately, one line of 50 MB. The executor runs in a child
 * process (as `batchkit local serve` would, with its store on disk) that reports its peak RSS
 * (`getrusage` maxrss) and the store's growth. Targets for the 1,000,000 lines: peak RSS < 300 MB,
 * store bytes < 2× the log's own size, every line stored once.
 * `node dist/bench/run.js logs` runs it alone; `BATCHKIT_BENCH_LOG_LINES` (default 1000000) and
 * `BATCHKIT_BENCH_LOG_LONG_MB` (default 50, 0 to skip) change the sizes.
 */
import { spawn } from 'child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { emptyBatchModel, type BatchModel } from '../lib/core/model/batch-model';
import type { BenchResult, BenchRow, BenchTarget } from './bench';

const LINES = Number(process.env.BATCHKIT_BENCH_LOG_LINES ?? '1000000');
const LONG_MB = Number(process.env.BATCHKIT_BENCH_LOG_LONG_MB ?? '50');
const IMAGE = process.env.BATCHKIT_TEST_IMAGE ?? 'local/busybox:test';

/** What the server process is asked to run. */
interface ServerTask {
  readonly storeDir: string;
  readonly command: string[];
}

/** What it reports. */
interface ServerResult {
  readonly status: string;
  readonly baselineRssMiB: number;
  readonly peakRssMiB: number;
  readonly seconds: number;
  readonly storedLines: number;
  readonly storedChars: number;
  readonly storeBytesBefore: number;
}

function model(command: string[]): BatchModel {
  return {
    ...emptyBatchModel(),
    computeEnvironments: [
      {
        computeEnvironmentName: 'ce',
        type: 'MANAGED',
        state: 'ENABLED',
        computeResources: { type: 'EC2', maxvCpus: 2, subnets: ['subnet-1'] },
      },
    ],
    jobQueues: [
      {
        jobQueueName: 'q',
        priority: 1,
        state: 'ENABLED',
        computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'ce' }],
      },
    ],
    jobDefinitions: [
      {
        jobDefinitionName: 'chatty',
        type: 'container',
        revision: 1,
        containerProperties: {
          image: IMAGE,
          command,
          resourceRequirements: [
            { type: 'VCPU', value: '1' },
            { type: 'MEMORY', value: '256' },
          ],
        },
      },
    ],
  };
}

function storeBytes(dir: string): number {
  return readdirSync(dir).reduce((sum, f) => sum + statSync(path.join(dir, f)).size, 0);
}

/** Runs the executor with one job in a child process (this file run as main). */
function server(task: ServerTask): Promise<ServerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, __filename, '--server'], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as ServerResult) : reject(new Error(`server exited with ${code}`)),
    );
    child.stdin.end(JSON.stringify(task));
  });
}

async function oneJob(command: string[]): Promise<ServerResult & { storeGrowth: number }> {
  const storeDir = mkdtempSync(path.join(tmpdir(), 'batchkit-bench-logs-'));
  try {
    const r = await server({ storeDir, command });
    return { ...r, storeGrowth: storeBytes(storeDir) - r.storeBytesBefore };
  } finally {
    rmSync(storeDir, { recursive: true, force: true });
  }
}

/** Runs the benchmark. */
export async function run(): Promise<BenchResult> {
  const rows: BenchRow[] = [];
  const targets: BenchTarget[] = [];
  // "line " + 35 digits + "\n" = 41 bytes per line.
  const many = await oneJob(['awk', `BEGIN { for (i = 0; i < ${LINES}; i++) printf "line %035d\\n", i }`]);
  const logBytes = LINES * 41;
  rows.push({
    job: `${LINES} lines of 41 bytes (${(logBytes / 1e6).toFixed(1)} MB)`,
    status: many.status,
    s: Math.round(many.seconds * 10) / 10,
    'RSS before MiB': Math.round(many.baselineRssMiB),
    'peak RSS MiB': Math.round(many.peakRssMiB),
    'store growth MB': Math.round(many.storeGrowth / 1e5) / 10,
    'store bytes per log byte': Math.round((many.storeGrowth / logBytes) * 100) / 100,
    'events stored': many.storedLines,
  });
  targets.push({
    description: 'peak RSS of the executor < 300 MB',
    pass: many.peakRssMiB * 1.048576 < 300,
    measured: `${Math.round(many.peakRssMiB * 1.048576)} MB`,
  });
  targets.push({
    description: 'store growth < 2x the log',
    pass: many.storeGrowth < 2 * logBytes,
    measured:
      `${(many.storeGrowth / logBytes).toFixed(2)}x (${Math.round(many.storeGrowth / 1e6)} MB for ` +
      `${Math.round(logBytes / 1e6)} MB)`,
  });
  targets.push({
    description: 'every line stored once',
    pass: many.storedLines === LINES,
    measured: `${many.storedLines} of ${LINES}`,
  });
  if (LONG_MB > 0) {
    const bytes = LONG_MB * 1024 * 1024;
    const long = await oneJob(['sh', '-c', `head -c ${bytes} /dev/zero | tr '\\0' x; echo`]);
    rows.push({
      job: `one line of ${LONG_MB} MiB`,
      status: long.status,
      s: Math.round(long.seconds * 10) / 10,
      'RSS before MiB': Math.round(long.baselineRssMiB),
      'peak RSS MiB': Math.round(long.peakRssMiB),
      'store growth MB': Math.round(long.storeGrowth / 1e5) / 10,
      'store bytes per log byte': Math.round((long.storeGrowth / bytes) * 100) / 100,
      'events stored': long.storedLines,
    });
    targets.push({
      description: `one ${LONG_MB} MiB line: stored whole, split into events of at most 256 KiB`,
      pass: long.storedChars === bytes && long.storedLines === Math.ceil(bytes / (256 * 1024 - 26)),
      measured: `${long.storedChars} characters in ${long.storedLines} events`,
    });
  }
  return {
    title: `A job printing a lot, on the Docker engine (image ${IMAGE}); the executor in its own process`,
    rows,
    targets,
  };
}

// ------------------------------------------------------------------ server process

async function serverMain(): Promise<void> {
  const chunks: string[] = [];
  for await (const c of process.stdin) chunks.push(String(c));
  const task = JSON.parse(chunks.join('')) as ServerTask;
  const { LocalExecutor } = await import('../lib/local/executor');
  const { DockerRuntime } = await import('../lib/local/runtime/docker-runtime');
  const runtime = new DockerRuntime();
  await runtime.ping();
  const executor = await LocalExecutor.open({
    model: model(task.command),
    runtime,
    storeDir: task.storeDir,
    maxVcpus: 2,
    maxMemoryMiB: 1024,
  });
  const storeBytesBefore = storeBytes(task.storeDir);
  global.gc?.();
  const baselineRssMiB = process.memoryUsage.rss() / 1048576;
  const t0 = performance.now();
  const { jobId } = executor.submitJob({ jobName: 'chatty', jobQueue: 'q', jobDefinition: 'chatty' });
  const detail = await executor.waitForJob(jobId);
  const seconds = (performance.now() - t0) / 1000;
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  let storedLines = 0;
  let storedChars = 0;
  for (const e of executor.logEvents(jobId)) {
    storedLines++;
    storedChars += e.message.length;
  }
  await executor.close();
  process.stdout.write(
    JSON.stringify({
      status: detail.status,
      baselineRssMiB,
      peakRssMiB,
      seconds,
      storedLines,
      storedChars,
      storeBytesBefore,
    } satisfies ServerResult),
  );
}

if (require.main === module && process.argv.includes('--server')) {
  serverMain().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  });
}
