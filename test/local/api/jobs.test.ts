/**
 * Jobs through the real `@aws-sdk/client-batch` against `batchkit local serve` over the fake
 * runtime: SubmitJob, DescribeJobs, ListJobs in all its forms with pagination, CancelJob,
 * TerminateJob, job tags, and the ClientExceptions AWS raises for bad submissions.
 */
import {
  CancelJobCommand,
  ClientException,
  CreateComputeEnvironmentCommand,
  CreateJobQueueCommand,
  DeregisterJobDefinitionCommand,
  DescribeJobsCommand,
  ListJobsCommand,
  ListTagsForResourceCommand,
  RegisterJobDefinitionCommand,
  SubmitJobCommand,
  TagResourceCommand,
  TerminateJobCommand,
  UpdateJobQueueCommand,
  paginateListJobs,
  type BatchClient,
  type JobStatus,
  type ListJobsCommandInput,
} from '@aws-sdk/client-batch';
import { ARN_PREFIX, startTestService, type TestService } from './support';

let t: TestService;
let client: BatchClient;
beforeEach(async () => {
  t = await startTestService();
  client = t.client;
});
afterEach(async () => {
  await t.close();
});

async function submit(
  name: string,
  extra: Partial<ConstructorParameters<typeof SubmitJobCommand>[0]> = {},
): Promise<string> {
  const r = await client.send(
    new SubmitJobCommand({ jobName: name, jobQueue: 'main-queue', jobDefinition: 'hello', ...extra }),
  );
  await t.advance(1);
  return r.jobId ?? '';
}

async function statusOf(id: string): Promise<string | undefined> {
  return (await client.send(new DescribeJobsCommand({ jobs: [id] }))).jobs?.[0]?.status;
}

async function listAll(input: ListJobsCommandInput, pageSize: number): Promise<string[][]> {
  const pages: string[][] = [];
  for await (const page of paginateListJobs({ client, pageSize }, input)) {
    pages.push((page.jobSummaryList ?? []).map((s) => s.jobName ?? ''));
  }
  return pages;
}

test('SubmitJob returns the id, name and ARN; DescribeJobs takes ids or ARNs', async () => {
  const r = await client.send(
    new SubmitJobCommand({
      jobName: 'first',
      jobQueue: 'main-queue',
      jobDefinition: 'hello:1',
      parameters: { word: 'yo' },
    }),
  );
  expect(r.jobName).toBe('first');
  expect(r.jobId).toMatch(/^[0-9a-f-]{36}$/);
  expect(r.jobArn).toBe(`${ARN_PREFIX}:job/${r.jobId}`);
  await t.advance(1);
  const d = await client.send(new DescribeJobsCommand({ jobs: [r.jobArn ?? '', 'unknown-id'] }));
  expect(d.jobs).toHaveLength(1);
  expect(d.jobs?.[0]).toMatchObject({
    jobId: r.jobId,
    jobQueue: `${ARN_PREFIX}:job-queue/main-queue`,
    jobDefinition: `${ARN_PREFIX}:job-definition/hello:1`,
    status: 'RUNNING',
    parameters: { word: 'yo' },
  });
  expect(d.jobs?.[0]?.container?.command).toEqual(['echo', 'yo']);
});

test('ListJobs lists RUNNING jobs by default, other statuses on request, newest first, across pages', async () => {
  for (let i = 0; i < 12; i++) await submit(`job-${String(i).padStart(2, '0')}`);
  // 4 vCPUs, 1 vCPU each: the first four run, the rest wait RUNNABLE.
  expect(await listAll({ jobQueue: 'main-queue' }, 100)).toEqual([['job-03', 'job-02', 'job-01', 'job-00']]);
  const runnable = await listAll({ jobQueue: `${ARN_PREFIX}:job-queue/main-queue`, jobStatus: 'RUNNABLE' }, 3);
  expect(runnable).toEqual([
    ['job-11', 'job-10', 'job-09'],
    ['job-08', 'job-07', 'job-06'],
    ['job-05', 'job-04'],
  ]);
  const first = await client.send(
    new ListJobsCommand({ jobQueue: 'main-queue', jobStatus: 'RUNNABLE', maxResults: 5 }),
  );
  expect(first.jobSummaryList).toHaveLength(5);
  expect(first.nextToken).toEqual(expect.any(String));
  const e = await client
    .send(new ListJobsCommand({ jobQueue: 'main-queue', jobStatus: 'RUNNING', nextToken: first.nextToken }))
    .catch((x: unknown) => x);
  expect(e).toBeInstanceOf(ClientException);
  expect((e as Error).message).toMatch(/nextToken belongs to another request with different parameters/);
});

