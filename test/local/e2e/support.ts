/**
 * End-to-end set-up: a LocalExecutor on the real Docker engine (DockerRuntime) with a small model
 * built as a literal, recording every event.
 */
import { randomUUID } from 'crypto';
import { emptyBatchModel, type BatchModel } from '../../../lib/core/model/batch-model';
import type { LoadedComputeEnvironment } from '../../../lib/core/model/compute-environment';
import type { BatchJobEvent, JobQueueBlockedEvent, JobStateChangeEvent } from '../../../lib/core/model/events';
import { recordEvents } from '../../_helpers/events';
import type { JobDetail, JobStatus, SubmitJobRequest } from '../../../lib/core/model/job';
import type { ContainerProperties, LoadedJobDefinition } from '../../../lib/core/model/job-definition';
import type { LoadedJobQueue } from '../../../lib/core/model/job-queue';
import { LocalExecutor, type LocalExecutorOptions } from '../../../lib/local/executor';
import { DockerRuntime } from '../../../lib/local/runtime/docker-runtime';
import type {
  ContainerRuntime,
  ContainerSpec,
  FoundContainer,
  PreparedContainer,
} from '../../../lib/local/runtime/container-runtime';
import { parseLogText } from '../../../lib/local/runtime/log-demux';

/** The busybox test image. */
export const IMAGE = process.env.BATCHKIT_TEST_IMAGE ?? 'local/busybox:test';

/** A managed EC2 environment of `maxvCpus`. */
export function ce(name: string, maxvCpus: number): LoadedComputeEnvironment {
  return {
    computeEnvironmentName: name,
    type: 'MANAGED',
    state: 'ENABLED',
    computeResources: { type: 'EC2', maxvCpus, subnets: ['subnet-1'] },
  };
}

/** A queue over environments in order. */
export function queue(name: string, ces: string[], priority = 1): LoadedJobQueue {
  return {
    jobQueueName: name,
    priority,
    state: 'ENABLED',
    computeEnvironmentOrder: ces.map((c, i) => ({ order: i + 1, computeEnvironment: c })),
  };
}

/** A container definition on the test image with 1 vCPU and 32 MiB. */
export function def(
  name: string,
  command: string[],
  extra: Partial<LoadedJobDefinition> = {},
  container: Partial<ContainerProperties> = {},
): LoadedJobDefinition {
  return {
    jobDefinitionName: name,
    type: 'container',
    revision: 1,
    containerProperties: {
      image: IMAGE,
      command,
      resourceRequirements: [
        { type: 'VCPU', value: '1' },
        { type: 'MEMORY', value: '32' },
      ],
      ...container,
    },
    ...extra,
  };
}

/** A model: queue `q` over `ce1` (maxvCpus) plus the given definitions. */
export function model(defs: LoadedJobDefinition[], maxvCpus = 2, extra: Partial<BatchModel> = {}): BatchModel {
  return {
    ...emptyBatchModel(),
    jobDefinitions: defs,
    jobQueues: [queue('q', ['ce1'])],
    computeEnvironments: [ce('ce1', maxvCpus)],
    ...extra,
  };
}

/** An executor on Docker with its events. */
export interface DockerHarness {
  readonly executor: LocalExecutor;
  readonly runtime: DockerRuntime;
  /** "Batch Job State Change" events, in order. */
  readonly events: JobStateChangeEvent[];
  /** "Batch Job Queue Blocked" events, in order. */
  readonly blocked: JobQueueBlockedEvent[];
  /** Every event, in order. */
  readonly all: BatchJobEvent[];
  /** Submits and waits for the job. */
  run(req: Omit<SubmitJobRequest, 'jobQueue'> & { jobQueue?: string }): Promise<JobDetail>;
  /** Status sequence of a job from its events. */
  statuses(jobId: string): JobStatus[];
  close(): Promise<void>;
}

/** Opens an executor on the real engine (in-memory store). */
export async function dockerHarness(
  m: BatchModel,
  options: Partial<LocalExecutorOptions> = {},
): Promise<DockerHarness> {
  const runtime = new DockerRuntime({ assets: m.dockerImageAssets });
  const runId = `e2e-${randomUUID().slice(0, 8)}`;
  const executor = await LocalExecutor.open({
    model: m,
    runtime,
    storeDir: ':memory:',
    maxVcpus: 2,
    maxMemoryMiB: 4096,
    runId,
    ...options,
  });
  const { events, blocked, all } = recordEvents(executor);
  return {
    executor,
    runtime,
    events,
    blocked,
    all,
    run: async (req) => {
      const { jobId } = executor.submitJob({ jobQueue: 'q', ...req });
      return executor.waitForJob(jobId);
    },
    statuses: (jobId) => events.filter((e) => e.detail.jobId === jobId).map((e) => e.detail.status),
    close: async () => {
      await executor.close();
      await runtime.reap(runId);
    },
  };
}

/** The messages of a job's stored log (timestamps and stream names removed). */
export function messages(executor: LocalExecutor, jobId: string, attempt?: number): string[] {
  return executor
    .logs(jobId, attempt)
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.replace(/^\S+ (stdout|stderr) /, ''));
}

/**
 * The stored log lines of one stream, in the order the container wrote them. Docker delivers
 * stdout and stderr separately, so the order between the two streams is not the container's;
 * within one stream it is.
 */
export function streamMessages(
  executor: LocalExecutor,
  jobId: string,
  stream: 'stdout' | 'stderr',
  attempt?: number,
): string[] {
  return parseLogText(executor.logs(jobId, attempt))
    .filter((e) => e.stream === stream && e.message !== '')
    .map((e) => e.message);
}

/** The Docker runtime, counting the containers it creates (the restart and stop tests check none is created twice). */
export class CountingRuntime implements ContainerRuntime {
  readonly prepared: string[] = [];
  constructor(readonly inner: DockerRuntime) {}
  ping(): Promise<void> {
    return this.inner.ping();
  }
  list(runId?: string): Promise<FoundContainer[]> {
    return this.inner.list(runId);
  }
  prepare(spec: ContainerSpec): Promise<PreparedContainer> {
    this.prepared.push(spec.jobId);
    return this.inner.prepare(spec);
  }
}
