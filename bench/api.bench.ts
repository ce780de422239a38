/**
 * Benchmark of `batchkit local serve`'s HTTP API through the real `@aws-sdk/client-batch`, with
 * the client in a separate process:
 * 1. SubmitJob, sequential and 16-way concurrent, on a queue whose jobs are held RUNNABLE (its only
 *    compute environment is DISABLED), with the job store on disk as `serve` uses it;
 * 2. DescribeJobs of 100 ids, sequential and 16-way concurrent;
 * each against a bare Node HTTP server in the same process that answers the same operation with a
 * fixed JSON body (the ceiling). Target: requests/s ≥ 60% of the ceiling's.
 * 3. Every submitted job (10,000 in all) listed through ListJobs pagination: none lost or repeated.
 * `BATCHKIT_BENCH_API_SCALE` (default 1) scales the request counts for a quick look.
 */
import { spawn } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';
import { tmpdir } from 'os';
import * as path from 'path';
import { emptyBatchModel, type BatchModel } from '../lib/core/model/batch-model';
import { startLocalBatchService } from '../lib/local/api/service';
import { ManualClock } from '../lib/local/clock';
import { FakeRuntime } from '../lib/testing/fake-runtime';

/** One result row. */
export interface BenchRow {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly target: string;
  readonly pass: boolean;
}

/** What the client process is asked to do. */
export interface ClientTask {
  readonly url: string;
  readonly op: 'submit' | 'describe' | 'list-all';
  readonly requests: number;
  readonly concurrency: number;
  readonly ids?: string[];
  readonly prefix?: string;
  /** Queue of SubmitJob and ListJobs. @default 'held-q' */
  readonly jobQueue?: string;
  /** Job definition of SubmitJob. @default 'bench' */
  readonly jobDefinition?: string;
}

/** What it reports. */
export interface ClientResult {
  readonly rps: number;
  readonly p99ms: number;
  readonly ids?: string[];
  readonly listed?: number;
  readonly unique?: number;
  readonly pages?: number;
}

const SCALE = Number(process.env.BATCHKIT_BENCH_API_SCALE ?? '1');
const TOTAL_JOBS = 10_000;

function model(): BatchModel {
  return {
    ...emptyBatchModel(),
    computeEnvironments: [
      {
        computeEnvironmentName: 'held-ce',
        type: 'MANAGED',
        state: 'DISABLED',
        computeResources: { type: 'EC2', maxvCpus: 4, subnets: ['subnet-1'] },
      },
    ],
    jobQueues: [
      {
        jobQueueName: 'held-q',
        priority: 1,
        state: 'ENABLED',
        computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'held-ce' }],
      },
    ],
    jobDefinitions: [
      {
        jobDefinitionName: 'bench',
        type: 'container',
        revision: 1,
        containerProperties: {
          image: 'local/busybox:test',
          command: ['true'],
          resourceRequirements: [
            { type: 'VCPU', value: '1' },
            { type: 'MEMORY', value: '32' },
          ],
        },
      },
    ],
  };
}

/** A bare HTTP server that answers each path with a fixed body (the ceiling). */
async function ceiling(bodies: Record<string, string>): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const body = bodies[req.url ?? ''] ?? '{}';
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** Runs one task in a child process (this file run as main). */
export function client(task: ClientTask): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, __filename, '--client'], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as ClientResult) : reject(new Error(`client exited with ${code}`)),
    );
    child.stdin.end(JSON.stringify(task));
  });
}

function row(name: string, value: number, unit: string, target: string, pass: boolean): BenchRow {
  return { name, value: Math.round(value * 100) / 100, unit, target, pass };
}

