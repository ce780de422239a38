/**
 * Benchmark 3, the scheduler alone: an array of N children with an `N_TO_N` dependency on another
 * array of N children, on an in-process runtime whose containers exit at once. Measures the wall
 * time from the first SubmitJob until both parents are final, and the heap the 2N + 2 job records
 * and their bookkeeping take (above 10,000, Batch's array limit, as several pairs of 10,000). Targets: N = 10,000
 * in < 2 s and < 300 MB, and growth that stays
 * linear (time per job at 50,000 ≤ 1.5× time per job at 10,000). `BATCHKIT_BENCH_SCHED_SIZES`
 * (comma-separated) changes the sizes.
 */
import { emptyBatchModel, type BatchModel } from '../lib/core/model/batch-model';
import { LocalExecutor } from '../lib/local/executor';
import type { ContainerRuntime, PreparedContainer, RunningContainer } from '../lib/local/runtime/container-runtime';
import type { BenchResult, BenchRow, BenchTarget } from './bench';

/** Containers that exit with 0 as soon as they start. */
class NoopRuntime implements ContainerRuntime {
  started = 0;
  async ping(): Promise<void> {}
  async list(): Promise<never[]> {
    return [];
  }
  async prepare(): Promise<PreparedContainer> {
    const running: RunningContainer = {
      id: 'noop',
      wait: async () => ({ exitCode: 0, oomKilled: false }),
      kill: async () => undefined,
      logs: async () => '',
      remove: async () => undefined,
    };
    return {
      id: 'noop',
      start: async () => {
        this.started++;
        return running;
      },
      remove: async () => undefined,
    };
  }
}

function benchModel(): BatchModel {
  return {
    ...emptyBatchModel(),
    computeEnvironments: [
      {
        computeEnvironmentName: 'ce',
        type: 'MANAGED',
        state: 'ENABLED',
        computeResources: { type: 'EC2', maxvCpus: 256, subnets: ['subnet-1'] },
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
        jobDefinitionName: 'noop',
        type: 'container',
        revision: 1,
        containerProperties: {
          image: 'noop',
          command: ['true'],
          resourceRequirements: [
            { type: 'VCPU', value: '1' },
            { type: 'MEMORY', value: '64' },
          ],
        },
      },
    ],
  };
}

function heapMiB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / (1024 * 1024);
}

interface Measurement {
  readonly size: number;
  readonly seconds: number;
  readonly heapMiB: number;
  readonly containers: number;
  readonly ok: boolean;
}

async function measure(size: number): Promise<Measurement> {
  const runtime = new NoopRuntime();
  const before = heapMiB();
  const executor = await LocalExecutor.open({
    model: benchModel(),
    runtime,
    storeDir: ':memory:',
    maxVcpus: 256,
    maxMemoryMiB: 1_000_000,
    runId: 'bench',
  });
  const t0 = process.hrtime.bigint();
  // Batch caps an array at 10,000 children: larger sizes run as several A/B pairs of 10,000.
  const pairs = Math.ceil(size / 10_000);
  const ids: string[] = [];
  for (let p = 0; p < pairs; p++) {
    const n = size / pairs;
    const a = executor.submitJob({
      jobName: `A${p}`,
      jobQueue: 'q',
      jobDefinition: 'noop',
      arrayProperties: { size: n },
    });
    const b = executor.submitJob({
      jobName: `B${p}`,
      jobQueue: 'q',
      jobDefinition: 'noop',
      arrayProperties: { size: n },
      dependsOn: [{ jobId: a.jobId, type: 'N_TO_N' }],
    });
    ids.push(a.jobId, b.jobId);
  }
  const done = await Promise.all(ids.map((id) => executor.waitForJob(id)));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const heap = heapMiB() - before;
  await executor.close();
  return {
    size,
    seconds,
    heapMiB: heap,
    containers: runtime.started,
    ok: done.every((d) => d.status === 'SUCCEEDED') && runtime.started === 2 * size,
  };
}

/** Runs the benchmark. */
export async function run(): Promise<BenchResult> {
  const sizes = (process.env.BATCHKIT_BENCH_SCHED_SIZES ?? '1000,10000,50000').split(',').map(Number);
  const results: Measurement[] = [];
  for (const size of sizes) results.push(await measure(size));
  const rows: BenchRow[] = results.map((r) => ({
    'children per array': r.size,
    jobs: 2 * r.size + 2,
    'wall s': Number(r.seconds.toFixed(3)),
    'µs per job': Math.round((r.seconds * 1e6) / (2 * r.size)),
    'heap MiB': Number(r.heapMiB.toFixed(1)),
    'all succeeded': r.ok,
  }));
  const targets: BenchTarget[] = [];
  const tenK = results.find((r) => r.size === 10_000);
  if (tenK) {
    targets.push({
      description: '10,000 + 10,000 N_TO_N children final in < 2 s',
      pass: tenK.ok && tenK.seconds < 2,
      measured: `${tenK.seconds.toFixed(3)} s`,
    });
    targets.push({
      description: '10,000 + 10,000 N_TO_N children in < 300 MB of heap',
      pass: tenK.heapMiB < 300,
      measured: `${tenK.heapMiB.toFixed(1)} MiB`,
    });
  }
  const big = results.find((r) => r.size === 50_000);
  if (tenK && big) {
    const ratio = big.seconds / big.size / (tenK.seconds / tenK.size);
    targets.push({
      description: 'time per job at 50,000 ≤ 1.5× time per job at 10,000 (linear growth)',
      pass: ratio <= 1.5,
      measured: `${ratio.toFixed(2)}×`,
    });
    const memRatio = big.heapMiB / big.size / (tenK.heapMiB / tenK.size);
    targets.push({
      description: 'heap per job at 50,000 ≤ 1.5× heap per job at 10,000 (linear growth)',
      pass: memRatio <= 1.5,
      measured: `${memRatio.toFixed(2)}×`,
    });
  }
  return {
    title: 'scheduler: N-child array with N_TO_N on another N-child array, no-op runtime',
    rows,
    targets,
    notes: [
      'in-memory store, no event listeners; environment of 256 vCPUs, 1 vCPU per child',
      (globalThis as { gc?: () => void }).gc
        ? 'heap measured after a forced GC'
        : 'heap measured without --expose-gc (includes garbage not yet collected)',
    ],
  };
}
