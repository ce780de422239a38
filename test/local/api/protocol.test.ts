/**
 * The restJson1 wire protocol of `batchkit local serve`: routing, the error contract
 * (`x-amzn-errortype` + `{"__type","message"}`, ClientException 400 / ServerException 500, raised as
 * such by the real SDK), and bad input of every kind answered with a ClientException, never a crash.
 */
import {
  ClientException,
  DescribeJobsCommand,
  ListJobsCommand,
  ServerException,
  SubmitJobCommand,
} from '@aws-sdk/client-batch';
import { emptyBatchModel } from '../../../lib/core/model/batch-model';
import {
  LocalBatchApi,
  ResourceRegistry,
  startBatchApiServer,
  isLoopback,
  type BatchApiServer,
  type JobBackend,
} from '../../../lib/local/api';
import { sdkClient, startTestService, type TestService } from './support';

let t: TestService;
beforeAll(async () => {
  t = await startTestService();
});
afterAll(async () => {
  await t.close();
});

async function post(path: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${t.service.server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return {
    status: res.status,
    type: res.headers.get('x-amzn-errortype'),
    body: (await res.json()) as { __type?: string; message?: string },
  };
}

describe('routing', () => {
  test('POST /v1/<operation> works without a signature (SigV4 is accepted, not checked)', async () => {
    const r = await post('/v1/describejobqueues', '{}');
    expect(r.status).toBe(200);
    expect((r.body as { jobQueues: unknown[] }).jobQueues).toHaveLength(1);
  });

  test('an empty body is an empty input', async () => {
    const r = await post('/v1/describecomputeenvironments', '');
    expect(r.status).toBe(200);
  });

  test('an unknown operation is a 404 UnknownOperationException', async () => {
    const r = await post('/v1/launchrockets', '{}');
    expect(r.status).toBe(404);
    expect(r.type).toBe('UnknownOperationException');
    expect(r.body.message).toMatch(/No Batch operation at \/v1\/launchrockets.*SubmitJob/);
  });

  test('a wrong method is a 405 ClientException', async () => {
    const res = await fetch(`${t.service.server.url}/v1/submitjob`);
    expect(res.status).toBe(405);
    expect(res.headers.get('x-amzn-errortype')).toBe('ClientException');
  });
});

describe('bad input is a ClientException with the reason', () => {
  test.each([
    ['malformed JSON', '/v1/submitjob', '{"jobName": "a",', /not valid JSON/],
    ['a body that is not an object', '/v1/describejobs', '[1,2]', /the request body must be a JSON object/i],
    [
      'a missing required member',
      '/v1/submitjob',
      '{"jobName":"a","jobQueue":"main-queue"}',
      /Missing required member jobDefinition/,
    ],
    [
      'a wrong type',
      '/v1/submitjob',
      '{"jobName":"a","jobQueue":"main-queue","jobDefinition":"hello","arrayProperties":{"size":"4"}}',
      new RegExp(
        String.raw`Member arrayProperties\.size must be an integer \(Integer\),` + String.raw` got a string "4"`,
      ),
    ],
    [
      'a fractional integer',
      '/v1/listjobs',
      '{"jobQueue":"main-queue","maxResults":2.5}',
      /maxResults must be an integer/,
    ],
    [
      'an unknown member',
      '/v1/submitjob',
      '{"jobName":"a","jobQueue":"main-queue","jobDefinition":"hello","jobname":"b"}',
      /Unknown member "jobname" in the SubmitJobRequest.*jobName/,
    ],
    [
      'an unknown nested member',
      '/v1/registerjobdefinition',
      '{"jobDefinitionName":"x","type":"container","containerProperties":{"image":"i","cpu":1}}',
      /Unknown member "cpu" in containerProperties \(ContainerProperties\)/,
    ],
    [
      'an enum value out of the set',
      '/v1/listjobs',
      '{"jobQueue":"main-queue","jobStatus":"DONE"}',
      new RegExp(
        String.raw`Invalid value "DONE" for member jobStatus \(JobStatus\)\. Al` +
          String.raw`lowed values: SUBMITTED, PENDING`,
      ),
    ],
    [
      'an over-long tag value',
      '/v1/submitjob',
      JSON.stringify({ jobName: 'a', jobQueue: 'main-queue', jobDefinition: 'hello', tags: { k: 'v'.repeat(257) } }),
      /Member tags\.k is 257 characters long; at most 256/,
    ],
    ['a list member that is null', '/v1/describejobs', '{"jobs":[null]}', /Member jobs\[0\] must be a string/],
    [
      'more than 100 job ids',
      '/v1/describejobs',
      JSON.stringify({ jobs: Array.from({ length: 101 }, (_, i) => `id-${i}`) }),
      /up to 100 job IDs/,
    ],
    [
      'an invalid nextToken',
      '/v1/listjobs',
      '{"jobQueue":"main-queue","nextToken":"garbage"}',
      /nextToken is not valid/,
    ],
    [
      'maxResults out of range',
      '/v1/listjobs',
      '{"jobQueue":"main-queue","maxResults":5000}',
      /maxResults is 5000; ListJobs accepts 1 to 1000/,
    ],
  ])('%s', async (_name, path, body, message) => {
    const r = await post(path, body);
    expect(r.status).toBe(400);
    expect(r.type).toBe('ClientException');
    expect(r.body.__type).toBe('ClientException');
    expect(r.body.message).toMatch(message);
  });

  test('an oversized body is refused and the server keeps serving', async () => {
    const big = JSON.stringify({
      jobName: 'a',
      jobQueue: 'main-queue',
      jobDefinition: 'hello',
      parameters: { p: 'x'.repeat(40 * 1024) },
    });
    const r = await post('/v1/submitjob', big);
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/at most 30720 bytes are accepted \(the SubmitJob job payload quota is 30 KiB\)/);
    const huge = await post('/v1/registerjobdefinition', JSON.stringify({ x: 'y'.repeat(2 * 1024 * 1024) }));
    expect(huge.status).toBe(400);
    expect(huge.body.message).toMatch(/at most 1048576 bytes/);
    const after = await t.client.send(new ListJobsCommand({ jobQueue: 'main-queue', jobStatus: 'SUBMITTED' }));
    expect(after.jobSummaryList).toEqual([]);
  });

  test('no rejected request left a job behind', async () => {
    const all = await Promise.all(
      (['SUBMITTED', 'PENDING', 'RUNNABLE', 'STARTING', 'RUNNING', 'SUCCEEDED', 'FAILED'] as const).map((jobStatus) =>
        t.client.send(new ListJobsCommand({ jobQueue: 'main-queue', jobStatus })),
      ),
    );
    expect(all.flatMap((p) => p.jobSummaryList ?? [])).toEqual([]);
  });
});

