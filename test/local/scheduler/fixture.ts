/** Shared set-up for the scheduler unit tests: a small model, a manual clock and the fake runtime. */
import { emptyBatchModel, type BatchModel } from '../../../lib/core/model/batch-model';
import type { LoadedComputeEnvironment } from '../../../lib/core/model/compute-environment';
import type { BatchJobEvent, JobQueueBlockedEvent, JobStateChangeEvent } from '../../../lib/core/model/events';
import { recordEvents } from '../../_helpers/events';
import type { JobStatus } from '../../../lib/core/model/job';
import type { LoadedJobDefinition } from '../../../lib/core/model/job-definition';
import type { LoadedJobQueue } from '../../../lib/core/model/job-queue';
import { ManualClock } from '../../../lib/local/clock';
import { LocalExecutor, type LocalExecutorOptions } from '../../../lib/local/executor';
import { FakeRuntime, type FakeScript } from '../../../lib/testing/fake-runtime';

/** A managed EC2 compute environment. */
export function ce(
  name: string,
  maxvCpus: number,
  extra: Partial<LoadedComputeEnvironment> = {},
): LoadedComputeEnvironment {
  return {
    computeEnvironmentName: name,
    type: 'MANAGED',
    state: 'ENABLED',
    computeResources: { type: 'EC2', maxvCpus, subnets: ['subnet-1'] },
    ...extra,
  };
}

/** A queue over environments in order. */
export function queue(
  name: string,
  priority: number,
  ces: string[],
  extra: Partial<LoadedJobQueue> = {},
): LoadedJobQueue {
  return {
    jobQueueName: name,
    priority,
    state: 'ENABLED',
    computeEnvironmentOrder: ces.map((c, i) => ({ order: i + 1, computeEnvironment: c })),
    ...extra,
  };
}

/** A container job definition with 1 vCPU and 512 MiB unless told otherwise. */
export function jobDef(
  name: string,
  extra: Partial<LoadedJobDefinition> = {},
  vcpus = '1',
  memory = '512',
): LoadedJobDefinition {
  return {
    jobDefinitionName: name,
    type: 'container',
    revision: 1,
    containerProperties: {
      image: 'local/busybox:test',
      command: ['echo', 'Ref::greeting'],
      resourceRequirements: [
        { type: 'VCPU', value: vcpus },
        { type: 'MEMORY', value: memory },
      ],
    },
    parameters: { greeting: 'hello' },
    ...extra,
  };
}

/** A model with one queue `q` over one environment `ce1` of `maxvCpus` and the given definitions. */
export function model(
  defs: LoadedJobDefinition[],
  parts: Partial<Pick<BatchModel, 'jobQueues' | 'computeEnvironments' | 'schedulingPolicies'>> = {},
  maxvCpus = 4,
): BatchModel {
  return {
    ...emptyBatchModel(),
    jobDefinitions: defs,
    jobQueues: parts.jobQueues ?? [queue('q', 1, ['ce1'])],
    computeEnvironments: parts.computeEnvironments ?? [ce('ce1', maxvCpus)],
    schedulingPolicies: parts.schedulingPolicies ?? [],
  };
}

/** An executor on a manual clock and a fake runtime, recording every event. */
export interface Harness {
  readonly executor: LocalExecutor;
  readonly clock: ManualClock;
  readonly runtime: FakeRuntime;
  /** "Batch Job State Change" events, in order. */
  readonly events: JobStateChangeEvent[];
  /** "Batch Job Queue Blocked" events, in order. */
  readonly blocked: JobQueueBlockedEvent[];
  /** Every event, in order. */
  readonly all: BatchJobEvent[];
  /** Status sequence of one job as its events show it. */
  statuses(jobId: string): JobStatus[];
  /** Advances the clock until idle, in steps. */
  settle(ms?: number): Promise<void>;
}

/** Builds a {@link Harness}. */
export async function harness(
  m: BatchModel,
  script?: FakeScript,
  options: Partial<LocalExecutorOptions> = {},
): Promise<Harness> {
  const clock = new ManualClock();
  const runtime = new FakeRuntime(clock, script);
  const executor = await LocalExecutor.open({
    model: m,
    runtime,
    clock,
    storeDir: ':memory:',
    maxVcpus: 64,
    maxMemoryMiB: 65536,
    runId: 'run-1',
    ...options,
  });
  const { events, blocked, all } = recordEvents(executor);
  return {
    executor,
    clock,
    runtime,
    events,
    blocked,
    all,
    statuses: (jobId) => events.filter((e) => e.detail.jobId === jobId).map((e) => e.detail.status),
    settle: async (ms = 600_000) => {
      for (let t = 0; t < ms; t += 1000) await clock.advance(1000);
    },
  };
}