/** Runs the benchmark. */
export async function run(): Promise<BenchRow[]> {
  const storeDir = mkdtempSync(path.join(tmpdir(), 'batchkit-bench-api-'));
  const clock = new ManualClock();
  const service = await startLocalBatchService({
    model: model(),
    runtime: new FakeRuntime(clock),
    storeDir,
    callbacks: false,
    executor: { clock, maxVcpus: 4, maxMemoryMiB: 4096 },
  });
  const rows: BenchRow[] = [];
  let submitted = 0;
  try {
    const url = service.server.url;
    // Fixed bodies for the ceiling: the real responses of the same operations.
    const sample = service.api.submitJob({ jobName: 'sample', jobQueue: 'held-q', jobDefinition: 'bench' });
    submitted++;
    const warm = await client({ url, op: 'submit', requests: 100, concurrency: 1, prefix: 'warm' });
    submitted += 100;
    const ids = (warm.ids ?? []).slice(0, 100);
    const describeBody = JSON.stringify(service.api.describeJobs({ jobs: ids }));
    const ceil = await ceiling({ '/v1/submitjob': JSON.stringify(sample), '/v1/describejobs': describeBody });
    try {
      const n = (x: number) => Math.max(10, Math.round(x * SCALE));
      const cases: Array<{ name: string; task: Omit<ClientTask, 'url'> }> = [
        { name: 'SubmitJob sequential', task: { op: 'submit', requests: n(1000), concurrency: 1, prefix: 'seq' } },
        { name: 'SubmitJob 16-way', task: { op: 'submit', requests: n(2000), concurrency: 16, prefix: 'par' } },
        { name: 'DescribeJobs(100) sequential', task: { op: 'describe', requests: n(300), concurrency: 1, ids } },
        { name: 'DescribeJobs(100) 16-way', task: { op: 'describe', requests: n(600), concurrency: 16, ids } },
      ];
      for (const c of cases) {
        // Alternate batchkit and the ceiling, twice each, and keep each side's best run: the machine
        // is shared, and a burst of other load should not decide the ratio.
        const ours: ClientResult[] = [];
        const base: ClientResult[] = [];
        for (let round = 0; round < 2; round++) {
          ours.push(await client({ url, ...c.task, prefix: `${c.task.prefix ?? 'x'}-${round}` }));
          base.push(await client({ url: ceil.url, ...c.task, prefix: `${c.task.prefix ?? 'x'}-ceiling-${round}` }));
          if (c.task.op === 'submit') submitted += c.task.requests;
        }
        const best = (rs: ClientResult[]) => rs.reduce((a, b) => (b.rps > a.rps ? b : a));
        const o = best(ours);
        const b = best(base);
        const ratio = o.rps / b.rps;
        rows.push(row(`${c.name}: batchkit`, o.rps, 'req/s', 'info', true));
        rows.push(row(`${c.name}: bare Node ceiling`, b.rps, 'req/s', 'info', true));
        rows.push(row(`${c.name}: p99 batchkit`, o.p99ms, `ms (ceiling ${b.p99ms.toFixed(2)} ms)`, 'info', true));
        rows.push(row(`${c.name}: share of ceiling`, ratio * 100, '%', '>= 60%', ratio >= 0.6));
      }
    } finally {
      await new Promise<void>((resolve) => ceil.server.close(() => resolve()));
      ceil.server.closeIdleConnections();
    }
    // Top up to 10,000 jobs in process, then list them all through the SDK paginator.
    for (; submitted < TOTAL_JOBS; submitted++) {
      service.api.submitJob({ jobName: `fill-${submitted}`, jobQueue: 'held-q', jobDefinition: 'bench' });
    }
    const listed = await client({ url, op: 'list-all', requests: 0, concurrency: 1 });
    rows.push(
      row(
        'ListJobs pagination: jobs listed',
        listed.listed ?? 0,
        `of ${submitted} (${listed.pages} pages)`,
        `= ${submitted}`,
        listed.listed === submitted,
      ),
    );
    rows.push(
      row(
        'ListJobs pagination: distinct ids',
        listed.unique ?? 0,
        'ids',
        `= ${submitted} (none repeated)`,
        listed.unique === submitted,
      ),
    );
  } finally {
    await service.close();
    rmSync(storeDir, { recursive: true, force: true });
  }
  return rows;
}

// ------------------------------------------------------------------ client process

async function clientMain(): Promise<void> {
  const chunks: string[] = [];
  for await (const c of process.stdin) chunks.push(String(c));
  const task = JSON.parse(chunks.join('')) as ClientTask;
  // Loaded here only: the benchmark's server side does not use the SDK.
  const sdk = await import('@aws-sdk/client-batch');
  const batch = new sdk.BatchClient({
    endpoint: task.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    maxAttempts: 1,
  });
  if (task.op === 'list-all') {
    const seen = new Set<string>();
    let listed = 0;
    let pages = 0;
    for await (const page of sdk.paginateListJobs(
      { client: batch, pageSize: 1000 },
      { jobQueue: task.jobQueue ?? 'held-q', jobStatus: 'RUNNABLE' },
    )) {
      pages++;
      for (const s of page.jobSummaryList ?? []) {
        listed++;
        seen.add(s.jobId ?? '');
      }
    }
    process.stdout.write(JSON.stringify({ rps: 0, p99ms: 0, listed, unique: seen.size, pages }));
    batch.destroy();
    return;
  }
  const one = async (i: number): Promise<string | undefined> => {
    if (task.op === 'submit') {
      const r = await batch.send(
        new sdk.SubmitJobCommand({
          jobName: `${task.prefix}-${i}`,
          jobQueue: task.jobQueue ?? 'held-q',
          jobDefinition: task.jobDefinition ?? 'bench',
        }),
      );
      return r.jobId;
    }
    await batch.send(new sdk.DescribeJobsCommand({ jobs: task.ids ?? [] }));
    return undefined;
  };
  // Connection and SDK warm-up, not measured and without side effects.
  for (let i = 0; i < 20; i++) await batch.send(new sdk.DescribeJobsCommand({ jobs: [] }));
  const latencies: number[] = [];
  const ids: string[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < task.requests) {
      const i = next++;
      const t0 = performance.now();
      const id = await one(i);
      latencies.push(performance.now() - t0);
      if (id) ids.push(id);
    }
  };
  await Promise.all(Array.from({ length: task.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const p99ms = latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))];
  process.stdout.write(JSON.stringify({ rps: task.requests / seconds, p99ms, ids }));
  batch.destroy();
}

if (require.main === module) {
  if (process.argv.includes('--client')) {
    clientMain().catch((e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    });
  } else {
    run().then(
      (rows) => {
        for (const r of rows)
          process.stdout.write(`${r.pass ? 'PASS' : 'MISS'}  ${r.name}: ${r.value} ${r.unit} (target ${r.target})\n`);
      },
      (e: unknown) => {
        process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
        process.exitCode = 70;
      },
    );
  }
}
