/**
 * LocalBatch on the real Docker engine: the README snippet, references by construct (batchkit, aws-cdk-lib
 * L2, L1), name, ARN and logical id, clear errors for constructs of other stacks, a missing image,
 * the Batch API endpoint, and close() removing the containers.
 */
import { DescribeJobsCommand, SubmitJobCommand } from '@aws-sdk/client-batch';
import Dockerode from 'dockerode';
import { isJobStateChangeEvent } from '../../lib';
import { LocalBatch, TESTING_LABELS } from '../../lib/testing';
import { twoStacks, type PlainStack, type RenderStack } from './stacks';

jest.setTimeout(120_000);

const docker = new Dockerode();
let render: RenderStack;
let plain: PlainStack;
let local: LocalBatch;

beforeAll(async () => {
  ({ render, plain } = twoStacks());
  local = await LocalBatch.fromStack(render, { maxVcpus: 2, maxMemoryMiB: 1024 });
});

afterAll(async () => {
  await local?.close();
});

async function ownContainers(owner: string): Promise<string[]> {
  const found = await docker.listContainers({ all: true, filters: { label: [`${TESTING_LABELS.owner}=${owner}`] } });
  return found.map((c) => c.Id);
}

test('the README snippet: an array job of 3 from constructs, with parameters; logs, children and events', async () => {
  const job = await local.runJob({
    jobQueue: render.queue,
    jobDefinition: render.render,
    arraySize: 3,
    parameters: { input: 's3://bucket/x' },
  });
  expect(job.status).toBe('SUCCEEDED');
  expect(job.arrayProperties?.statusSummary).toMatchObject({ SUCCEEDED: 3, FAILED: 0 });
  expect(await job.logs()).toBe('rendered s3://bucket/x 0\nrendered s3://bucket/x 1\nrendered s3://bucket/x 2\n');
  const children = job.children();
  expect(children.map((c) => c.jobId)).toEqual([0, 1, 2].map((i) => `${job.jobId}:${i}`));
  expect(await children[1].logs()).toBe('rendered s3://bucket/x 1\n');
  expect(await children[1].logs(1)).toBe('rendered s3://bucket/x 1\n');
  const statusesOf = (id: string) =>
    local.events
      .filter(isJobStateChangeEvent)
      .filter((e) => e.detail.jobId === id)
      .map((e) => e.detail.status);
  // A child is created PENDING with its parent; whether that first state is announced depends on when the
  // parent's fan-out ran, so only the moves after it are asserted.
  expect(statusesOf(children[2].jobId).filter((s) => s !== 'PENDING')).toEqual([
    'RUNNABLE',
    'STARTING',
    'RUNNING',
    'SUCCEEDED',
  ]);
  expect(statusesOf(job.jobId).at(-1)).toBe('SUCCEEDED');
  // A container is removed once its attempt's outcome is stored, just after the job's final state:
  // once the executor is idle, nothing is left of this instance.
  await local.executor.waitForIdle();
  expect(await ownContainers(local.owner)).toEqual([]);
});

