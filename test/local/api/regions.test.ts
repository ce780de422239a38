/**
 * Every region on one port: the real SDK clients, signed for different regions, see separate
 * resources with their region's ARNs; the app's resources sit in their stacks' regions; regions
 * opened by a request come back after a restart.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import {
  BatchClient,
  DescribeJobDefinitionsCommand,
  DescribeJobQueuesCommand,
  DescribeJobsCommand,
  RegisterJobDefinitionCommand,
  SubmitJobCommand,
} from '@aws-sdk/client-batch';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { BatchModel } from '../../../lib/core/model/batch-model';
import { startLocalBatchService, type LocalBatchService } from '../../../lib/local/api';
import { ManualClock } from '../../../lib/local/clock';
import { FakeRuntime } from '../../../lib/testing/fake-runtime';
import { sampleModel } from './support';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const batch = (endpoint: string, region: string) => new BatchClient({ endpoint, region, credentials, maxAttempts: 1 });

/** sampleModel's resources in stack `Home`, and a copy named `eu-*` in stack `Frankfurt` (eu-central-1). */
function twoStackModel(): BatchModel {
  const m = sampleModel();
  const home = { stack: 'Home' };
  const eu = { stack: 'Frankfurt' };
  return {
    ...m,
    computeEnvironments: [
      ...m.computeEnvironments.map((c) => ({ ...c, source: home })),
      ...m.computeEnvironments.map((c) => ({ ...c, computeEnvironmentName: 'eu-ce', source: eu })),
    ],
    jobQueues: [
      ...m.jobQueues.map((q) => ({ ...q, source: home })),
      ...m.jobQueues.map((q) => ({
        ...q,
        jobQueueName: 'eu-queue',
        computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'eu-ce' }],
        source: eu,
      })),
    ],
    jobDefinitions: [
      ...m.jobDefinitions.map((j) => ({ ...j, source: home })),
      ...m.jobDefinitions.map((j) => ({ ...j, jobDefinitionName: 'eu-hello', source: eu })),
    ],
  };
}

let store: string;
let clock: ManualClock;
let service: LocalBatchService;
const clients: Array<{ destroy(): void }> = [];

async function start(): Promise<LocalBatchService> {
  clock = new ManualClock(Date.now());
  return startLocalBatchService({
    model: twoStackModel(),
    stackRegions: new Map([['Frankfurt', 'eu-central-1']]),
    runtime: new FakeRuntime(clock, () => ({ durationMs: 1000 })),
    storeDir: store,
    settleMs: 0,
    executor: { clock, maxVcpus: 4, maxMemoryMiB: 4096 },
  });
}

function client<T extends { destroy(): void }>(c: T): T {
  clients.push(c);
  return c;
}

beforeEach(async () => {
  store = mkdtempSync(path.join(tmpdir(), 'batchkit-regions-'));
  service = await start();
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await service.close();
  rmSync(store, { recursive: true, force: true });
});

