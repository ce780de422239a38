/**
 * Step Functions executions on aws-local-stepfunctions with batchkit's integrations: Batch submitJob
 * (request/response and .sync, FAILED → States.TaskFailed for Retry/Catch), lambda:invoke, SNS/SQS
 * into the outbox, and unsupported resources failing the execution by name.
 */
import type { StateMachineModel } from '../../../lib/core/model/app';
import { LocalApp } from '../../../lib/local/app/local-app';
import { ENV, FakeExecutor, appModel, nodeFunction } from './fixtures';

jest.setTimeout(60_000);

const QUEUE = 'arn:aws:batch:us-east-1:123456789012:job-queue/q';
const DEF = 'arn:aws:batch:us-east-1:123456789012:job-definition/d:1';
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:notices';

function machine(definition: Record<string, unknown>, name = 'pipeline'): StateMachineModel {
  return {
    logicalId: 'Machine',
    stack: 'S',
    name,
    arn: `arn:aws:states:us-east-1:123456789012:stateMachine:${name}`,
    definition,
    source: { stack: 'S', logicalId: 'Machine', constructPath: 'S/Pipeline/StateMachine/Resource' },
  };
}

function newApp(executor: FakeExecutor, m: StateMachineModel, extra: Parameters<typeof appModel>[0] = {}): LocalApp {
  return new LocalApp({
    app: appModel({
      stateMachines: [m],
      topics: [{ logicalId: 'T', stack: 'S', name: 'notices', arn: TOPIC, subscriptions: [] }],
      ...extra,
    }),
    executor,
    storeDir: ':memory:',
    env: ENV,
  });
}

test('submitJob passes each job id to the next dependsOn; sns:publish lands in the outbox', async () => {
  const executor = new FakeExecutor();
  const m = machine({
    StartAt: 'A',
    States: {
      A: {
        Type: 'Task',
        Resource: 'arn:aws:states:::batch:submitJob',
        Parameters: { JobName: 'A', JobQueue: QUEUE, JobDefinition: DEF },
        ResultSelector: { 'JobId.$': '$.JobId' },
        ResultPath: '$.a',
        Next: 'B',
      },
      B: {
        Type: 'Task',
        Resource: 'arn:aws:states:::batch:submitJob',
        Parameters: {
          JobName: 'B',
          JobQueue: QUEUE,
          JobDefinition: DEF,
          ArrayProperties: { Size: 3 },
          'DependsOn.$':
            'States.Array(States.JsonMerge(States.StringToJson(\'{"Type":"N_TO_N"}\'), ' +
            'States.StringToJson(States.Format(\'\\{"JobId":"{}"\\}\', $.a.JobId)), false))',
        },
        ResultPath: '$.b',
        Next: 'Notify',
      },
      Notify: {
        Type: 'Task',
        Resource: 'arn:aws:states:::sns:publish',
        Parameters: { TopicArn: TOPIC, 'Message.$': '$.b.JobId', Subject: 'done' },
        End: true,
      },
    },
  });
  const app = newApp(executor, m);
  const events: string[] = [];
  const rec = await app
    .stepFunctions()
    .start(m, { go: 1 }, 'cli', (e) => events.push(`${e.type}${e.state ? ` ${e.state}` : ''}`)).done;
  expect(rec.status).toBe('SUCCEEDED');
  expect(executor.submitted.map((s) => [s.jobName, s.jobQueue, s.arrayProperties?.size, s.dependsOn])).toEqual([
    ['A', QUEUE, undefined, undefined],
    ['B', QUEUE, 3, [{ type: 'N_TO_N', jobId: 'job-1' }]],
  ]);
  expect(app.store.messages().map((x) => [x.kind, x.destination, x.message, x.subject])).toEqual([
    ['sns', TOPIC, 'job-2', 'done'],
  ]);
  expect(events).toEqual([
    'ExecutionStarted',
    'StateEntered A',
    'StateExited A',
    'StateEntered B',
    'StateExited B',
    'StateEntered Notify',
    'StateExited Notify',
    'ExecutionSucceeded',
  ]);
  expect(app.store.executions().map((e) => [e.status, e.startedBy, e.stateMachineArn])).toEqual([
    ['SUCCEEDED', 'cli', m.arn],
  ]);
});

