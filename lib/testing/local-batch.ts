/**
 * `LocalBatch`: a CDK app's AWS Batch resources run on the local executor, from a Jest test.
 * It opens the same executor and Batch HTTP API as `batchkit local run|serve` (lib/local), over the
 * model the core loader reads from the synthesized assembly, and adds what a test needs: construct
 * objects as arguments, job handles, the events, isolation from other test processes, and a
 * `close()` that leaves no container behind.
 */
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import type { BatchClient } from '@aws-sdk/client-batch';
import type { IConstruct } from 'constructs';
import { loadBatchModel } from '../core/assembly';
import { BatchkitError } from '../core/errors';
import type { BatchModel } from '../core/model/batch-model';
import type { BatchJobEvent } from '../core/model/events';
import type { JobDependency, SubmitJobRequest } from '../core/model/job';
import type { LocalBatchService } from '../local/api/service';
import { SystemClock, type Clock } from '../local/clock';
import type { LocalExecutor } from '../local/executor';
import type { ContainerRuntime } from '../local/runtime/container-runtime';
import type { DockerRuntime } from '../local/runtime/docker-runtime';
import { JOB_ERRORS, JobHandle, type FinishedJob, type HandleHost } from './job-handle';
import { MEMORY_STORE, OwnedRuntime, ownershipFor } from './owned-runtime';
import { resolveJobDefinition, resolveJobQueue, type JobDefinitionRef, type JobQueueRef } from './refs';
import { synthesize } from './synth';

/** Options of {@link LocalBatch}. */
export interface LocalBatchOptions {
  /** Local-only: 60 makes a 60 s timeout fire after 1 s of wall time. @default 1 */
  readonly timeScale?: number;
  /** Cap on the vCPUs of every compute environment. @default - the CPUs of this host */
  readonly maxVcpus?: number;
  /** Cap on the memory (MiB) of every compute environment. @default - the memory of this host */
  readonly maxMemoryMiB?: number;
  /** GPUs jobs may use. @default - the NVIDIA devices of this host with the Docker engine; 0 with another runtime */
  readonly maxGpus?: number;
  /**
   * Secret values by `valueFrom` (ARN or parameter name); never printed. @default - none: a job that needs a
   * secret fails its attempt
   */
  readonly secrets?: Readonly<Record<string, string>>;
  /**
   * The container engine: the local Docker engine, a {@link ContainerRuntime} of yours, or a function
   * that receives the executor's clock and returns one (`(clock) => new FakeRuntime(clock, script)`
   * runs jobs in process, without Docker).
   * @default - the Docker engine of `DOCKER_HOST` or /var/run/docker.sock; CDK docker image assets are built as
   * `batchkit local run` builds them
   */
  readonly runtime?: ContainerRuntime | ((clock: Clock) => ContainerRuntime);
  /**
   * Job store directory (SQLite): jobs of an earlier LocalBatch on the same directory are recovered.
   * @default - an in-memory store: nothing is written to disk
   */
  readonly storeDir?: string;
  /**
   * Only these stacks of an app or assembly (artifact ids or stack names). @default - the stack given to
   * `fromStack`, else every stack
   */
  readonly stacks?: readonly string[];
  /**
   * Let job containers call the local Batch API back (`AWS_ENDPOINT_URL_BATCH`, dummy credentials,
   * host networking for every job, Fargate ones included): for jobs that submit jobs.
   * @default false - jobs run with the network mode AWS gives them, as with `batchkit local run`
   */
  readonly jobsCallApi?: boolean;
  /**
   * Images to run in place of the ones the job definitions name, e.g.
   * `{ 'public.ecr.aws/amazonlinux/amazonlinux:2023': 'local/busybox:test' }`: batchkit never pulls
   * from a registry, so a test maps a registry image to one already on the engine. Asset images are
   * built from the assembly and need no entry.
   * @default - every image is used as the job definition names it
   */
  readonly imageOverrides?: Readonly<Record<string, string>>;
  /** Clock of the executor (a fake runtime's clock). @default - the system clock with `timeScale` */
  readonly clock?: Clock;
  /** Progress lines (image asset builds). @default - silent */
  readonly onProgress?: (line: string) => void;
}

