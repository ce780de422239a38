/**
 * Rules and targets: events matched against the app's rules, delivered per target with Input,
 * InputPath and InputTransformer, in event order per rule; Lambda retries; Batch, SNS (with its Lambda
 * and SQS subscriptions), SQS and unknown targets; the run summary.
 */
import type { EventRuleModel, RuleTargetModel } from '../../../lib/core/model/app';
import type { BatchJobEvent } from '../../../lib/core/model/events';
import { LocalApp } from '../../../lib/local/app/local-app';
import { ENV, FakeExecutor, appModel, nodeFunction } from './fixtures';

jest.setTimeout(60_000);

function jobEvent(jobId: string, status: string, extra: Record<string, unknown> = {}): BatchJobEvent {
  return {
    version: '0',
    id: `ev-${jobId}-${status}`,
    'detail-type': 'Batch Job State Change',
    source: 'aws.batch',
    account: '123456789012',
    time: '2026-12-06T00:00:00Z',
    region: 'us-east-1',
    resources: [`arn:aws:batch:us-east-1:123456789012:job/${jobId}`],
    detail: { jobId, jobName: 'work', jobQueue: 'q', jobDefinition: 'd', status, ...extra },
  } as unknown as BatchJobEvent;
}

function rule(
  name: string,
  targets: RuleTargetModel[],
  pattern: Record<string, unknown> = { source: ['aws.batch'], detail: { status: ['SUCCEEDED', 'FAILED'] } },
): EventRuleModel {
  return {
    logicalId: name,
    stack: 'S',
    name,
    eventBusName: 'default',
    state: 'ENABLED',
    eventPattern: pattern,
    targets,
    source: { stack: 'S', logicalId: name },
  };
}

const RECORDER = `exports.handler = async (event) => { console.log('got ' + JSON.stringify(event)); return event; };`;

test('a Lambda target runs once per matching event, in event order, with its InputTransformer applied', async () => {
  const fn = nodeFunction('notify', RECORDER);
  const executor = new FakeExecutor();
  const target: RuleTargetModel = {
    id: 'T',
    arn: fn.arn,
    kind: 'lambda',
    inputTransformer: {
      inputPathsMap: { id: '$.detail.jobId', status: '$.detail.status' },
      inputTemplate: '{"job": <id>, "text": "job <id> is <status>", "rule": "<aws.events.rule-name>"}',
    },
  };
  // One function at a time, so the invocations also end (and are recorded) in the order they were
  // delivered; with more, two asynchronous invocations may end in either order, as on AWS.
  const app = new LocalApp({
    app: appModel({ functions: [fn], rules: [rule('done', [target])] }),
    executor,
    storeDir: ':memory:',
    env: ENV,
    lambdaConcurrency: 1,
  });
  executor.emit(jobEvent('j1', 'RUNNING'));
  executor.emit(jobEvent('j1', 'SUCCEEDED'));
  executor.emit(jobEvent('j2', 'FAILED'));
  await app.waitForIdle();
  const calls = app.store.invocations('notify');
  expect(calls.map((c) => c.result)).toEqual([
    { job: 'j1', text: 'job j1 is SUCCEEDED', rule: 'done' },
    { job: 'j2', text: 'job j2 is FAILED', rule: 'done' },
  ]);
  expect(calls[0].logs).toContain('got {"job":"j1"');
  expect(calls[0].logs).toMatch(/^START RequestId: [0-9a-f-]+ Version: \$LATEST/);
  expect(app.summary()).toEqual([
    {
      rule: 'done',
      logicalId: 'done',
      matched: 2,
      actions: [
        { rule: 'done', targetId: 'T', kind: 'lambda', outcome: 'invoked Lambda function notify (asynchronously)' },
        { rule: 'done', targetId: 'T', kind: 'lambda', outcome: 'invoked Lambda function notify (asynchronously)' },
      ],
    },
  ]);
  app.close();
});

test('Input and InputPath', async () => {
  const fn = nodeFunction('echo', 'exports.handler = async (e) => e;');
  const executor = new FakeExecutor();
  const app = new LocalApp({
    app: appModel({
      functions: [fn],
      rules: [
        rule('r', [
          { id: 'A', arn: fn.arn, kind: 'lambda', input: '{"fixed":true}' },
          { id: 'B', arn: fn.arn, kind: 'lambda', inputPath: '$.detail.status' },
        ]),
      ],
    }),
    executor,
    storeDir: ':memory:',
    env: ENV,
  });
  executor.emit(jobEvent('j1', 'SUCCEEDED'));
  await app.waitForIdle();
  expect(
    app.store
      .invocations('echo')
      .map((c) => c.result)
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
  ).toEqual(['SUCCEEDED', { fixed: true }]);
});

test('a failing function is retried twice (Lambda asynchronous invocation), then given up', async () => {
  const fn = nodeFunction('flaky', "exports.handler = async () => { throw new TypeError('boom'); };");
  const executor = new FakeExecutor();
  const activity: string[] = [];
  const app = new LocalApp({
    app: appModel({ functions: [fn], rules: [rule('r', [{ id: 'T', arn: fn.arn, kind: 'lambda' }])] }),
    executor,
    storeDir: ':memory:',
    env: ENV,
    lambdaRetryDelaysSeconds: [0.01, 0.02],
    onActivity: (l) => activity.push(l),
  });
  executor.emit(jobEvent('j1', 'FAILED'));
  await app.waitForIdle();
  expect(
    app.store.invocations('flaky').map((c) => [c.attempt, c.status, c.error?.errorType, c.error?.errorMessage]),
  ).toEqual([
    [1, 'Failed', 'TypeError', 'boom'],
    [2, 'Failed', 'TypeError', 'boom'],
    [3, 'Failed', 'TypeError', 'boom'],
  ]);
  expect(activity.filter((l) => l.startsWith('Lambda flaky'))).toHaveLength(3);
});