test('references: the L1, the logical id, the name and the ARN name the same resources as the constructs', async () => {
  const cfnQueue = render.queue.node.defaultChild!;
  const logicalId = render.resolve(
    (render.render.node.defaultChild as unknown as { logicalId: string }).logicalId,
  ) as string;
  const byL1 = local.submitJob({ jobQueue: cfnQueue, jobDefinition: logicalId });
  const arn = local.model.jobQueues.find((q) =>
    q.source?.logicalId?.startsWith('BatchHighPriorityQueue'),
  )!.jobQueueArn!;
  expect(arn).toMatch(/^arn:aws:batch:us-east-1:123456789012:job-queue\//);
  const byName = local.submitJob({ jobQueue: arn, jobDefinition: 'render', jobName: 'by-name' });
  const [a, b] = await Promise.all([byL1.wait(), byName.wait()]);
  expect([a.status, b.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  expect(a.jobDefinition).toBe(b.jobDefinition);
  expect(a.jobName).toBe('render');
  expect(b.jobName).toBe('by-name');
  expect(await a.logs()).toBe('rendered none\n');
});

test(
  'a construct of another stack, a construct that is no queue and an ' + 'unknown name are coded errors naming them',
  () => {
    expect(() => local.submitJob({ jobQueue: plain.queue, jobDefinition: render.render })).toThrow(
      expect.objectContaining({
        code: 'BATCHKIT-TESTING-103',
        message: expect.stringMatching(
          new RegExp(
            String.raw`construct at "Plain\/Queue" belongs to stack "Plain", which ` +
              String.raw`this LocalBatch did not load \(loaded: Render\)`,
          ),
        ),
      }),
    );
    expect(() => local.submitJob({ jobQueue: render.batch, jobDefinition: render.render })).toThrow(
      expect.objectContaining({
        code: 'BATCHKIT-TESTING-102',
        message: expect.stringMatching(
          new RegExp(
            String.raw`jobQueue: the construct at "Render\/Batch" declares 2 AWS::B` +
              String.raw`atch::JobQueue resources`,
          ),
        ),
      }),
    );
    expect(() => local.submitJob({ jobQueue: render.queue, jobDefinition: 'nope' })).toThrow(
      expect.objectContaining({
        code: 'BATCHKIT-TESTING-101',
        message: expect.stringMatching(
          new RegExp(
            String.raw`jobDefinition: "nope": no job definition .* Known: .*render \(` +
              String.raw`Render\/Render[0-9A-F]{8}\)`,
          ),
        ),
      }),
    );
  },
);

test('an image the engine does not have fails the job with CannotPullContainerError, not a hang', async () => {
  const job = await local.runJob({ jobQueue: render.queue, jobDefinition: render.missing });
  expect(job.status).toBe('FAILED');
  expect(job.statusReason).toMatch(/^CannotPullContainerError: .*local\/no-such-image:never/);
});

test('the Batch API endpoint serves the same executor to @aws-sdk/client-batch', async () => {
  expect(local.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const client = local.batchClient();
  const queue = local.model.jobQueues.find((q) => q.source?.logicalId?.startsWith('BatchHighPriorityQueue'))!;
  const submitted = await client.send(
    new SubmitJobCommand({
      jobName: 'from-sdk',
      jobQueue: queue.jobQueueName,
      jobDefinition: 'render',
      parameters: { input: 'sdk' },
    }),
  );
  const finished = await local.job(submitted.jobId!).wait();
  expect(finished.status).toBe('SUCCEEDED');
  expect(await finished.logs()).toBe('rendered sdk\n');
  const described = await client.send(new DescribeJobsCommand({ jobs: [submitted.jobId!] }));
  expect(described.jobs?.map((j) => [j.jobName, j.status])).toEqual([['from-sdk', 'SUCCEEDED']]);
});

test('close() removes running containers, rejects waiters, and is idempotent', async () => {
  const other = await LocalBatch.fromStack(render, { maxVcpus: 2, maxMemoryMiB: 1024 });
  const slow = other.submitJob({ jobQueue: render.queue, jobDefinition: render.slow });
  await new Promise<void>((resolve) => {
    const stop = other.executor.onEvent((e) => {
      if (isJobStateChangeEvent(e) && e.detail.jobId === slow.jobId && e.detail.status === 'RUNNING') {
        stop();
        resolve();
      }
    });
  });
  expect(await ownContainers(other.owner)).toHaveLength(1);
  const waiting = slow.wait();
  await Promise.all([other.close(), other.close()]);
  await expect(waiting).rejects.toMatchObject({ code: 'BATCHKIT-TESTING-202' });
  expect(await ownContainers(other.owner)).toEqual([]);
  await other.close();
  expect(() => other.submitJob({ jobQueue: render.queue, jobDefinition: render.render })).toThrow(
    expect.objectContaining({ code: 'BATCHKIT-TESTING-002' }),
  );
  // The first instance never saw the other one's containers.
  expect(local.executor.listJobs({ jobQueue: local.model.jobQueues[0].jobQueueName, jobStatus: 'RUNNING' })).toEqual(
    [],
  );
});