/** A job to submit: SubmitJob's fields, with constructs accepted for the queue and the definition. */
export interface LocalSubmitJob extends Omit<SubmitJobRequest, 'jobName' | 'jobQueue' | 'jobDefinition' | 'dependsOn'> {
  /** The job queue: a construct (batchkit, `aws-batch` L2, `CfnJobQueue`) or its name, ARN or logical id. */
  readonly jobQueue: JobQueueRef;
  /**
   * The job definition: a construct (batchkit, `aws-batch` L2, `CfnJobDefinition`) or its name, `name:revision`,
   * ARN or logical id.
   */
  readonly jobDefinition: JobDefinitionRef;
  /** Job name. @default - the job definition's name */
  readonly jobName?: string;
  /** Shortcut for `arrayProperties: { size }`. @default - not an array job (unless `arrayProperties` is given) */
  readonly arraySize?: number;
  /** Jobs this one depends on: handles, or `{ jobId, type }` as in SubmitJob. @default - none */
  readonly dependsOn?: ReadonlyArray<JobHandle | JobDependency>;
}

/** Error codes of LocalBatch itself (references: refs.ts, jobs: job-handle.ts). */
export const LOCAL_BATCH_ERRORS = {
  notAStackOrApp: 'BATCHKIT-TESTING-001',
  closed: 'BATCHKIT-TESTING-002',
} as const;

/** The AWS Batch resources of a CDK app, running locally, for tests. */
export class LocalBatch {
  /**
   * Synthesizes the stack (only that stack is loaded) or the app/stage (every stack) into its
   * output directory (a temporary directory unless the App was given an `outdir`) and opens it.
   */
  static async fromStack(stackOrApp: IConstruct, options: LocalBatchOptions = {}): Promise<LocalBatch> {
    const { directory, stacks } = synthesize(stackOrApp);
    return LocalBatch.open(loadBatchModel(directory, { stacks: options.stacks ?? stacks }), options);
  }

  /** Opens a synthesized cloud assembly directory (`cdk.out`). */
  static async fromAssembly(directory: string, options: LocalBatchOptions = {}): Promise<LocalBatch> {
    return LocalBatch.open(loadBatchModel(directory, { stacks: options.stacks }), options);
  }

  /** Opens a CloudFormation template file (JSON or YAML). */
  static async fromTemplate(file: string, options: LocalBatchOptions = {}): Promise<LocalBatch> {
    return LocalBatch.open(loadBatchModel(file), options);
  }

