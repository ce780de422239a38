/**
 * The CloudWatch Logs subset of `batchkit local serve` through the real
 * `@aws-sdk/client-cloudwatch-logs` (awsJson1.1 on the Batch API's port), over jobs of the fake
 * runtime whose lines carry the clock's timestamps; every response body is also checked against
 * the CloudWatch Logs service model the AWS CLI ships.
 */
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  InvalidParameterException,
  ResourceNotFoundException,
  paginateFilterLogEvents,
} from '@aws-sdk/client-cloudwatch-logs';
import { DescribeJobsCommand, RegisterJobDefinitionCommand, SubmitJobCommand } from '@aws-sdk/client-batch';
import { checkResponse, loadServiceModel } from '../../../_helpers/service-model';
import { startTestService, type TestService } from '../support';

const model = loadServiceModel('logs', '2014-03-28');
let t: TestService;
let logs: CloudWatchLogsClient;
let t0: number;

const LINES = ['INFO starting', 'ERROR disk full', 'WARN slow read', 'ERROR retry exhausted', 'done'];

beforeAll(async () => {
  t = await startTestService({
    script: (spec) => ({
      durationMs: 10_000,
      timestamps: true,
      lines: LINES.map((message, i) => ({
        atMs: i * 1000,
        message: `${message} (${spec.environment.WHO ?? 'job'})`,
        stream: i === 1 ? ('stderr' as const) : ('stdout' as const),
      })),
    }),
  });
  logs = new CloudWatchLogsClient({
    endpoint: t.service.server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    maxAttempts: 1,
  });
  await t.client.send(
    new RegisterJobDefinitionCommand({
      jobDefinitionName: 'custom-logs',
      type: 'container',
      containerProperties: {
        image: 'local/busybox:test',
        resourceRequirements: [
          { type: 'VCPU', value: '1' },
          { type: 'MEMORY', value: '64' },
        ],
        logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/custom/group' } },
      },
    }),
  );
  t0 = t.clock.now();
});
afterAll(async () => {
  logs.destroy();
  await t.close();
});

async function runJob(name: string, jobDefinition: string, who: string): Promise<string> {
  const { jobId } = await t.client.send(
    new SubmitJobCommand({
      jobName: name,
      jobQueue: 'main-queue',
      jobDefinition,
      containerOverrides: { environment: [{ name: 'WHO', value: who }] },
    }),
  );
  return jobId as string;
}

async function streamOf(jobId: string): Promise<string> {
  const d = await t.client.send(new DescribeJobsCommand({ jobs: [jobId] }));
  return d.jobs?.[0]?.container?.logStreamName ?? d.jobs?.[0]?.attempts?.[0]?.container?.logStreamName ?? '';
}

/** The raw body of a Logs operation, checked against the service model. */
async function raw(operation: string, body: object): Promise<unknown> {
  const res = await fetch(t.service.server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `Logs_20140328.${operation}` },
    body: JSON.stringify(body),
  });
  expect([res.status, res.headers.get('content-type')]).toEqual([200, 'application/x-amz-json-1.1']);
  const parsed = (await res.json()) as unknown;
  expect(checkResponse(model, operation, parsed)).toEqual([]);
  return parsed;
}

let a: string;
let b: string;
let streamA: string;
let streamB: string;