describe('the SDK raises the modelled exception classes', () => {
  test('ClientException with the message and HTTP 400', async () => {
    const e = await t.client
      .send(new SubmitJobCommand({ jobName: 'a', jobQueue: 'ghost', jobDefinition: 'hello' }))
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ClientException);
    expect((e as ClientException).name).toBe('ClientException');
    expect((e as ClientException).message).toBe(
      'Job queue ghost does not exist. Fix: check the name or ARN (DescribeJobQueues lists them).',
    );
    expect((e as ClientException).$metadata.httpStatusCode).toBe(400);
  });

  test('ServerException with HTTP 500 when the executor faults', async () => {
    const faulty: JobBackend = {
      submitJob: () => {
        throw new Error('disk full');
      },
      describeJobs: () => {
        throw new TypeError('cannot read property of undefined');
      },
      listJobs: () => [],
      cancelJob: () => undefined,
      terminateJob: () => undefined,
    };
    const api = new LocalBatchApi({ registry: new ResourceRegistry({ model: emptyBatchModel() }), jobs: faulty });
    const server: BatchApiServer = await startBatchApiServer({ api });
    const client = sdkClient(server.url);
    try {
      const e = await client.send(new DescribeJobsCommand({ jobs: ['x'] })).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ServerException);
      expect((e as ServerException).$metadata.httpStatusCode).toBe(500);
      expect((e as ServerException).message).toBe(
        'Internal error in the local Batch API: cannot read property of undefined',
      );
    } finally {
      client.destroy();
      await server.close();
    }
  });
});

describe('binding', () => {
  test('loopback addresses are recognised', () => {
    expect(['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'].map(isLoopback)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['0.0.0.0', '10.0.0.1', '::', 'example.com'].map(isLoopback)).toEqual([false, false, false, false]);
  });

  test('a non-loopback host is refused unless allowed explicitly', async () => {
    const api = new LocalBatchApi({
      registry: new ResourceRegistry({ model: emptyBatchModel() }),
      jobs: t.service.executor,
    });
    await expect(startBatchApiServer({ api, host: '0.0.0.0' })).rejects.toThrow(
      /Refusing to serve the local Batch API on 0\.0\.0\.0: it is not a loopback address.*Fix: use 127\.0\.0\.1/,
    );
  });

  test('a port in use is an environment error naming the port', async () => {
    const api = new LocalBatchApi({
      registry: new ResourceRegistry({ model: emptyBatchModel() }),
      jobs: t.service.executor,
    });
    await expect(startBatchApiServer({ api, port: t.service.server.port })).rejects.toThrow(
      new RegExp(`Cannot listen on 127\\.0\\.0\\.1:${t.service.server.port}.*choose another --port`),
    );
  });
});
