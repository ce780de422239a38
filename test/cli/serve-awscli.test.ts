/**
 * `batchkit local serve` driven by the AWS CLI (`aws batch ... --endpoint-url`), unsigned with dummy
 * credentials: the CLI's request serialization, response parsing, paginators and error handling
 * against our server.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { SERVE_APP, awsBatch, startServe, type ServeProcess } from './serve-support';

let store: string;
let server: ServeProcess;
const aws = (...args: string[]) => awsBatch(server.url, args);

interface JobsOut {
  jobs: Array<{ jobId: string; jobName: string; status: string; container?: { exitCode?: number } }>;
}
interface ListOut {
  jobSummaryList: Array<{ jobName: string; status: string }>;
  NextToken?: string;
  nextToken?: string;
}

beforeAll(async () => {
  store = mkdtempSync(path.join(tmpdir(), 'batchkit-awscli-'));
  server = await startServe(['--app', SERVE_APP, '--store', store]);
});
afterAll(async () => {
  await server.stop('SIGTERM');
  rmSync(store, { recursive: true, force: true });
});

async function waitSucceeded(ids: string[]): Promise<JobsOut['jobs']> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const out = aws('describe-jobs', '--jobs', ...ids).json as JobsOut;
    if (out.jobs.every((j) => j.status === 'SUCCEEDED' || j.status === 'FAILED')) return out.jobs;
    if (Date.now() > deadline) throw new Error(`not finished: ${JSON.stringify(out.jobs.map((j) => j.status))}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

test('register-job-definition and describe-job-definitions', () => {
  const props = JSON.stringify({
    image: 'local/busybox:test',
    command: ['echo', 'Ref::msg'],
    resourceRequirements: [
      { type: 'VCPU', value: '1' },
      { type: 'MEMORY', value: '32' },
    ],
  });
  const r1 = aws(
    'register-job-definition',
    '--job-definition-name',
    'cli-echo',
    '--type',
    'container',
    '--container-properties',
    props,
    '--parameters',
    'msg=hi',
  );
  expect(r1.code).toBe(0);
  expect(r1.json).toEqual({
    jobDefinitionName: 'cli-echo',
    jobDefinitionArn: 'arn:aws:batch:us-east-1:123456789012:job-definition/cli-echo:1',
    revision: 1,
  });
  expect(
    (
      aws(
        'register-job-definition',
        '--job-definition-name',
        'cli-echo',
        '--type',
        'container',
        '--container-properties',
        props,
      ).json as { revision: number }
    ).revision,
  ).toBe(2);
  const d = aws('describe-job-definitions', '--job-definition-name', 'cli-echo', '--status', 'ACTIVE').json as {
    jobDefinitions: Array<{
      revision: number;
      parameters: Record<string, string>;
      containerProperties: { command: string[] };
    }>;
  };
  expect(d.jobDefinitions.map((j) => [j.revision, j.parameters, j.containerProperties.command])).toEqual([
    [1, { msg: 'hi' }, ['echo', 'Ref::msg']],
    [2, {}, ['echo', 'Ref::msg']],
  ]);
});

test('submit-job, describe-jobs, and list-jobs with --filters and the paginator', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    const r = aws(
      'submit-job',
      '--job-name',
      `cli-${i}`,
      '--job-queue',
      'serve-queue',
      '--job-definition',
      'sleeper',
      '--parameters',
      'seconds=0',
    );
    expect(r.code).toBe(0);
    const out = r.json as { jobId: string; jobName: string; jobArn: string };
    expect(out.jobArn).toBe(`arn:aws:batch:us-east-1:123456789012:job/${out.jobId}`);
    ids.push(out.jobId);
  }
  const done = await waitSucceeded(ids);
  expect(done.map((j) => [j.jobName, j.status, j.container?.exitCode])).toEqual(
    ids.map((_, i) => [`cli-${i}`, 'SUCCEEDED', 0]),
  );

  const filtered = aws('list-jobs', '--job-queue', 'serve-queue', '--filters', 'name=JOB_NAME,values=cli-*')
    .json as ListOut;
  expect(filtered.jobSummaryList.map((s) => s.jobName).sort()).toEqual(['cli-0', 'cli-1', 'cli-2', 'cli-3', 'cli-4']);

  const paged = aws('list-jobs', '--job-queue', 'serve-queue', '--job-status', 'SUCCEEDED', '--page-size', '2')
    .json as ListOut;
  expect(paged.jobSummaryList.map((s) => s.jobName).sort()).toEqual(['cli-0', 'cli-1', 'cli-2', 'cli-3', 'cli-4']);

  const first = aws(
    'list-jobs',
    '--job-queue',
    'serve-queue',
    '--job-status',
    'SUCCEEDED',
    '--max-items',
    '3',
    '--page-size',
    '2',
  ).json as ListOut;
  expect(first.jobSummaryList).toHaveLength(3);
  expect(first.NextToken).toEqual(expect.any(String));
  const rest = aws(
    'list-jobs',
    '--job-queue',
    'serve-queue',
    '--job-status',
    'SUCCEEDED',
    '--max-items',
    '3',
    '--page-size',
    '2',
    '--starting-token',
    first.NextToken ?? '',
  ).json as ListOut;
  expect([...first.jobSummaryList, ...rest.jobSummaryList].map((s) => s.jobName).sort()).toEqual([
    'cli-0',
    'cli-1',
    'cli-2',
    'cli-3',
    'cli-4',
  ]);
});

test('create, update and delete a compute environment and a job queue', async () => {
  const ce = aws(
    'create-compute-environment',
    '--compute-environment-name',
    'cli-ce',
    '--type',
    'UNMANAGED',
    '--unmanagedv-cpus',
    '2',
  );
  expect(ce.code).toBe(0);
  expect(ce.json).toEqual({
    computeEnvironmentName: 'cli-ce',
    computeEnvironmentArn: 'arn:aws:batch:us-east-1:123456789012:compute-environment/cli-ce',
  });
  const q = aws(
    'create-job-queue',
    '--job-queue-name',
    'cli-q',
    '--priority',
    '3',
    '--compute-environment-order',
    'order=1,computeEnvironment=cli-ce',
  );
  expect(q.code).toBe(0);
  await new Promise((r) => setTimeout(r, 200));
  const described = aws('describe-job-queues', '--job-queues', 'cli-q').json as {
    jobQueues: Array<Record<string, unknown>>;
  };
  expect(described.jobQueues[0]).toMatchObject({
    jobQueueName: 'cli-q',
    status: 'VALID',
    state: 'ENABLED',
    priority: 3,
  });

  const refused = aws('delete-compute-environment', '--compute-environment', 'cli-ce');
  expect(refused.code).not.toBe(0);
  expect(refused.stderr).toMatch(
    new RegExp(
      String.raw`An error occurred \(ClientException\) when calling the Delet` +
        String.raw`eComputeEnvironment operation: Cannot delete compute environ` +
        String.raw`ment cli-ce: its state is ENABLED`,
    ),
  );

  expect(aws('update-job-queue', '--job-queue', 'cli-q', '--state', 'DISABLED').code).toBe(0);
  expect(aws('delete-job-queue', '--job-queue', 'cli-q').code).toBe(0);
  expect(aws('update-compute-environment', '--compute-environment', 'cli-ce', '--state', 'DISABLED').code).toBe(0);
  await new Promise((r) => setTimeout(r, 200));
  expect(aws('delete-compute-environment', '--compute-environment', 'cli-ce').code).toBe(0);
  await new Promise((r) => setTimeout(r, 200));
  const left = aws('describe-compute-environments').json as {
    computeEnvironments: Array<{ computeEnvironmentName: string }>;
  };
  expect(left.computeEnvironments.map((c) => c.computeEnvironmentName)).toEqual(['serve-ce']);
});

test('a ClientException reaches the CLI as such', () => {
  const r = aws('submit-job', '--job-name', 'x', '--job-queue', 'ghost', '--job-definition', 'sleeper');
  expect(r.code).not.toBe(0);
  expect(r.stderr).toMatch(
    new RegExp(
      String.raw`An error occurred \(ClientException\) when calling the Submi` +
        String.raw`tJob operation: Job queue ghost does not exist`,
    ),
  );
});