test('a job submitted while a client pages is neither lost nor repeated', async () => {
  for (let i = 0; i < 10; i++) await submit(`old-${i}`);
  const p1 = await client.send(new ListJobsCommand({ jobQueue: 'main-queue', jobStatus: 'RUNNABLE', maxResults: 3 }));
  await submit('newcomer');
  let token = p1.nextToken;
  const names = (p1.jobSummaryList ?? []).map((s) => s.jobName);
  while (token) {
    const p = await client.send(
      new ListJobsCommand({ jobQueue: 'main-queue', jobStatus: 'RUNNABLE', maxResults: 3, nextToken: token }),
    );
    names.push(...(p.jobSummaryList ?? []).map((s) => s.jobName));
    token = p.nextToken;
  }
  expect(names).toEqual(['old-9', 'old-8', 'old-7', 'old-6', 'old-5', 'old-4']);
});

test('ListJobs filters ignore jobStatus; only one filter at a time', async () => {
  for (const n of ['render-a', 'render-b', 'encode-a', 'render-c', 'Render-d', 'encode-b']) await submit(n);
  const pages = await listAll(
    { jobQueue: 'main-queue', jobStatus: 'SUCCEEDED', filters: [{ name: 'JOB_NAME', values: ['render*'] }] },
    2,
  );
  expect(pages.flat()).toEqual(['Render-d', 'render-c', 'render-b', 'render-a']);
  expect(pages.map((p) => p.length)).toEqual([2, 2]);
  const byDef = await client.send(
    new ListJobsCommand({ jobQueue: 'main-queue', filters: [{ name: 'JOB_DEFINITION', values: ['hello'] }] }),
  );
  expect(byDef.jobSummaryList).toHaveLength(6);
  const e = await client
    .send(
      new ListJobsCommand({
        jobQueue: 'main-queue',
        filters: [
          { name: 'JOB_NAME', values: ['a'] },
          { name: 'JOB_DEFINITION', values: ['hello'] },
        ],
      }),
    )
    .catch((x: unknown) => x);
  expect(e).toBeInstanceOf(ClientException);
  expect((e as Error).message).toMatch(/only one filter can be used at a time/);
  const big = await client
    .send(
      new ListJobsCommand({ jobQueue: 'main-queue', maxResults: 500, filters: [{ name: 'JOB_NAME', values: ['a'] }] }),
    )
    .catch((x: unknown) => x);
  expect((big as Error).message).toMatch(/maxResults is 500; ListJobs accepts 1 to 100/);
});

test('array children are listed by arrayJobId, not in the queue listing', async () => {
  const parent = await submit('fan', { arrayProperties: { size: 3 } });
  await t.advance(1);
  const children = await client.send(new ListJobsCommand({ arrayJobId: parent, jobStatus: 'RUNNING' }));
  expect(children.jobSummaryList?.map((s) => s.jobId).sort()).toEqual([`${parent}:0`, `${parent}:1`, `${parent}:2`]);
  expect(children.jobSummaryList?.map((s) => s.arrayProperties?.index).sort()).toEqual([0, 1, 2]);
  const pending = await client.send(new ListJobsCommand({ jobQueue: 'main-queue', jobStatus: 'PENDING' }));
  expect(pending.jobSummaryList?.map((s) => s.jobId)).toEqual([parent]);
  const d = await client.send(new DescribeJobsCommand({ jobs: [parent] }));
  expect(d.jobs?.[0]?.arrayProperties?.size).toBe(3);
});

test('CancelJob fails a RUNNABLE job; TerminateJob fails a RUNNING one; both record the reason', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) ids.push(await submit(`c-${i}`));
  expect(await statusOf(ids[4])).toBe('RUNNABLE');
  await client.send(new CancelJobCommand({ jobId: ids[4], reason: 'not needed' }));
  await t.advance(1);
  const cancelled = (await client.send(new DescribeJobsCommand({ jobs: [ids[4]] }))).jobs?.[0];
  expect([cancelled?.status, cancelled?.statusReason, cancelled?.isCancelled]).toEqual(['FAILED', 'not needed', true]);

  await client.send(new TerminateJobCommand({ jobId: ids[0], reason: 'stop it' }));
  await t.advance(1);
  const terminated = (await client.send(new DescribeJobsCommand({ jobs: [ids[0]] }))).jobs?.[0];
  expect([terminated?.status, terminated?.statusReason, terminated?.isTerminated]).toEqual(['FAILED', 'stop it', true]);

  // AWS answers 200 {} to CancelJob and TerminateJob of a job id it does not know (cleanup code relies on it).
  const cancelUnknown = await client.send(new CancelJobCommand({ jobId: 'no-such-job', reason: 'x' }));
  expect([cancelUnknown.$metadata.httpStatusCode, Object.keys(cancelUnknown).filter((k) => k !== '$metadata')]).toEqual(
    [200, []],
  );
  const terminateUnknown = await client.send(
    new TerminateJobCommand({ jobId: `${ARN_PREFIX}:job/0a1b2c3d-0000-4000-8000-000000000000`, reason: 'x' }),
  );
  expect(terminateUnknown.$metadata.httpStatusCode).toBe(200);
  expect(
    (await client.send(new ListJobsCommand({ jobQueue: 'main-queue', jobStatus: 'FAILED' }))).jobSummaryList
      ?.map((j) => j.jobId)
      .sort(),
  ).toEqual([ids[0], ids[4]].sort());
});

