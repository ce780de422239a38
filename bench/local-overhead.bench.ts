/**
 * Benchmarks of the local executor on the real Docker engine and the test image:
 * 1. per-job overhead: N single jobs through `batchkit local run --file` (one CLI process, jobs
 *    one at a time) and through the in-process executor, against the same containers run directly
 *    through the Docker API (create, start, wait, logs, remove) — target ≤ 1.10×;
 * 2. an array of 500 short children on an environment sized for 8 concurrent jobs, against an ideal
 *    of N/8 × the single-container time measured directly — target ≤ 1.25×.
 * `BATCHKIT_BENCH_JOBS`, `BATCHKIT_BENCH_ROUNDS` and `BATCHKIT_BENCH_CHILDREN` shrink the runs for a quick look.
 */
import { spawnSync } from 'child_process';
import { randomUUID } from 'crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { emptyBatchModel, type BatchModel } from '../lib/core/model/batch-model';
import { LocalExecutor } from '../lib/local/executor';
import { DockerRuntime } from '../lib/local/runtime/docker-runtime';

/** One result row. */
export interface BenchRow {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly target: string;
  readonly pass: boolean;
}

const IMAGE = process.env.BATCHKIT_TEST_IMAGE ?? 'local/busybox:test';
const COMMAND = ['sh', '-c', 'echo hi'];
const ARRAY_COMMAND = ['sh', '-c', 'sleep 0.2; echo "child $AWS_BATCH_JOB_ARRAY_INDEX"'];

function benchModel(maxvCpus: number, command: string[]): BatchModel {
  return {
    ...emptyBatchModel(),
    computeEnvironments: [
      {
        computeEnvironmentName: 'bench-ce',
        type: 'MANAGED',
        state: 'ENABLED',
        computeResources: { type: 'EC2', maxvCpus, subnets: ['subnet-1'] },
      },
    ],
    jobQueues: [
      {
        jobQueueName: 'bench-q',
        priority: 1,
        state: 'ENABLED',
        computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'bench-ce' }],
      },
    ],
    jobDefinitions: [
      {
        jobDefinitionName: 'bench',
        type: 'container',
        revision: 1,
        containerProperties: {
          image: IMAGE,
          command,
          resourceRequirements: [
            { type: 'VCPU', value: '1' },
            { type: 'MEMORY', value: '32' },
          ],
        },
      },
    ],
  };
}

/** One container straight through the Docker API, as the executor runs an EC2 job (host network mode). */
async function direct(runtime: DockerRuntime, command: string[]): Promise<void> {
  const c = await runtime.docker.createContainer({
    Image: IMAGE,
    Cmd: command,
    HostConfig: {
      NetworkMode: 'host',
      Memory: 32 * 1024 * 1024,
      MemorySwap: 32 * 1024 * 1024,
      CpuShares: 1024,
      NanoCpus: 1e9,
    },
  });
  await c.start();
  await c.wait({ condition: 'not-running' });
  await c.inspect();
  await c.logs({ stdout: true, stderr: true, timestamps: true, follow: false });
  await c.remove({ force: true });
}

async function timed(fn: () => Promise<unknown> | unknown): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

