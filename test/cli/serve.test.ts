/**
 * `batchkit local serve` as users run it (the built CLI in a child process, real Docker, the real
 * `@aws-sdk/client-batch`): resources of the app under the ARNs its stack outputs give, a job that
 * submits another job from inside its container, and a server killed mid-run that keeps every job
 * record and the job definitions registered through the API.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import {
  DescribeJobDefinitionsCommand,
  DescribeJobQueuesCommand,
  DescribeJobsCommand,
  ListJobsCommand,
  RegisterJobDefinitionCommand,
  SubmitJobCommand,
  type BatchClient,
  type JobDetail,
} from '@aws-sdk/client-batch';
import { sdkClient } from '../local/api/support';
import { SERVE_APP, startServe, type ServeProcess } from './serve-support';

const QUEUE_ARN = 'arn:aws:batch:us-east-1:123456789012:job-queue/serve-queue';

let store: string;
let server: ServeProcess | undefined;
let client: BatchClient | undefined;

beforeEach(() => {
  store = mkdtempSync(path.join(tmpdir(), 'batchkit-serve-'));
});
afterEach(async () => {
  client?.destroy();
  client = undefined;
  await server?.stop('SIGTERM');
  server = undefined;
  rmSync(store, { recursive: true, force: true });
});

async function waitFinal(c: BatchClient, ids: string[], timeoutMs = 60_000): Promise<JobDetail[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const jobs = (await c.send(new DescribeJobsCommand({ jobs: ids }))).jobs ?? [];
    if (jobs.length === ids.length && jobs.every((j) => j.status === 'SUCCEEDED' || j.status === 'FAILED')) return jobs;
    if (Date.now() > deadline)
      throw new Error(
        `jobs not final after ${timeoutMs} ms: ` +
          `${JSON.stringify(jobs.map((j) => [j.jobName, j.status, j.statusReason]))}`,
      );
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('the app resources are served under the ARNs of its stack outputs, and jobs run on Docker', async () => {
  server = await startServe(['--app', SERVE_APP, '--store', store]);
  expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  client = sdkClient(server.url);
  const q = await client.send(new DescribeJobQueuesCommand({ jobQueues: [QUEUE_ARN] }));
  expect(q.jobQueues?.map((x) => [x.jobQueueName, x.status, x.state])).toEqual([['serve-queue', 'VALID', 'ENABLED']]);
  const r = await client.send(
    new SubmitJobCommand({
      jobName: 'quick',
      jobQueue: QUEUE_ARN,
      jobDefinition: 'sleeper',
      parameters: { seconds: '0' },
    }),
  );
  const [done] = await waitFinal(client, [r.jobId ?? '']);
  expect([done.status, done.container?.exitCode, done.container?.command]).toEqual(['SUCCEEDED', 0, ['sleep', '0']]);
});

test('without --app (and no cdk.out) it serves an empty account; resources can be created', async () => {
  server = await startServe([], { cwd: store });
  client = sdkClient(server.url);
  expect((await client.send(new DescribeJobQueuesCommand({}))).jobQueues).toEqual([]);
  const r = await client.send(
    new RegisterJobDefinitionCommand({
      jobDefinitionName: 'first',
      type: 'container',
      containerProperties: {
        image: 'local/busybox:test',
        resourceRequirements: [
          { type: 'VCPU', value: '1' },
          { type: 'MEMORY', value: '32' },
        ],
      },
    }),
  );
  expect(r.jobDefinitionArn).toBe('arn:aws:batch:us-east-1:123456789012:job-definition/first:1');
});

test('a job submits another job from inside its container through AWS_ENDPOINT_URL_BATCH', async () => {
  server = await startServe(['--app', SERVE_APP, '--store', store]);
  client = sdkClient(server.url);
  const script =
    'wget -q -O - --header "Content-Type: application/json" --post-data ' +
    '"{\\"jobName\\":\\"child-$AWS_REGION-$AWS_ACCESS_KEY_ID\\",\\"jobQueue\\":\\"serve-queue\\",' +
    '\\"jobDefinition\\":\\"sleeper\\",\\"parameters\\":{\\"seconds\\":\\"0\\"}}" ' +
    '"$AWS_ENDPOINT_URL_BATCH/v1/submitjob"';
  await client.send(
    new RegisterJobDefinitionCommand({
      jobDefinitionName: 'fan-out',
      type: 'container',
      containerProperties: {
        image: 'local/busybox:test',
        command: ['sh', '-c', script],
        resourceRequirements: [
          { type: 'VCPU', value: '1' },
          { type: 'MEMORY', value: '64' },
        ],
      },
    }),
  );
  const parent = await client.send(
    new SubmitJobCommand({ jobName: 'parent', jobQueue: 'serve-queue', jobDefinition: 'fan-out' }),
  );
  const [p] = await waitFinal(client, [parent.jobId ?? '']);
  expect([p.status, p.container?.exitCode]).toEqual(['SUCCEEDED', 0]);
  const children = await client.send(
    new ListJobsCommand({ jobQueue: 'serve-queue', filters: [{ name: 'JOB_NAME', values: ['child-*'] }] }),
  );
  expect(children.jobSummaryList?.map((s) => s.jobName)).toEqual(['child-us-east-1-batchkit-local']);
  const [child] = await waitFinal(client, [children.jobSummaryList?.[0]?.jobId ?? '']);
  expect(child.status).toBe('SUCCEEDED');
});

test('a server killed mid-run and restarted keeps every job record and finishes the jobs', async () => {
  server = await startServe(['--app', SERVE_APP, '--store', store]);
  client = sdkClient(server.url);
  await client.send(
    new RegisterJobDefinitionCommand({
      jobDefinitionName: 'kept',
      type: 'container',
      containerProperties: {
        image: 'local/busybox:test',
        command: ['true'],
        resourceRequirements: [
          { type: 'VCPU', value: '1' },
          { type: 'MEMORY', value: '32' },
        ],
      },
    }),
  );
  const ids: string[] = [];
  for (let i = 0; i < 4; i++) {
    const r = await client.send(
      new SubmitJobCommand({
        jobName: `survivor-${i}`,
        jobQueue: 'serve-queue',
        jobDefinition: 'sleeper',
        parameters: { seconds: '3' },
      }),
    );
    ids.push(r.jobId ?? '');
  }
  const deadline = Date.now() + 30_000;
  let before: JobDetail[] = [];
  while (Date.now() < deadline) {
    before = (await client.send(new DescribeJobsCommand({ jobs: ids }))).jobs ?? [];
    if (before.filter((j) => j.status === 'RUNNING').length === 2) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(before.map((j) => j.status).sort()).toEqual(['RUNNABLE', 'RUNNABLE', 'RUNNING', 'RUNNING']);
  client.destroy();
  await server.stop('SIGKILL');

  server = await startServe(['--app', SERVE_APP, '--store', store]);
  client = sdkClient(server.url);
  const after = (await client.send(new DescribeJobsCommand({ jobs: ids }))).jobs ?? [];
  expect(after.map((j) => [j.jobId, j.jobName, j.createdAt])).toEqual(
    before.map((j) => [j.jobId, j.jobName, j.createdAt]),
  );
  const kept = await client.send(new DescribeJobDefinitionsCommand({ jobDefinitionName: 'kept' }));
  expect(kept.jobDefinitions?.map((d) => [d.jobDefinitionArn, d.status])).toEqual([
    ['arn:aws:batch:us-east-1:123456789012:job-definition/kept:1', 'ACTIVE'],
  ]);
  const done = await waitFinal(client, ids);
  expect(done.map((j) => [j.jobName, j.status, j.status === 'FAILED' ? j.statusReason : ''])).toEqual(
    ids.map((_, i) => [`survivor-${i}`, 'SUCCEEDED', '']),
  );
}, 120_000);