test("jobs write to /aws/batch/job, or to their definition's awslogs-group", async () => {
  a = await runJob('a', 'hello', 'a');
  b = await runJob('b', 'custom-logs', 'b');
  for (let i = 0; i < 12; i++) await t.advance(1000);
  await t.service.executor.waitForIdle();
  streamA = await streamOf(a);
  streamB = await streamOf(b);
  expect(streamA).toMatch(/^hello\/default\/[0-9a-f]{32}$/);

  const groups = await logs.send(new DescribeLogGroupsCommand({}));
  expect(groups.logGroups?.map((g) => [g.logGroupName, g.arn, g.logGroupArn])).toEqual([
    [
      '/aws/batch/job',
      'arn:aws:logs:us-east-1:123456789012:log-group:/aws/batch/job:*',
      'arn:aws:logs:us-east-1:123456789012:log-group:/aws/batch/job',
    ],
    [
      '/custom/group',
      'arn:aws:logs:us-east-1:123456789012:log-group:/custom/group:*',
      'arn:aws:logs:us-east-1:123456789012:log-group:/custom/group',
    ],
  ]);
  expect(
    (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/custom' }))).logGroups?.map(
      (g) => g.logGroupName,
    ),
  ).toEqual(['/custom/group']);

  const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/batch/job' }));
  expect(
    streams.logStreams?.map((s) => [s.logStreamName, s.firstEventTimestamp! - t0, s.lastEventTimestamp! - t0]),
  ).toEqual([[streamA, 0, 4000]]);
  const custom = await logs.send(
    new DescribeLogStreamsCommand({
      logGroupIdentifier: 'arn:aws:logs:us-east-1:123456789012:log-group:/custom/group:*',
    }),
  );
  expect(custom.logStreams?.map((s) => s.logStreamName)).toEqual([streamB]);
  await raw('DescribeLogGroups', {});
  await raw('DescribeLogStreams', { logGroupName: '/aws/batch/job', orderBy: 'LastEventTime', descending: true });
});

test(
  'GetLogEvents pages forward from the head and backward from the tail, ' + 'and keeps the token at the end',
  async () => {
    const head = await logs.send(
      new GetLogEventsCommand({
        logGroupName: '/aws/batch/job',
        logStreamName: streamA,
        startFromHead: true,
        limit: 2,
      }),
    );
    expect(head.events?.map((e) => [e.message, e.timestamp! - t0, e.ingestionTime! - t0])).toEqual([
      ['INFO starting (a)', 0, 0],
      ['ERROR disk full (a)', 1000, 1000],
    ]);
    const next = await logs.send(
      new GetLogEventsCommand({
        logGroupName: '/aws/batch/job',
        logStreamName: streamA,
        nextToken: head.nextForwardToken,
        limit: 2,
      }),
    );
    expect(next.events?.map((e) => e.message)).toEqual(['WARN slow read (a)', 'ERROR retry exhausted (a)']);
    const last = await logs.send(
      new GetLogEventsCommand({
        logGroupName: '/aws/batch/job',
        logStreamName: streamA,
        nextToken: next.nextForwardToken,
        limit: 2,
      }),
    );
    expect(last.events?.map((e) => e.message)).toEqual(['done (a)']);
    const end = await logs.send(
      new GetLogEventsCommand({
        logGroupName: '/aws/batch/job',
        logStreamName: streamA,
        nextToken: last.nextForwardToken,
        limit: 2,
      }),
    );
    expect([end.events, end.nextForwardToken]).toEqual([[], last.nextForwardToken]);

    const tail = await logs.send(
      new GetLogEventsCommand({ logGroupName: '/aws/batch/job', logStreamName: streamA, limit: 2 }),
    );
    expect(tail.events?.map((e) => e.message)).toEqual(['ERROR retry exhausted (a)', 'done (a)']);
    const before = await logs.send(
      new GetLogEventsCommand({
        logGroupName: '/aws/batch/job',
        logStreamName: streamA,
        nextToken: tail.nextBackwardToken,
        limit: 2,
      }),
    );
    expect(before.events?.map((e) => e.message)).toEqual(['ERROR disk full (a)', 'WARN slow read (a)']);

    const window = await logs.send(
      new GetLogEventsCommand({
        logGroupName: '/aws/batch/job',
        logStreamName: streamA,
        startTime: t0 + 1000,
        endTime: t0 + 3000,
        startFromHead: true,
      }),
    );
    expect(window.events?.map((e) => e.message)).toEqual(['ERROR disk full (a)', 'WARN slow read (a)']);
    await raw('GetLogEvents', { logGroupName: '/aws/batch/job', logStreamName: streamA, startFromHead: true });
  },
);