test('two clients in two regions see their own resources, with their region in every ARN', async () => {
  const us = client(batch(service.server.url, 'us-east-1'));
  const eu = client(batch(service.server.url, 'eu-central-1'));
  const usQueues = await us.send(new DescribeJobQueuesCommand({}));
  const euQueues = await eu.send(new DescribeJobQueuesCommand({}));
  expect(
    usQueues.jobQueues?.map((q) => [q.jobQueueName, q.jobQueueArn, q.computeEnvironmentOrder?.[0]?.computeEnvironment]),
  ).toEqual([
    [
      'main-queue',
      'arn:aws:batch:us-east-1:123456789012:job-queue/main-queue',
      'arn:aws:batch:us-east-1:123456789012:compute-environment/main-ce',
    ],
  ]);
  expect(
    euQueues.jobQueues?.map((q) => [q.jobQueueName, q.jobQueueArn, q.computeEnvironmentOrder?.[0]?.computeEnvironment]),
  ).toEqual([
    [
      'eu-queue',
      'arn:aws:batch:eu-central-1:123456789012:job-queue/eu-queue',
      'arn:aws:batch:eu-central-1:123456789012:compute-environment/eu-ce',
    ],
  ]);

  const registered = await eu.send(
    new RegisterJobDefinitionCommand({
      jobDefinitionName: 'only-in-eu',
      type: 'container',
      containerProperties: { image: 'local/busybox:test', vcpus: 1, memory: 64 },
    }),
  );
  expect(registered.jobDefinitionArn).toBe('arn:aws:batch:eu-central-1:123456789012:job-definition/only-in-eu:1');
  expect(
    (await us.send(new DescribeJobDefinitionsCommand({ jobDefinitionName: 'only-in-eu' }))).jobDefinitions,
  ).toEqual([]);

  const job = await eu.send(
    new SubmitJobCommand({ jobName: 'frankfurt', jobQueue: 'eu-queue', jobDefinition: 'eu-hello' }),
  );
  expect(job.jobArn).toBe(`arn:aws:batch:eu-central-1:123456789012:job/${job.jobId}`);
  await clock.advance(1);
  await clock.advance(1500);
  const euJob = (await eu.send(new DescribeJobsCommand({ jobs: [job.jobId as string] }))).jobs?.[0];
  expect([euJob?.status, euJob?.jobQueue, euJob?.jobDefinition]).toEqual([
    'SUCCEEDED',
    'arn:aws:batch:eu-central-1:123456789012:job-queue/eu-queue',
    'arn:aws:batch:eu-central-1:123456789012:job-definition/eu-hello:1',
  ]);
  expect((await us.send(new DescribeJobsCommand({ jobs: [job.jobId as string] }))).jobs).toEqual([]);
  const wrongRegion = await us
    .send(new SubmitJobCommand({ jobName: 'x', jobQueue: 'eu-queue', jobDefinition: 'hello' }))
    .catch((e: unknown) => e);
  expect((wrongRegion as Error).message).toMatch(/^Job queue eu-queue does not exist/);

  const euLogs = client(
    new CloudWatchLogsClient({ endpoint: service.server.url, region: 'eu-central-1', credentials, maxAttempts: 1 }),
  );
  expect((await euLogs.send(new DescribeLogGroupsCommand({}))).logGroups?.map((g) => g.logGroupArn)).toEqual([
    'arn:aws:logs:eu-central-1:123456789012:log-group:/aws/batch/job',
  ]);
});

test(
  'a region nobody declared opens empty on its first request, in its own ' + 'partition; a non-region is refused',
  async () => {
    const cn = client(batch(service.server.url, 'cn-north-1'));
    expect((await cn.send(new DescribeJobQueuesCommand({}))).jobQueues).toEqual([]);
    const r = await cn.send(
      new RegisterJobDefinitionCommand({
        jobDefinitionName: 'cn',
        type: 'container',
        containerProperties: { image: 'local/busybox:test', vcpus: 1, memory: 64 },
      }),
    );
    expect(r.jobDefinitionArn).toBe('arn:aws-cn:batch:cn-north-1:123456789012:job-definition/cn:1');
    expect(service.regions().sort()).toEqual(['cn-north-1', 'eu-central-1', 'us-east-1']);

    const bad = await fetch(`${service.server.url}/v1/describejobqueues`, {
      method: 'POST',
      headers: {
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKID/20261206/moon-base/batch/aws4_request, ' +
          'SignedHeaders=host, Signature=00',
        'content-type': 'application/json',
      },
      body: '{}',
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      __type: 'ClientException',
      message:
        'The request is signed for region "moon-base", which is not an AWS ' +
        'region name (like us-east-1). Fix: configure the client with a real region.',
    });
    expect(service.regions()).not.toContain('moon-base');
  },
);

test('regions opened by requests come back with their resources after a restart', async () => {
  const ap = client(batch(service.server.url, 'ap-southeast-2'));
  await ap.send(
    new RegisterJobDefinitionCommand({
      jobDefinitionName: 'sydney',
      type: 'container',
      containerProperties: { image: 'local/busybox:test', vcpus: 1, memory: 64 },
    }),
  );
  await service.close();
  service = await start();
  expect(service.regions().sort()).toEqual(['ap-southeast-2', 'eu-central-1', 'us-east-1']);
  const again = client(batch(service.server.url, 'ap-southeast-2'));
  const d = await again.send(new DescribeJobDefinitionsCommand({ jobDefinitionName: 'sydney' }));
  expect(d.jobDefinitions?.map((j) => j.jobDefinitionArn)).toEqual([
    'arn:aws:batch:ap-southeast-2:123456789012:job-definition/sydney:1',
  ]);
  const unsigned = await fetch(`${service.server.url}/v1/describejobdefinitions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"jobDefinitionName":"sydney"}',
  });
  expect(((await unsigned.json()) as { jobDefinitions: unknown[] }).jobDefinitions).toEqual([]);
});
