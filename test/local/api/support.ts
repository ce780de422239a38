/** Shared set-up of the local Batch API tests: a service on 127.0.0.1 over the fake runtime. */
import { BatchClient } from '@aws-sdk/client-batch';
import { emptyBatchModel, type BatchModel } from '../../../lib/core/model/batch-model';
import { startLocalBatchService, type LocalBatchService } from '../../../lib/local/api';
import { ManualClock } from '../../../lib/local/clock';
import { FakeRuntime, type FakeScript } from '../../../lib/testing/fake-runtime';

/** The account and region of every test ARN. */
export const ARN_PREFIX = 'arn:aws:batch:us-east-1:123456789012';

/** A model with one EC2 compute environment (4 vCPUs), one queue and one job definition. */
export function sampleModel(): BatchModel {
  return {
    ...emptyBatchModel(),
    computeEnvironments: [
      {
        computeEnvironmentName: 'main-ce',
        type: 'MANAGED',
        state: 'ENABLED',
        computeResources: {
          type: 'EC2',
          allocationStrategy: 'BEST_FIT_PROGRESSIVE',
          minvCpus: 0,
          maxvCpus: 4,
          instanceTypes: ['optimal'],
          subnets: ['subnet-0123456789abcdef0'],
          securityGroupIds: ['sg-0123456789abcdef0'],
          instanceRole: 'arn:aws:iam::123456789012:instance-profile/ecsInstanceRole',
        },
      },
    ],
    jobQueues: [
      {
        jobQueueName: 'main-queue',
        state: 'ENABLED',
        priority: 10,
        computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'main-ce' }],
      },
    ],
    jobDefinitions: [
      {
        jobDefinitionName: 'hello',
        type: 'container',
        revision: 1,
        containerProperties: {
          image: 'local/busybox:test',
          command: ['echo', 'Ref::word'],
          resourceRequirements: [
            { type: 'VCPU', value: '1' },
            { type: 'MEMORY', value: '128' },
          ],
        },
        parameters: { word: 'hi' },
      },
    ],
  };
}

/** A running service, an SDK client pointed at it, the fake engine and its clock. */
export interface TestService {
  readonly service: LocalBatchService;
  readonly client: BatchClient;
  readonly clock: ManualClock;
  readonly runtime: FakeRuntime;
  /** Lets the scheduler and fake containers run for `ms` of clock time. */
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts a service over the fake runtime (containers run `durationMs` of clock time). */
export async function startTestService(
  options: { model?: BatchModel; script?: FakeScript; settleMs?: number } = {},
): Promise<TestService> {
  const clock = new ManualClock(Date.now());
  const runtime = new FakeRuntime(clock, options.script ?? (() => ({ durationMs: 60_000 })));
  const service = await startLocalBatchService({
    model: options.model ?? sampleModel(),
    runtime,
    storeDir: ':memory:',
    settleMs: options.settleMs ?? 0,
    executor: { clock, maxVcpus: 4, maxMemoryMiB: 4096 },
  });
  const client = sdkClient(service.server.url);
  return {
    service,
    client,
    clock,
    runtime,
    advance: async (ms: number) => {
      await clock.advance(ms);
    },
    close: async () => {
      client.destroy();
      await service.close();
    },
  };
}

/** The real SDK client against a local URL (no retries, so errors surface at once). */
export function sdkClient(endpoint: string): BatchClient {
  return new BatchClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
}