test(
  'submitJob.sync: a FAILED job fails the task with States.TaskFailed, ' + 'which Retry retries and Catch catches',
  async () => {
    // Job 1 and 2 (the first try and its retry) fail; the catcher's job 3 succeeds.
    const executor = new FakeExecutor((req) => (req.jobName === 'work' ? 'FAILED' : 'SUCCEEDED'));
    const m = machine({
      StartAt: 'Work',
      States: {
        Work: {
          Type: 'Task',
          Resource: 'arn:aws:states:::batch:submitJob.sync',
          Parameters: { JobName: 'work', JobQueue: QUEUE, JobDefinition: DEF },
          Retry: [{ ErrorEquals: ['States.TaskFailed'], MaxAttempts: 1, IntervalSeconds: 0 }],
          Catch: [{ ErrorEquals: ['States.TaskFailed'], ResultPath: '$.error', Next: 'Cleanup' }],
          End: true,
        },
        Cleanup: {
          Type: 'Task',
          Resource: 'arn:aws:states:::batch:submitJob.sync',
          Parameters: { JobName: 'cleanup', JobQueue: QUEUE, JobDefinition: DEF },
          ResultSelector: { 'Status.$': '$.Status', 'Parameters.$': '$.Parameters' },
          End: true,
        },
      },
    });
    const app = newApp(executor, m);
    const rec = await app.stepFunctions().start(m, {}, 'cli').done;
    expect(rec.status).toBe('SUCCEEDED');
    expect(executor.submitted.map((s) => s.jobName)).toEqual(['work', 'work', 'cleanup']);
    // The .sync output is DescribeJobs' job in PascalCase; the user keys of parameters are kept.
    expect(rec.output).toEqual({ Status: 'SUCCEEDED', Parameters: { 'my-Key': 'v' } });
    expect(
      rec.history.filter((h) => h.type === 'StateRetried' || h.type === 'StateCaught').map((h) => [h.type, h.state]),
    ).toEqual([
      ['StateRetried', 'Work'],
      ['StateCaught', 'Work'],
    ]);
  },
);

test('an uncaught FAILED job fails the execution with States.TaskFailed and the job as the cause', async () => {
  const executor = new FakeExecutor(() => 'FAILED');
  const m = machine({
    StartAt: 'Work',
    States: {
      Work: {
        Type: 'Task',
        Resource: 'arn:aws:states:::batch:submitJob.sync',
        Parameters: { JobName: 'work', JobQueue: QUEUE, JobDefinition: DEF },
        End: true,
      },
    },
  });
  const rec = await newApp(executor, m).stepFunctions().start(m, {}, 'cli').done;
  expect(rec.status).toBe('FAILED');
  expect(rec.error).toBe('States.TaskFailed');
  expect(JSON.parse(rec.cause ?? '{}')).toMatchObject({
    JobName: 'work',
    Status: 'FAILED',
    StatusReason: 'Essential container in task exited',
  });
});

test('lambda:invoke runs the function locally and returns its Payload', async () => {
  const fn = nodeFunction('double', 'exports.handler = async (e) => ({ doubled: e.n * 2 });');
  const m = machine({
    StartAt: 'Call',
    States: {
      Call: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: fn.arn, 'Payload.$': '$' },
        OutputPath: '$.Payload',
        End: true,
      },
    },
  });
  const app = newApp(new FakeExecutor(), m, { functions: [fn] });
  const rec = await app.stepFunctions().start(m, { n: 21 }, 'cli').done;
  expect(rec).toMatchObject({ status: 'SUCCEEDED', output: { doubled: 42 } });
  expect(
    app.store.invocations('double').map((i) => [i.status, i.trigger.startsWith(`execution ${rec.name} state Call`)]),
  ).toEqual([['Succeeded', true]]);
});

test('an unsupported integration fails the execution at once, naming the state and the resource', async () => {
  const m = machine({
    StartAt: 'Put',
    States: {
      Put: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: 't' }, End: true },
    },
  });
  const app = newApp(new FakeExecutor(), m);
  const rec = await app.stepFunctions().start(m, {}, 'cli').done;
  expect(rec.status).toBe('FAILED');
  expect(rec.error).toBe('States.Runtime');
  expect(rec.cause).toContain('state "Put": arn:aws:states:::dynamodb:putItem');
  expect(() => app.stepFunctions().check(m)).toThrow(
    /BATCHKIT-LOCAL-APP-011|integrations batchkit does not run locally/,
  );
});

test('find: by name, logical id or construct path; unknown names list the machines', () => {
  const m = machine({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
  const runner = newApp(new FakeExecutor(), m).stepFunctions();
  expect(runner.find('pipeline')).toBe(m);
  expect(runner.find('Machine')).toBe(m);
  expect(runner.find('S/Pipeline/StateMachine')).toBe(m);
  expect(() => runner.find('nope')).toThrow(/no such state machine[\s\S]*/);
});
