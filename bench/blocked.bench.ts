/**
 * Benchmark of SubmitJob through `batchkit local serve`'s HTTP API (the real
 * `@aws-sdk/client-batch` in a separate process, 64 requests in flight) while the store holds
 * 0, 10,000 and 100,000 blocked jobs: RUNNABLE jobs that can never start (8 vCPUs on a queue
 * whose only environment has maxvCpus 4). The submitted jobs fit and run (a fake engine whose
 * containers exit after 1 ms), so capacity frees and scheduling passes keep running while the
 * blocked jobs wait. Target: requests/s with blocked jobs ≥ 90% of the empty store's.
 * The store is seeded directly: 1,000 blocked jobs submitted through the executor, then copied
 * with new ids in one transaction; the service then opens the store as after a restart.
 * `node dist/bench/run.js blocked` runs it alone; `BATCHKIT_BENCH_BLOCKED_SIZES` (default
 * `0,10000,100000`, the first one is the reference) chooses the store sizes,
 * `BATCHKIT_BENCH_BLOCKED_ROUNDS` (default 3) the rounds, `BATCHKIT_BENCH_API_SCALE` the request count.
 */
import { randomUUID } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { emptyBatchModel, type BatchModel } from '../lib/core/model/batch-model';
import { startLocalBatchService } from '../lib/local/api/service';
import { SystemClock } from '../lib/local/clock';
import type { JobRecord } from '../lib/local/scheduler/job-record';
import { SqliteJobStore } from '../lib/local/store/sqlite-store';
import { FakeRuntime } from '../lib/testing/fake-runtime';
import { client, type ClientResult } from './api.bench';
import type { BenchResult, BenchRow, BenchTarget } from './bench';

const SCALE = Number(process.env.BATCHKIT_BENCH_API_SCALE ?? '1');
const SIZES = (process.env.BATCHKIT_BENCH_BLOCKED_SIZES ?? '0,10000,100000').split(',').map(Number);
const REQUESTS = Math.max(64, Math.round(3000 * SCALE));
const CONCURRENCY = 64;
const ROUNDS = Number(process.env.BATCHKIT_BENCH_BLOCKED_ROUNDS ?? '3');