test('bad submissions are ClientExceptions with the reason', async () => {
  const fail = (input: ConstructorParameters<typeof SubmitJobCommand>[0]) =>
    client.send(new SubmitJobCommand(input)).then(
      () => 'accepted',
      (e: unknown) => (e instanceof ClientException ? e.message : `not a ClientException: ${String(e)}`),
    );
  expect(await fail({ jobName: '-bad', jobQueue: 'main-queue', jobDefinition: 'hello' })).toMatch(
    /jobName "-bad" is not valid/,
  );
  expect(await fail({ jobName: 'a', jobQueue: 'main-queue', jobDefinition: 'ghost' })).toMatch(
    /Job definition ghost does not exist or has no ACTIVE revision/,
  );
  await client.send(new DeregisterJobDefinitionCommand({ jobDefinition: 'hello:1' }));
  expect(await fail({ jobName: 'a', jobQueue: 'main-queue', jobDefinition: 'hello:1' })).toMatch(/hello:1 is INACTIVE/);
  await client.send(new UpdateJobQueueCommand({ jobQueue: 'main-queue', state: 'DISABLED' }));
  expect(await fail({ jobName: 'a', jobQueue: 'main-queue', jobDefinition: 'hello:1' })).toMatch(
    /main-queue is DISABLED and does not accept jobs/,
  );
});

test('a definition and a queue created through the API run jobs', async () => {
  const reg = await client.send(
    new RegisterJobDefinitionCommand({
      jobDefinitionName: 'fresh',
      type: 'container',
      containerProperties: {
        image: 'local/busybox:test',
        command: ['true'],
        resourceRequirements: [
          { type: 'VCPU', value: '1' },
          { type: 'MEMORY', value: '64' },
        ],
      },
    }),
  );
  await client.send(
    new CreateComputeEnvironmentCommand({ computeEnvironmentName: 'side-ce', type: 'UNMANAGED', unmanagedvCpus: 2 }),
  );
  await client.send(
    new CreateJobQueueCommand({
      jobQueueName: 'side-q',
      priority: 1,
      computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'side-ce' }],
    }),
  );
  const onMain = await client.send(
    new SubmitJobCommand({ jobName: 'f', jobQueue: 'main-queue', jobDefinition: reg.jobDefinitionArn ?? '' }),
  );
  const onSide = await client.send(new SubmitJobCommand({ jobName: 'g', jobQueue: 'side-q', jobDefinition: 'fresh' }));
  await t.advance(1);
  const d = await client.send(new DescribeJobsCommand({ jobs: [onMain.jobId ?? '', onSide.jobId ?? ''] }));
  expect(d.jobs?.map((j) => [j.jobName, j.status, j.jobDefinition, j.jobQueue])).toEqual([
    ['f', 'RUNNING', `${ARN_PREFIX}:job-definition/fresh:1`, `${ARN_PREFIX}:job-queue/main-queue`],
    ['g', 'RUNNING', `${ARN_PREFIX}:job-definition/fresh:1`, `${ARN_PREFIX}:job-queue/side-q`],
  ]);
});

test('jobs carry their tags; TagResource on a job ARN adds to them', async () => {
  const id = await submit('tagged', { tags: { team: 'a' } });
  const arn = `${ARN_PREFIX}:job/${id}`;
  await client.send(new TagResourceCommand({ resourceArn: arn, tags: { cost: 'b' } }));
  expect((await client.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({
    team: 'a',
    cost: 'b',
  });
  expect((await client.send(new DescribeJobsCommand({ jobs: [id] }))).jobs?.[0]?.tags).toEqual({
    team: 'a',
    cost: 'b',
  });
});

test('the statuses of ListJobs are exactly the Batch job statuses', async () => {
  const statuses: JobStatus[] = ['SUBMITTED', 'PENDING', 'RUNNABLE', 'STARTING', 'RUNNING', 'SUCCEEDED', 'FAILED'];
  await submit('one');
  const counts = await Promise.all(
    statuses.map(
      async (jobStatus) =>
        (await client.send(new ListJobsCommand({ jobQueue: 'main-queue', jobStatus }))).jobSummaryList?.length,
    ),
  );
  expect(counts).toEqual([0, 0, 0, 0, 1, 0, 0]);
  await t.advance(60_000);
  const after = await client.send(new ListJobsCommand({ jobQueue: 'main-queue', jobStatus: 'SUCCEEDED' }));
  expect(after.jobSummaryList?.map((s) => [s.jobName, s.container?.exitCode])).toEqual([['one', 0]]);
});