test('a function that outlives its timeout is killed: Task timed out', async () => {
  const fn = nodeFunction('slow', 'exports.handler = () => new Promise(() => setInterval(() => {}, 1000));', {
    timeoutSeconds: 1,
  });
  const app = new LocalApp({
    app: appModel({ functions: [fn] }),
    executor: new FakeExecutor(),
    storeDir: ':memory:',
    env: ENV,
  });
  const rec = await app.lambda.invoke(fn, {}, 'test');
  expect(rec.status).toBe('TimedOut');
  expect(rec.error).toEqual({ errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 1.00 seconds' });
});

test('a Python function runs on python3 with a Lambda context', async () => {
  const fn = nodeFunction(
    'py',
    "def handler(event, context):\n    print('hello from', " +
      "context.function_name)\n    return {'n': event['n'] + 1, 'left': " +
      'context.get_remaining_time_in_millis() > 0}\n',
    { runtime: 'python3.12' },
  );
  const app = new LocalApp({
    app: appModel({ functions: [fn] }),
    executor: new FakeExecutor(),
    storeDir: ':memory:',
    env: ENV,
  });
  const rec = await app.lambda.invoke(fn, { n: 1 }, 'test');
  expect(rec).toMatchObject({ status: 'Succeeded', result: { n: 2, left: true } });
  expect(rec.logs).toContain('hello from py');
});

test('Batch, SNS (delivered to its SQS and Lambda subscriptions), SQS and other targets', async () => {
  const sub = nodeFunction('subscriber', 'exports.handler = async (e) => e.Records[0].Sns.Message;');
  const executor = new FakeExecutor();
  const topicArn = 'arn:aws:sns:us-east-1:123456789012:t';
  const queue = {
    logicalId: 'Q',
    stack: 'S',
    name: 'q',
    arn: 'arn:aws:sqs:us-east-1:123456789012:q',
    url: 'https://sqs.us-east-1.amazonaws.com/123456789012/q',
  };
  const app = new LocalApp({
    app: appModel({
      functions: [sub],
      queues: [queue],
      topics: [
        {
          logicalId: 'T',
          stack: 'S',
          name: 't',
          arn: topicArn,
          subscriptions: [
            { protocol: 'sqs', endpoint: queue.arn, rawMessageDelivery: true },
            { protocol: 'lambda', endpoint: sub.arn, rawMessageDelivery: false },
          ],
        },
      ],
      rules: [
        rule('fanout', [
          {
            id: 'Batch',
            arn: 'arn:aws:batch:us-east-1:123456789012:job-queue/q',
            kind: 'batch',
            batchParameters: { jobDefinition: 'd', jobName: 'followup', arraySize: 2 },
            input: '{"Parameters":{"k":"v"}}',
          },
          { id: 'Sns', arn: topicArn, kind: 'sns', inputPath: '$.detail.jobId' },
          { id: 'Sqs', arn: queue.arn, kind: 'sqs' },
          { id: 'Logs', arn: 'arn:aws:logs:us-east-1:123456789012:log-group:g', kind: 'other' },
        ]),
      ],
    }),
    executor,
    storeDir: ':memory:',
    env: ENV,
  });
  executor.emit(jobEvent('j1', 'SUCCEEDED'));
  await app.waitForIdle();
  expect(executor.submitted).toEqual([
    {
      jobName: 'followup',
      jobQueue: 'arn:aws:batch:us-east-1:123456789012:job-queue/q',
      jobDefinition: 'd',
      arrayProperties: { size: 2 },
      parameters: { k: 'v' },
    },
  ]);
  const msgs = app.store.messages();
  expect(
    msgs.map((m) => [
      m.kind,
      m.destination,
      m.kind === 'sqs' && m.from === 'rule fanout target Sqs' ? JSON.parse(m.message).detail.jobId : m.message,
    ]),
  ).toEqual([
    ['sns', topicArn, 'j1'],
    ['sqs', queue.url, 'j1'],
    ['sqs', queue.url, 'j1'],
  ]);
  expect(app.store.invocations('subscriber').map((i) => [i.trigger, i.result])).toEqual([['sns t', 'j1']]);
  expect(app.summary()[0].actions.map((a) => a.outcome)).toEqual([
    'submitted job followup (job-1)',
    `published message ${msgs[0].messageId} to topic t (outbox)`,
    `sent message ${msgs[2].messageId} to queue q (outbox)`,
    'recorded, not delivered: batchkit does not run targets of this type ' +
      'locally (logs: arn:aws:logs:us-east-1:123456789012:log-group:g)',
  ]);
});

test('disabled rules, rules on other buses and --no-rules see nothing', async () => {
  const fn = nodeFunction('f', RECORDER);
  const executor = new FakeExecutor();
  const t: RuleTargetModel = { id: 'T', arn: fn.arn, kind: 'lambda' };
  const rules = [
    { ...rule('off', [t]), state: 'DISABLED' },
    { ...rule('custom', [t]), eventBusName: 'orders' },
  ];
  const a = new LocalApp({ app: appModel({ functions: [fn], rules }), executor, storeDir: ':memory:', env: ENV });
  const b = new LocalApp({
    app: appModel({ functions: [fn], rules: [rule('on', [t])] }),
    executor,
    storeDir: ':memory:',
    env: ENV,
    rules: false,
  });
  executor.emit(jobEvent('j1', 'SUCCEEDED'));
  await Promise.all([a.waitForIdle(), b.waitForIdle()]);
  expect(a.activeRules()).toEqual([]);
  expect(a.store.invocations()).toEqual([]);
  expect(b.store.invocations()).toEqual([]);
});
