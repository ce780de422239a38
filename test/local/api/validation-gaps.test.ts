/**
 * Small validation gaps of the local Batch API, each a ClientException naming the field, and each
 * request answered with an error leaves nothing behind: nodeOverrides on a container definition
 * (BATCH-SJ-012, which needs the definition), an environment name containing "=" (BATCH-JD-009 /
 * BATCH-SJ-008), a creation-time ListJobs filter that is not a number, and unpaired UTF-16
 * surrogates in any string.
 */
import {
  ClientException,
  DescribeJobDefinitionsCommand,
  ListJobsCommand,
  RegisterJobDefinitionCommand,
  SubmitJobCommand,
} from '@aws-sdk/client-batch';
import { startTestService, type TestService } from './support';

let t: TestService;
beforeAll(async () => {
  t = await startTestService();
});
afterAll(async () => {
  await t.close();
});

async function clientError(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ClientException);
  return (e as ClientException).message;
}

async function allJobNames(): Promise<string[]> {
  const r = await t.client.send(
    new ListJobsCommand({ jobQueue: 'main-queue', filters: [{ name: 'JOB_NAME', values: ['*'] }] }),
  );
  return (r.jobSummaryList ?? []).map((j) => j.jobName ?? '');
}

test('nodeOverrides on a container definition is BATCH-SJ-012', async () => {
  const message = await clientError(
    t.client.send(
      new SubmitJobCommand({
        jobName: 'n',
        jobQueue: 'main-queue',
        jobDefinition: 'hello',
        nodeOverrides: { nodePropertyOverrides: [{ targetNodes: '0:', containerOverrides: { command: ['x'] } }] },
      }),
    ),
  );
  expect(message).toContain(
    'the job definition "hello" is a container definition; nodeOverrides apply only to multinode definitions',
  );
  expect(message).toContain('Use containerOverrides instead of nodeOverrides');
  expect(await allJobNames()).toEqual([]);
});

test('an environment variable name with "=" is refused at registration and at submission', async () => {
  const reg = await clientError(
    t.client.send(
      new RegisterJobDefinitionCommand({
        jobDefinitionName: 'eq',
        type: 'container',
        containerProperties: {
          image: 'i',
          environment: [{ name: 'A=B', value: 'c' }],
          resourceRequirements: [
            { type: 'VCPU', value: '1' },
            { type: 'MEMORY', value: '32' },
          ],
        },
      }),
    ),
  );
  expect(reg).toMatch(/containerProperties\.environment\[0\]\.name.*contains "="/s);
  const sub = await clientError(
    t.client.send(
      new SubmitJobCommand({
        jobName: 'eq',
        jobQueue: 'main-queue',
        jobDefinition: 'hello',
        containerOverrides: { environment: [{ name: 'LD_PRELOAD=/x', value: 'y' }] },
      }),
    ),
  );
  expect(sub).toMatch(/containerOverrides\.environment\[0\]\.name.*contains "="/s);
  expect((await t.client.send(new DescribeJobDefinitionsCommand({ jobDefinitionName: 'eq' }))).jobDefinitions).toEqual(
    [],
  );
  expect(await allJobNames()).toEqual([]);
});

test.each(['AFTER_CREATED_AT', 'BEFORE_CREATED_AT'])(
  '%s with a value that is not a number is a ClientException',
  async (name) => {
    await t.client.send(
      new SubmitJobCommand({ jobName: `dated-${name}`, jobQueue: 'main-queue', jobDefinition: 'hello' }),
    );
    const message = await clientError(
      t.client.send(new ListJobsCommand({ jobQueue: 'main-queue', filters: [{ name, values: ['yesterday'] }] })),
    );
    expect(message).toContain(
      `ListJobs filters[0].values[0]: "yesterday" is not a time for ${name}. ` +
        `Allowed: the number of milliseconds since 1970-01-01T00:00:00Z`,
    );
    const ok = await t.client.send(new ListJobsCommand({ jobQueue: 'main-queue', filters: [{ name, values: ['0'] }] }));
    expect(ok.jobSummaryList?.map((j) => j.jobName).filter((n) => n === `dated-${name}`)).toEqual(
      name === 'AFTER_CREATED_AT' ? [`dated-${name}`] : [],
    );
  },
);

test('an unknown ListJobs filter is refused even when no job exists', async () => {
  const message = await clientError(
    t.client.send(new ListJobsCommand({ jobQueue: 'main-queue', filters: [{ name: 'COLOUR', values: ['x'] }] })),
  );
  expect(message).toContain('unknown filter name "COLOUR"');
});

test.each([
  [
    'a job name',
    '{"jobName":"a\\ud800","jobQueue":"main-queue","jobDefinition":"hello"}',
    'Member jobName holds an unpaired UTF-16 surrogate (\\ud800 at character 1)',
  ],
  [
    'a parameter value',
    '{"jobName":"s","jobQueue":"main-queue","jobDefinition":"hello","parameters":{"word":"\\udfff"}}',
    'Member parameters.word holds an unpaired UTF-16 surrogate (\\udfff at character 0)',
  ],
  [
    'a parameter name',
    '{"jobName":"s","jobQueue":"main-queue","jobDefinition":"hello","parameters":{"w\\ud83d":"x"}}',
    'key "w\\ud83d" holds an unpaired UTF-16 surrogate',
  ],
])('an unpaired surrogate in %s is a ClientException naming the field', async (_name, body, message) => {
  const res = await fetch(`${t.service.server.url}/v1/submitjob`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const out = (await res.json()) as { __type: string; message: string };
  expect([res.status, out.__type]).toEqual([400, 'ClientException']);
  expect(out.message).toContain(message);
  expect(out.message).toContain('Fix: send valid Unicode text');
});

test('a surrogate pair (an emoji) is valid text', async () => {
  const r = await t.client.send(
    new SubmitJobCommand({
      jobName: 'emoji',
      jobQueue: 'main-queue',
      jobDefinition: 'hello',
      parameters: { word: 'ok \u{1F600}' },
    }),
  );
  expect(r.jobName).toBe('emoji');
});
