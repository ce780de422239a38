/**
 * Benchmark of SubmitJob through `batchkit local serve`'s HTTP API (the real
 * `@aws-sdk/client-batch` in a separate process, 64 requests in flight) while the store holds
 * 0, 10,000 and 100,000 blocked jobs: RUNNABLE jobs that can never start (8 vCPUs on a queue
 * whose only environment has maxvCpus 4). The submitted jobs fit and run (a fake engine whose
 * containers exit after 1 ms), so capacity frees and scheduling passes keep running while the
 * blocked jobs wait. Target: requests/s with blocked jobs ≥ 90% of the empty store's.
 * `node dist/bench/run.js blocked` runs it alone; `BATCHKIT_BENCH_BLOCKED_MAX` (default 100000)
 * caps the largest store, `BATCHKIT_BENCH_API_SCALE` scales the request count.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { emptyBatchModel, type BatchModel } from '../lib/core/model/batch-model';
import { startLocalBatchService } from '../lib/local/api/service';
import { SystemClock } from '../lib/local/clock';
import { FakeRuntime } from '../lib/local/testing/fake-runtime';
import { client, type ClientResult } from './api.bench';
import type { BenchResult, BenchRow, BenchTarget } from './bench';

const SCALE = Number(process.env.BATCHKIT_BENCH_API_SCALE ?? '1');
const MAX = Number(process.env.BATCHKIT_BENCH_BLOCKED_MAX ?? '100000');
const REQUESTS = Math.max(64, Math.round(3000 * SCALE));
const CONCURRENCY = 64;

function model(): BatchModel {
  const definition = (name: string, vcpus: string) => ({
    jobDefinitionName: name,
    type: 'container' as const,
    revision: 1,
    containerProperties: { image: 'local/busybox:test', command: ['true'], resourceRequirements: [{ type: 'VCPU' as const, value: vcpus }, { type: 'MEMORY' as const, value: '32' }] },
  });
  return {
    ...emptyBatchModel(),
    computeEnvironments: [{ computeEnvironmentName: 'ce', type: 'MANAGED', state: 'ENABLED', computeResources: { type: 'EC2', maxvCpus: 4, subnets: ['subnet-1'] } }],
    jobQueues: [{ jobQueueName: 'q', priority: 1, state: 'ENABLED', computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'ce' }] }],
    jobDefinitions: [definition('small', '1'), definition('huge', '8')],
  };
}

/** One store size: seed the blocked jobs, then SubmitJob 64-way twice and keep the better run. */
async function measure(blocked: number): Promise<{ result: ClientResult; seedSeconds: number; examined: number }> {
  const storeDir = mkdtempSync(path.join(tmpdir(), 'batchkit-bench-blocked-'));
  const clock = new SystemClock();
  const service = await startLocalBatchService({
    model: model(),
    runtime: new FakeRuntime(clock, () => ({ durationMs: 1, logs: '' })),
    storeDir,
    callbacks: false,
    executor: { clock, maxVcpus: 4, maxMemoryMiB: 4096 },
  });
  try {
    const t0 = performance.now();
    for (let i = 0; i < blocked; i++) service.executor.submitJob({ jobName: `blocked-${i}`, jobQueue: 'q', jobDefinition: 'huge' });
    await service.executor.waitForIdle();
    const seedSeconds = (performance.now() - t0) / 1000;
    const before = service.executor.schedulerStats().examined;
    const runs: ClientResult[] = [];
    for (let round = 0; round < 2; round++) {
      runs.push(await client({ url: service.server.url, op: 'submit', requests: REQUESTS, concurrency: CONCURRENCY, prefix: `r${round}`, jobQueue: 'q', jobDefinition: 'small' }));
    }
    await service.executor.waitForIdle();
    const examined = service.executor.schedulerStats().examined - before;
    return { result: runs.reduce((a, b) => (b.rps > a.rps ? b : a)), seedSeconds, examined };
  } finally {
    await service.close();
    rmSync(storeDir, { recursive: true, force: true });
  }
}

/** Runs the benchmark. */
export async function run(): Promise<BenchResult> {
  const sizes = [0, 10_000, 100_000].filter((n) => n <= MAX);
  const rows: BenchRow[] = [];
  const targets: BenchTarget[] = [];
  let empty: ClientResult | undefined;
  for (const n of sizes) {
    const { result, seedSeconds, examined } = await measure(n);
    empty ??= result;
    const share = result.rps / empty.rps;
    rows.push({
      'blocked jobs stored': n,
      'SubmitJob req/s (64-way)': Math.round(result.rps),
      'p99 ms': Math.round(result.p99ms),
      'of empty store': `${Math.round(share * 100)}%`,
      'records examined per submitted job': Math.round((examined / (2 * REQUESTS)) * 100) / 100,
      'seeding s': Math.round(seedSeconds * 10) / 10,
    });
    if (n > 0) targets.push({ description: `SubmitJob req/s with ${n} blocked jobs >= 90% of the empty store's`, pass: share >= 0.9, measured: `${Math.round(share * 100)}% (${Math.round(result.rps)} vs ${Math.round(empty.rps)} req/s)` });
  }
  return {
    title: 'SubmitJob with blocked jobs stored (real SDK client process, 64 in flight; jobs run on a 1 ms fake engine)',
    rows,
    targets,
    notes: [`${REQUESTS} requests per run, best of 2 runs per store size; blocked jobs seeded in process through SubmitJob.`],
  };
}