function row(name: string, value: number, unit: string, target: string, pass: boolean): BenchRow {
  return { name, value: Math.round(value * 1000) / 1000, unit, target, pass };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** N jobs through one in-process executor, one at a time. */
async function inProcessRun(runtime: DockerRuntime, n: number): Promise<void> {
  const executor = await LocalExecutor.open({
    model: benchModel(1, COMMAND),
    runtime,
    storeDir: ':memory:',
    maxVcpus: 1,
    runId: `bench-${randomUUID().slice(0, 8)}`,
  });
  try {
    for (let i = 0; i < n; i++) {
      const { jobId } = executor.submitJob({ jobName: `j${i}`, jobQueue: 'bench-q', jobDefinition: 'bench' });
      const d = await executor.waitForJob(jobId);
      if (d.status !== 'SUCCEEDED') throw new Error(`bench job ${jobId} ${d.status}: ${d.statusReason}`);
    }
  } finally {
    await executor.close();
  }
}

/** The jobs of `jobsFile` through one `batchkit local run --file` process (start-up, model load and store included). */
function cliRun(dir: string, jobsFile: string): void {
  const cli = path.resolve(__dirname, '..', 'bin', 'batchkit.js');
  rmSync(path.join(dir, '.batchkit'), { recursive: true, force: true });
  const r = spawnSync(
    process.execPath,
    [cli, 'local', 'run', '--app', 'template.json', '--file', jobsFile, '--max-vcpus', '1', '--store', '.batchkit'],
    { cwd: dir, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`batchkit local run exited ${r.status}: ${r.stderr}`);
}

/**
 * Benchmark 1: per-job overhead. The ways run in interleaved rounds (direct, in process, CLI with
 * N jobs, CLI with 2N jobs, direct, ...) so that a change of the machine's load during the run hits
 * all of them alike; each ratio is the median of its rounds' ratios against the direct run of the
 * same round. Through the CLI, what one more job costs is (time for 2N − time for N) / N, and the
 * rest of the N-job time is the CLI's fixed cost: start-up (Node, modules, model, engine checks,
 * store) and the warm-up of its first jobs (code compiled on first use).
 */
async function perJobOverhead(runtime: DockerRuntime, n: number, rounds: number): Promise<BenchRow[]> {
  await direct(runtime, COMMAND); // warm-up
  const dir = mkdtempSync(path.join(tmpdir(), 'batchkit-bench-'));
  const directMs: number[] = [];
  const inProcessRatio: number[] = [];
  const cliRatio: number[] = [];
  const cliMarginalRatio: number[] = [];
  const cliStartupMs: number[] = [];
  try {
    const template = {
      Resources: {
        CE: {
          Type: 'AWS::Batch::ComputeEnvironment',
          Properties: {
            Type: 'MANAGED',
            ComputeEnvironmentName: 'bench-ce',
            ComputeResources: {
              Type: 'EC2',
              MaxvCpus: 1,
              Subnets: ['subnet-1'],
              InstanceTypes: ['optimal'],
              InstanceRole: 'arn:aws:iam::123456789012:instance-profile/r',
            },
          },
        },
        Q: {
          Type: 'AWS::Batch::JobQueue',
          Properties: {
            JobQueueName: 'bench-q',
            Priority: 1,
            ComputeEnvironmentOrder: [{ Order: 1, ComputeEnvironment: { Ref: 'CE' } }],
          },
        },
        D: {
          Type: 'AWS::Batch::JobDefinition',
          Properties: {
            Type: 'container',
            JobDefinitionName: 'bench',
            ContainerProperties: {
              Image: IMAGE,
              Command: COMMAND,
              ResourceRequirements: [
                { Type: 'VCPU', Value: '1' },
                { Type: 'MEMORY', Value: '32' },
              ],
            },
          },
        },
      },
    };
    writeFileSync(path.join(dir, 'template.json'), JSON.stringify(template));
    const jobs = (count: number) =>
      JSON.stringify({
        jobs: Array.from({ length: count }, (_, i) => ({ name: `j${i}`, queue: 'bench-q', jobDefinition: 'bench' })),
      });
    writeFileSync(path.join(dir, 'jobs.json'), jobs(n));
    writeFileSync(path.join(dir, 'jobs-2n.json'), jobs(2 * n));
    for (let round = 0; round < rounds; round++) {
      const baseline = await timed(async () => {
        for (let i = 0; i < n; i++) await direct(runtime, COMMAND);
      });
      const inProcess = await timed(() => inProcessRun(runtime, n));
      const viaCli = await timed(() => cliRun(dir, 'jobs.json'));
      const viaCli2n = await timed(() => cliRun(dir, 'jobs-2n.json'));
      const marginal = (viaCli2n - viaCli) / n;
      cliMarginalRatio.push(marginal / (baseline / n));
      cliStartupMs.push(viaCli - n * marginal);
      directMs.push(baseline / n);
      inProcessRatio.push(inProcess / baseline);
      cliRatio.push(viaCli / baseline);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const cli = median(cliRatio);
  const cliMarginal = median(cliMarginalRatio);
  const inProcess = median(inProcessRatio);
  return [
    row(
      `direct Docker API, ${n} containers one at a time (median of ${rounds} rounds)`,
      median(directMs),
      'ms/job',
      'baseline',
      true,
    ),
    row(
      `batchkit local run --file: per-job cost, (${2 * n} jobs - ${n} jobs) / ${n}`,
      cliMarginal,
      'x direct',
      '<= 1.10',
      cliMarginal <= 1.1,
    ),
    row(
      `batchkit local run --file: fixed cost, ${n}-job time - ${n} x per-job cost (start-up, first-run warm-up)`,
      median(cliStartupMs),
      'ms',
      'info',
      true,
    ),
    row(`batchkit local run --file, ${n} jobs, start-up included`, cli, 'x direct', 'info', true),
    row(`LocalExecutor in process, ${n} jobs`, inProcess, 'x direct', '<= 1.10', inProcess <= 1.1),
  ];
}

/** Benchmark 2: an array on an environment sized for 8 concurrent children. */
async function arrayThroughput(runtime: DockerRuntime, children: number): Promise<BenchRow[]> {
  const single =
    ((await timed(() => direct(runtime, ARRAY_COMMAND))) + (await timed(() => direct(runtime, ARRAY_COMMAND)))) / 2;
  const ideal = (children / 8) * single;
  const wall = await timed(async () => {
    const executor = await LocalExecutor.open({
      model: benchModel(8, ARRAY_COMMAND),
      runtime,
      storeDir: ':memory:',
      maxVcpus: 8,
      maxMemoryMiB: 8 * 64,
      runId: `bench-${randomUUID().slice(0, 8)}`,
    });
    try {
      const { jobId } = executor.submitJob({
        jobName: 'array',
        jobQueue: 'bench-q',
        jobDefinition: 'bench',
        arrayProperties: { size: children },
      });
      const d = await executor.waitForJob(jobId);
      if (d.status !== 'SUCCEEDED')
        throw new Error(`bench array ${d.status}: ${JSON.stringify(d.arrayProperties?.statusSummary)}`);
    } finally {
      await executor.close();
    }
  });
  // What this engine achieves with 8 workers straight through the API (dockerd and runc share the
  // host's cores, so 8 concurrent container starts are not 8 times faster on a small host).
  let next = 0;
  const directWall = await timed(() =>
    Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < children) {
          next += 1;
          await direct(runtime, ARRAY_COMMAND);
        }
      }),
    ),
  );
  return [
    row('single short container, direct', single, 'ms', 'baseline', true),
    row(
      `${children} containers direct, 8 workers: wall / ideal`,
      directWall / ideal,
      'x ideal',
      'info (engine limit)',
      true,
    ),
    row(`array of ${children} children: wall / direct 8-worker wall`, wall / directWall, 'x direct', 'info', true),
    row(
      `array of ${children} children, 8 concurrent: wall / ideal (N/8 x single)`,
      wall / ideal,
      'x ideal',
      '<= 1.25',
      wall / ideal <= 1.25,
    ),
    row(`array of ${children} children, wall time`, wall / 1000, 's', 'info', true),
  ];
}

/** Runs benchmarks 1 and 2. */
export async function run(): Promise<BenchRow[]> {
  const runtime = new DockerRuntime();
  await runtime.ping();
  const n = Number(process.env.BATCHKIT_BENCH_JOBS ?? 20);
  const rounds = Number(process.env.BATCHKIT_BENCH_ROUNDS ?? 3);
  const children = Number(process.env.BATCHKIT_BENCH_CHILDREN ?? 500);
  return [...(await perJobOverhead(runtime, n, rounds)), ...(await arrayThroughput(runtime, children))];
}

if (require.main === module) {
  run().then(
    (rows) => {
      for (const r of rows)
        process.stdout.write(`${r.pass ? 'PASS' : 'FAIL'}  ${r.name}: ${r.value} ${r.unit} (target ${r.target})\n`);
    },
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