  /** Opens an already loaded model. */
  static async open(model: BatchModel, options: LocalBatchOptions = {}): Promise<LocalBatch> {
    const clock = options.clock ?? new SystemClock(options.timeScale ?? 1);
    let inner: ContainerRuntime;
    let maxGpus: number;
    if (options.runtime === undefined) {
      // dockerode is loaded only when the Docker engine is used.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { DockerRuntime: Docker } = require('../local/runtime/docker-runtime') as {
        DockerRuntime: typeof DockerRuntime;
      };
      const docker = new Docker({ assets: model.dockerImageAssets, onProgress: options.onProgress });
      const [, host] = await Promise.all([docker.ping(), docker.hostResources()]);
      maxGpus = options.maxGpus ?? host.gpus;
      inner = docker;
    } else {
      inner = typeof options.runtime === 'function' ? options.runtime(clock) : options.runtime;
      maxGpus = options.maxGpus ?? 0;
      await inner.ping();
    }
    const store = options.storeDir === undefined ? MEMORY_STORE : path.resolve(options.storeDir);
    const runtime = new OwnedRuntime(inner, ownershipFor(randomUUID(), store), options.imageOverrides);
    const reaped = await runtime.reapOrphans();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { startLocalBatchService } = require('../local/api/service') as typeof import('../local/api/service');
    const service = await startLocalBatchService({
      model,
      runtime,
      storeDir: store,
      callbacks: options.jobsCallApi ?? false,
      executor: {
        clock,
        maxVcpus: options.maxVcpus,
        maxMemoryMiB: options.maxMemoryMiB,
        maxGpus,
        secrets: { ...(options.secrets ?? {}) },
      },
    });
    return new LocalBatch(model, service, runtime, reaped);
  }

  /** Every event so far ("Batch Job State Change", "Batch Job Queue Blocked"), in order. */
  readonly events: BatchJobEvent[] = [];
  /** Ids of containers of killed test processes removed when this LocalBatch opened. */
  readonly reapedAtOpen: readonly string[];
  private readonly host: HandleHost;
  private readonly clients: BatchClient[] = [];
  private rejectClosed: (e: Error) => void = () => undefined;
  private closing?: Promise<void>;

  private constructor(
    /** The resources loaded from the app. */
    readonly model: BatchModel,
    private readonly service: LocalBatchService,
    private readonly runtime: OwnedRuntime,
    reaped: string[],
  ) {
    this.reapedAtOpen = reaped;
    const closed = new Promise<never>((_, reject) => (this.rejectClosed = reject));
    closed.catch(() => undefined);
    this.host = { executor: service.executor, closed };
    service.executor.onEvent((e) => this.events.push(e));
  }

  /** The executor (for what the handles do not cover: listJobs, onLog, whyRunnable, ...). */
  get executor(): LocalExecutor {
    return this.service.executor;
  }

  /**
   * The local Batch HTTP API over the same executor (`http://127.0.0.1:<port>`), for `@aws-sdk/client-batch` or
   * the AWS CLI.
   */
  get endpoint(): string {
    return this.service.server.url;
  }

  /** Label value `batchkit.testing.owner` on this instance's containers. */
  get owner(): string {
    return this.runtime.ownership.owner;
  }

  /**
   * A `BatchClient` of `@aws-sdk/client-batch` pointed at {@link endpoint} (region of the app,
   * dummy credentials). The SDK is loaded on the first call; clients are destroyed by `close()`.
   */
  batchClient(): BatchClient {
    this.assertOpen();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const sdk = require('@aws-sdk/client-batch') as typeof import('@aws-sdk/client-batch');
    const client = new sdk.BatchClient({
      endpoint: this.endpoint,
      region: this.model.environment.region,
      credentials: { accessKeyId: 'batchkit-local', secretAccessKey: 'batchkit-local' },
    });
    this.clients.push(client);
    return client;
  }

  /** SubmitJob; throws a BatchkitError (code, field, fix) for a bad request or an unknown queue/definition. */
  submitJob(job: LocalSubmitJob): JobHandle {
    this.assertOpen();
    const queue = resolveJobQueue(this.model, job.jobQueue);
    const definition = resolveJobDefinition(this.model, job.jobDefinition);
    const { jobQueue: _q, jobDefinition: _d, arraySize, dependsOn, jobName, ...rest } = job;
    const request: SubmitJobRequest = {
      ...rest,
      jobName: jobName ?? definition.jobDefinitionName,
      jobQueue: queue.jobQueueArn ?? queue.jobQueueName,
      jobDefinition:
        definition.jobDefinitionArn ??
        (definition.revision !== undefined
          ? `${definition.jobDefinitionName}:${definition.revision}`
          : definition.jobDefinitionName),
      ...(arraySize !== undefined ? { arrayProperties: { ...(rest.arrayProperties ?? {}), size: arraySize } } : {}),
      ...(dependsOn
        ? { dependsOn: dependsOn.map((d) => (d instanceof JobHandle ? { jobId: d.jobId } : { ...d })) }
        : {}),
    };
    const submitted = this.service.executor.submitJob(request);
    return new JobHandle(this.host, submitted.jobId, submitted.jobName);
  }

  /** {@link submitJob}, then {@link JobHandle.wait}: resolves with the SUCCEEDED or FAILED job. */
  runJob(job: LocalSubmitJob): Promise<FinishedJob> {
    return this.submitJob(job).wait();
  }

  /** The handle of a job submitted some other way (through the API, by a job). */
  job(jobId: string): JobHandle {
    const [detail] = this.service.executor.describeJobs([jobId]);
    if (!detail)
      throw new BatchkitError('BATCHKIT-TESTING-203', 'not-found', `No job with id ${jobId}.`, {
        fix: 'pass the jobId of a job submitted to this LocalBatch.',
      });
    return new JobHandle(this.host, detail.jobId, detail.jobName);
  }

  /**
   * Stops the API server and the executor and force-removes every container of this LocalBatch.
   * Waits on jobs reject with `BATCHKIT-TESTING-202`. Safe to call twice (e.g. in `afterAll`).
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.rejectClosed(
        new BatchkitError(JOB_ERRORS.closed, 'input', 'The LocalBatch was closed before the job finished.', {
          fix: 'await the job (wait/runJob) before close().',
        }),
      );
      for (const c of this.clients) c.destroy();
      await this.service.close();
      await this.runtime.removeOwn();
    })();
    return this.closing;
  }

  private assertOpen(): void {
    if (this.closing)
      throw new BatchkitError(LOCAL_BATCH_ERRORS.closed, 'input', 'This LocalBatch is closed.', {
        fix: 'open a new one (LocalBatch.fromStack) for further jobs.',
      });
  }
}