function model(): BatchModel {
  const definition = (name: string, vcpus: string) => ({
    jobDefinitionName: name,
    type: 'container' as const,
    revision: 1,
    containerProperties: {
      image: 'local/busybox:test',
      command: ['true'],
      resourceRequirements: [
        { type: 'VCPU' as const, value: vcpus },
        { type: 'MEMORY' as const, value: '32' },
      ],
    },
  });
  return {
    ...emptyBatchModel(),
    computeEnvironments: [
      {
        computeEnvironmentName: 'ce',
        type: 'MANAGED',
        state: 'ENABLED',
        computeResources: { type: 'EC2', maxvCpus: 4, subnets: ['subnet-1'] },
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
    jobDefinitions: [definition('small', '1'), definition('huge', '8')],
  };
}

function start(storeDir: string): ReturnType<typeof startLocalBatchService> {
  const clock = new SystemClock();
  return startLocalBatchService({
    model: model(),
    runtime: new FakeRuntime(clock, () => ({ durationMs: 1, logs: '' })),
    storeDir,
    callbacks: false,
    executor: { clock, maxVcpus: 4, maxMemoryMiB: 4096 },
  });
}

/** Stores `n` blocked jobs: up to 1,000 submitted through the executor, the rest copies of them with new ids. */
async function seed(storeDir: string, n: number): Promise<void> {
  if (n === 0) return;
  const first = await start(storeDir);
  for (let i = 0; i < Math.min(n, 1000); i++)
    first.executor.submitJob({ jobName: `blocked-${i}`, jobQueue: 'q', jobDefinition: 'huge' });
  await first.executor.waitForIdle();
  await first.close();
  const store = new SqliteJobStore(storeDir);
  try {
    const models = store.loadAll();
    let seq = Math.max(...models.map((r) => r.meta.seq)) + 1;
    const copies: JobRecord[] = [];
    for (let i = models.length; i < n; i++) {
      const m = models[i % models.length];
      const jobId = randomUUID();
      copies.push({
        detail: {
          ...m.detail,
          jobId,
          jobName: `blocked-${i}`,
          jobArn: (m.detail.jobArn ?? '').replace(m.detail.jobId, jobId),
        },
        meta: { ...m.meta, seq: seq++ },
      });
    }
    store.saveMany(copies);
  } finally {
    store.close();
  }
}

/** One run on a seeded store: open the service (as after a restart), SubmitJob 64-way, close. */
async function measure(
  storeDir: string,
  round: number,
): Promise<{ result: ClientResult; openSeconds: number; examined: number }> {
  const t0 = performance.now();
  const service = await start(storeDir);
  try {
    await service.executor.waitForIdle();
    const openSeconds = (performance.now() - t0) / 1000;
    const before = service.executor.schedulerStats().examined;
    const result = await client({
      url: service.server.url,
      op: 'submit',
      requests: REQUESTS,
      concurrency: CONCURRENCY,
      prefix: `r${round}`,
      jobQueue: 'q',
      jobDefinition: 'small',
    });
    await service.executor.waitForIdle();
    return { result, openSeconds, examined: service.executor.schedulerStats().examined - before };
  } finally {
    await service.close();
  }
}

/** Runs the benchmark. */
export async function run(): Promise<BenchResult> {
  const rows: BenchRow[] = [];
  const targets: BenchTarget[] = [];
  // Rounds go over every store size in turn and each size keeps its best run: the machine is
  // shared, and a burst of other load must not decide the ratio.
  const stores = SIZES.map((n) => ({ n, dir: mkdtempSync(path.join(tmpdir(), 'batchkit-bench-blocked-')) }));
  const measured: Array<{ n: number; result: ClientResult; seedSeconds: number; examined: number }> = [];
  try {
    for (const { n, dir } of stores) {
      const t0 = performance.now();
      await seed(dir, n);
      measured.push({ n, result: { rps: 0, p99ms: 0 }, seedSeconds: (performance.now() - t0) / 1000, examined: 0 });
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, { dir }] of stores.entries()) {
        const r = await measure(dir, round);
        if (r.result.rps > measured[i].result.rps)
          measured[i] = { ...measured[i], result: r.result, examined: r.examined };
        if (round === 0) measured[i].seedSeconds += r.openSeconds;
      }
    }
  } finally {
    for (const { dir } of stores) rmSync(dir, { recursive: true, force: true });
  }
  const empty = measured[0].result;
  for (const { n, result, seedSeconds, examined } of measured) {
    const share = result.rps / empty.rps;
    rows.push({
      'blocked jobs stored': n,
      'SubmitJob req/s (64-way)': Math.round(result.rps),
      'p99 ms': Math.round(result.p99ms),
      'of empty store': `${Math.round(share * 100)}%`,
      'records examined per submitted job': Math.round((examined / REQUESTS) * 100) / 100,
      'seed + open s': Math.round(seedSeconds * 10) / 10,
    });
    if (n !== SIZES[0])
      targets.push({
        description: `SubmitJob req/s with ${n} blocked jobs >= 90% of the ${SIZES[0]}-job store's`,
        pass: share >= 0.9,
        measured: `${Math.round(share * 100)}% (${Math.round(result.rps)} vs ${Math.round(empty.rps)} req/s)`,
      });
  }
  return {
    title: 'SubmitJob with blocked jobs stored (real SDK client process, 64 in flight; jobs run on a 1 ms fake engine)',
    rows,
    targets,
    notes: [
      `${REQUESTS} requests per run, best of ${ROUNDS} rounds over all store ` +
        `sizes; blocked jobs stored before the service opened.`,
    ],
  };
}