test('FilterLogEvents: terms, phrases, ?alternatives, -exclusions, streams, time range and pages', async () => {
  const filter = async (
    input: Omit<ConstructorParameters<typeof FilterLogEventsCommand>[0], 'logGroupName'>,
    group = '/aws/batch/job',
  ) => (await logs.send(new FilterLogEventsCommand({ logGroupName: group, ...input }))).events?.map((e) => e.message);
  expect(await filter({ filterPattern: 'ERROR' })).toEqual(['ERROR disk full (a)', 'ERROR retry exhausted (a)']);
  expect(await filter({ filterPattern: '"disk full"' })).toEqual(['ERROR disk full (a)']);
  expect(await filter({ filterPattern: '?WARN ?done' })).toEqual(['WARN slow read (a)', 'done (a)']);
  expect(await filter({ filterPattern: 'ERROR -disk' })).toEqual(['ERROR retry exhausted (a)']);
  expect(await filter({ filterPattern: 'error' })).toEqual([]);
  expect(await filter({ filterPattern: 'ERROR', startTime: t0 + 2000 })).toEqual(['ERROR retry exhausted (a)']);
  expect(await filter({ logStreamNames: [streamB] }, '/custom/group')).toEqual(LINES.map((l) => `${l} (b)`));
  expect(await filter({ logStreamNamePrefix: 'nope/' })).toEqual([]);

  const pages: string[][] = [];
  for await (const page of paginateFilterLogEvents({ client: logs, pageSize: 2 }, { logGroupName: '/aws/batch/job' })) {
    pages.push(page.events?.map((e) => e.message ?? '') ?? []);
  }
  expect(pages).toEqual([
    ['INFO starting (a)', 'ERROR disk full (a)'],
    ['WARN slow read (a)', 'ERROR retry exhausted (a)'],
    ['done (a)'],
  ]);
  const one = (await raw('FilterLogEvents', { logGroupName: '/aws/batch/job', filterPattern: 'done' })) as {
    events: Array<{ logStreamName: string; eventId: string }>;
  };
  expect(one.events.map((e) => e.logStreamName)).toEqual([streamA]);
  expect(one.events[0].eventId).toMatch(/^\d+$/);
});

test('unknown groups and streams, and patterns batchkit does not evaluate, are the errors AWS names', async () => {
  const ghostGroup = await logs
    .send(new GetLogEventsCommand({ logGroupName: '/nope', logStreamName: 'x' }))
    .catch((e: unknown) => e);
  expect(ghostGroup).toBeInstanceOf(ResourceNotFoundException);
  expect((ghostGroup as Error).message).toMatch(/^The specified log group does not exist: \/nope\./);
  const ghostStream = await logs
    .send(new GetLogEventsCommand({ logGroupName: '/aws/batch/job', logStreamName: 'hello/default/0' }))
    .catch((e: unknown) => e);
  expect(ghostStream).toBeInstanceOf(ResourceNotFoundException);
  const json = await logs
    .send(new FilterLogEventsCommand({ logGroupName: '/aws/batch/job', filterPattern: '{ $.level = "ERROR" }' }))
    .catch((e: unknown) => e);
  expect(json).toBeInstanceOf(InvalidParameterException);
  expect((json as Error).message).toMatch(
    new RegExp(
      String.raw`is a JSON pattern; the local CloudWatch Logs API evaluates t` + String.raw`erm patterns only`,
    ),
  );
  const both = await logs
    .send(
      new FilterLogEventsCommand({
        logGroupName: '/aws/batch/job',
        logStreamNames: [streamA],
        logStreamNamePrefix: 'hello',
      }),
    )
    .catch((e: unknown) => e);
  expect((both as Error).message).toBe(
    'logStreamNames and logStreamNamePrefix cannot be used together. Fix: pass one of them.',
  );
  const badToken = await logs
    .send(new GetLogEventsCommand({ logGroupName: '/aws/batch/job', logStreamName: streamA, nextToken: 'x/1' }))
    .catch((e: unknown) => e);
  expect(badToken).toBeInstanceOf(InvalidParameterException);
});
