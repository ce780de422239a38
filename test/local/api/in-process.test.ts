/**
 * The same API as a typed in-process object (no HTTP server): what Jest tests of an application
 * use. Also the pieces under it: pagination tokens, the shape validator, the callback runtime.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { emptyBatchModel } from '../../../lib/core/model/batch-model';
import {
  BatchApiError,
  CallbackRuntime,
  LocalBatchApi,
  ResourceRegistry,
  paginate,
  startLocalBatchService,
  validateShape,
} from '../../../lib/local/api';
import { OPERATION_SHAPES } from '../../../lib/local/api/shapes-operations';
import { LocalExecutor } from '../../../lib/local/executor';
import { ManualClock } from '../../../lib/local/clock';
import { FakeRuntime } from '../../../lib/testing/fake-runtime';
import { ARN_PREFIX, sampleModel } from './support';

describe('LocalBatchApi in process', () => {
  let executor: LocalExecutor;
  let api: LocalBatchApi;
  let clock: ManualClock;
  let runtime: FakeRuntime;

  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 5, 1));
    runtime = new FakeRuntime(clock, () => ({ durationMs: 5_000, exitCode: 0 }));
    const registry = new ResourceRegistry({ model: sampleModel(), settleMs: 0 });
    executor = await LocalExecutor.open({
      model: registry.live,
      runtime,
      storeDir: ':memory:',
      clock,
      maxVcpus: 4,
      maxMemoryMiB: 4096,
    });
    api = new LocalBatchApi({ registry, jobs: executor });
  });
  afterEach(async () => {
    await executor.close();
  });

  test('typed calls run a job to SUCCEEDED with AWS shapes', async () => {
    const { jobId, jobArn } = api.submitJob({ jobName: 'unit', jobQueue: 'main-queue', jobDefinition: 'hello' });
    expect(jobArn).toBe(`${ARN_PREFIX}:job/${jobId}`);
    await clock.advance(1);
    expect(api.listJobs({ jobQueue: 'main-queue' }).jobSummaryList.map((s) => s.status)).toEqual(['RUNNING']);
    await clock.advance(5_000);
    await executor.waitForIdle();
    const [job] = api.describeJobs({ jobs: [jobId] }).jobs;
    expect([job.status, job.container?.exitCode, job.stoppedAt! - job.startedAt!]).toEqual(['SUCCEEDED', 0, 5_000]);
  });

  test('call() checks the request shape exactly as the server does', () => {
    expect(() => api.call('SubmitJob', { jobName: 'a', jobQueue: 'main-queue' })).toThrow(
      new BatchApiError(
        'ClientException',
        'Missing required member jobDefinition (String) in the SubmitJobRequest. Fix: add jobDefinition.',
      ),
    );
    const out = api.call('DescribeJobQueues', { jobQueues: ['main-queue'], nextToken: null }) as {
      jobQueues: Array<{ jobQueueName: string }>;
    };
    expect(out.jobQueues.map((q) => q.jobQueueName)).toEqual(['main-queue']);
    expect(() => api.call('LaunchRockets', {})).toThrow(/Operation LaunchRockets is not served/);
  });

  test('errors are BatchApiErrors typed as AWS sends them', () => {
    let caught: unknown;
    try {
      api.tagResource({ resourceArn: 'arn:aws:batch:us-east-1:123456789012:job/nope', tags: { a: 'b' } });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(BatchApiError);
    expect((caught as BatchApiError).body()).toEqual({
      __type: 'ClientException',
      message:
        'Job nope does not exist. Fix: check the job ID (SubmitJob returned it; ' + 'ListJobs lists jobs of a queue).',
    });
    expect((caught as BatchApiError).statusCode).toBe(400);
  });

  test('deleting a DISABLED queue terminates its unfinished jobs, as AWS does', async () => {
    const ids = [1, 2, 3, 4, 5].map(
      (i) => api.submitJob({ jobName: `j${i}`, jobQueue: 'main-queue', jobDefinition: 'hello' }).jobId,
    );
    await clock.advance(1);
    api.updateJobQueue({ jobQueue: 'main-queue', state: 'DISABLED' });
    api.deleteJobQueue({ jobQueue: 'main-queue' });
    await clock.advance(1);
    await clock.advance(30_000);
    await executor.waitForIdle();
    const jobs = api.describeJobs({ jobs: ids }).jobs;
    expect(jobs.map((j) => [j.status, j.statusReason])).toEqual(
      ids.map(() => ['FAILED', 'Terminated: the job queue was deleted']),
    );
  });
});

describe('pagination tokens', () => {
  const items = Array.from({ length: 7 }, (_, i) => ({ id: `k${i}` }));
  const key = (x: { id: string }) => [x.id];

  test('pages follow each other without gaps and the last has no token', () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const p = paginate(items, key, { operation: 'Op', query: { a: 1 }, maxResults: 3, nextToken: token, limit: 100 });
      seen.push(...p.items.map((x) => x.id));
      token = p.nextToken;
      pages++;
    } while (token);
    expect([pages, seen]).toEqual([3, items.map((x) => x.id)]);
  });

  test('a token is refused by another operation or another query', () => {
    const p = paginate(items, key, { operation: 'Op', query: { a: 1 }, maxResults: 3, limit: 100 });
    expect(() =>
      paginate(items, key, { operation: 'Other', query: { a: 1 }, nextToken: p.nextToken, limit: 100 }),
    ).toThrow(/nextToken belongs to another request \(Op\)/);
    expect(() =>
      paginate(items, key, { operation: 'Op', query: { a: 2 }, nextToken: p.nextToken, limit: 100 }),
    ).toThrow(/with different parameters/);
  });
});

describe('shape validator', () => {
  test('null members are dropped, integers are range-checked, maps count entries', () => {
    expect(validateShape({ jobDefinitionName: 'x', nextToken: null }, OPERATION_SHAPES.DescribeJobDefinitions)).toEqual(
      { jobDefinitionName: 'x' },
    );
    expect(() => validateShape({ jobQueue: 'q', maxResults: 2 ** 31 }, OPERATION_SHAPES.ListJobs)).toThrow(
      /Member maxResults is 2147483648, outside -2147483648\.\.2147483647 \(Integer\)/,
    );
    const tags = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    expect(() => validateShape({ resourceArn: 'a', tags }, OPERATION_SHAPES.TagResource)).toThrow(
      /Member tags has 51 entries; at most 50/,
    );
    expect(() => validateShape({ resourceArn: 'a', tagKeys: [] }, OPERATION_SHAPES.UntagResource)).toThrow(
      /at least 1 are required/,
    );
    const parsed = validateShape(
      JSON.parse('{"resourceArn":"a","tags":{"__proto__":"x"}}'),
      OPERATION_SHAPES.TagResource,
    ) as { tags: object };
    expect(Object.entries(parsed.tags)).toEqual([['__proto__', 'x']]);
    expect(Object.getPrototypeOf(parsed.tags)).toBe(Object.prototype);
  });
});

describe('CallbackRuntime', () => {
  test(
    'gives containers the endpoint, region and dummy credentials and keeps ' + 'their network mode; job variables win',
    async () => {
      const clock = new ManualClock();
      const inner = new FakeRuntime(clock);
      const runtime = new CallbackRuntime(inner, 'eu-west-3');
      const pending = runtime.prepare({
        runId: 'r',
        jobId: 'j',
        attempt: 1,
        image: 'local/busybox:test',
        environment: { AWS_REGION: 'us-west-2', MINE: '1' },
        vcpus: 1,
        memoryMiB: 64,
        network: 'none',
      });
      runtime.setEndpoint('http://127.0.0.1:9070');
      const prepared = await pending;
      await prepared.start();
      expect(inner.started[0].network).toBe('none');
      expect(inner.started[0].environment).toEqual({
        AWS_ENDPOINT_URL_BATCH: 'http://127.0.0.1:9070',
        AWS_ENDPOINT_URL_LOGS: 'http://127.0.0.1:9070',
        AWS_REGION: 'us-west-2',
        AWS_DEFAULT_REGION: 'eu-west-3',
        AWS_ACCESS_KEY_ID: 'batchkit-local',
        AWS_SECRET_ACCESS_KEY: 'batchkit-local',
        MINE: '1',
      });
    },
  );

  test('an empty model serves an empty API', () => {
    const registry = new ResourceRegistry({ model: emptyBatchModel() });
    expect(registry.toModel(emptyBatchModel()).jobQueues).toEqual([]);
    expect(registry.listSchedulingPolicies()).toEqual({ schedulingPolicies: [], nextToken: undefined });
  });
});

describe('resources across restarts', () => {
  test('definitions, queues and tags created through the API come back with the store; app resources too', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'batchkit-api-store-'));
    const open = async () => {
      const clock = new ManualClock();
      return startLocalBatchService({
        model: sampleModel(),
        runtime: new FakeRuntime(clock),
        storeDir: dir,
        settleMs: 0,
        executor: { clock, maxVcpus: 4, maxMemoryMiB: 4096 },
      });
    };
    try {
      const first = await open();
      first.api.registerJobDefinition({
        jobDefinitionName: 'hello',
        type: 'container',
        containerProperties: {
          image: 'local/busybox:test',
          resourceRequirements: [
            { type: 'VCPU', value: '1' },
            { type: 'MEMORY', value: '64' },
          ],
        },
      });
      first.api.deregisterJobDefinition({ jobDefinition: 'hello:1' });
      first.api.createJobQueue({
        jobQueueName: 'extra',
        priority: 2,
        computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'main-ce' }],
      });
      first.api.tagResource({ resourceArn: `${ARN_PREFIX}:job-queue/main-queue`, tags: { kept: 'yes' } });
      await first.close();

      const second = await open();
      try {
        expect(
          second.api
            .describeJobDefinitions({ jobDefinitionName: 'hello' })
            .jobDefinitions.map((d) => [d.revision, d.status]),
        ).toEqual([
          [1, 'INACTIVE'],
          [2, 'ACTIVE'],
        ]);
        expect(second.api.describeJobQueues({}).jobQueues.map((q) => [q.jobQueueName, q.status, q.tags])).toEqual([
          ['extra', 'VALID', {}],
          ['main-queue', 'VALID', { kept: 'yes' }],
        ]);
        const { jobId } = second.api.submitJob({ jobName: 'after', jobQueue: 'extra', jobDefinition: 'hello' });
        expect(second.api.describeJobs({ jobs: [jobId] }).jobs[0].jobDefinition).toBe(
          `${ARN_PREFIX}:job-definition/hello:2`,
        );
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
