/**
 * loadAppModel on a handwritten template: rules (pattern as object or string, bus, state, targets with
 * Input/InputPath/InputTransformer/BatchParameters), Lambda functions (inline code, asset directory
 * via aws:asset:path, aliases), state machines (DefinitionString with Fn::Join and substitutions),
 * SNS topics with subscriptions and SQS queues.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { loadAppModel } from '../../../lib/core/assembly';

let dir: string;
let file: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'batchkit-app-model-'));
  mkdirSync(path.join(dir, 'asset.fn'));
  writeFileSync(path.join(dir, 'asset.fn', 'index.js'), 'exports.handler = async () => 1;');
  const template = {
    Resources: {
      Queue: {
        Type: 'AWS::Batch::JobQueue',
        Properties: { JobQueueName: 'q', Priority: 1, ComputeEnvironmentOrder: [] },
      },
      Fn: {
        Type: 'AWS::Lambda::Function',
        Metadata: { 'aws:asset:path': 'asset.fn', 'aws:cdk:path': 'App/Fn/Resource' },
        Properties: {
          FunctionName: 'notify',
          Runtime: 'nodejs20.x',
          Handler: 'index.handler',
          Code: { S3Bucket: 'b', S3Key: 'abc.zip' },
          Timeout: 30,
          MemorySize: 256,
          Environment: { Variables: { TOPIC: { Ref: 'Topic' } } },
        },
      },
      Inline: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Runtime: 'python3.12',
          Handler: 'index.handler',
          Code: { ZipFile: 'def handler(e, c):\n    return 1\n' },
        },
      },
      Alias: {
        Type: 'AWS::Lambda::Alias',
        Properties: { FunctionName: { Ref: 'Fn' }, FunctionVersion: '1', Name: 'live' },
      },
      Topic: {
        Type: 'AWS::SNS::Topic',
        Properties: { TopicName: 'notices', Subscription: [{ Protocol: 'email', Endpoint: 'ops@example.com' }] },
      },
      Sub: {
        Type: 'AWS::SNS::Subscription',
        Properties: {
          TopicArn: { Ref: 'Topic' },
          Protocol: 'sqs',
          Endpoint: { 'Fn::GetAtt': ['Sqs', 'Arn'] },
          RawMessageDelivery: true,
        },
      },
      Sqs: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'inbox' } },
      Machine: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: {
          StateMachineName: 'flow',
          DefinitionString: {
            'Fn::Join': [
              '',
              [
                '{"StartAt":"P","States":{"P":{"Type":"Task",' +
                  '"Resource":"arn:aws:states:::sns:publish","Parameters":{"TopicArn":"',
                { Ref: 'Topic' },
                '","Message":"${msg}"},"End":true}}}',
              ],
            ],
          },
          DefinitionSubstitutions: { msg: 'hello' },
        },
      },
      Broken: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: { DefinitionS3Location: { Bucket: 'elsewhere', Key: 'def.json' } },
      },
      Rule: {
        Type: 'AWS::Events::Rule',
        Properties: {
          EventPattern: { source: ['aws.batch'], detail: { jobQueue: [{ Ref: 'Queue' }] } },
          Targets: [
            {
              Id: 'L',
              Arn: { Ref: 'Alias' },
              InputTransformer: { InputPathsMap: { id: '$.detail.jobId' }, InputTemplate: '{"id": <id>}' },
            },
            {
              Id: 'B',
              Arn: { Ref: 'Queue' },
              RoleArn: 'arn:aws:iam::123456789012:role/r',
              BatchParameters: {
                JobDefinition: 'jd',
                JobName: 'again',
                ArrayProperties: { Size: 3 },
                RetryStrategy: { Attempts: 2 },
              },
              Input: '{}',
            },
            { Id: 'S', Arn: { Ref: 'Machine' }, InputPath: '$.detail' },
            { Id: 'T', Arn: { Ref: 'Topic' }, RetryPolicy: { MaximumRetryAttempts: 4 } },
            { Id: 'Q', Arn: { 'Fn::GetAtt': ['Sqs', 'Arn'] } },
            { Id: 'K', Arn: 'arn:aws:kinesis:us-east-1:123456789012:stream/s' },
          ],
        },
      },
      Other: {
        Type: 'AWS::Events::Rule',
        Properties: {
          EventBusName: 'arn:aws:events:us-east-1:123456789012:event-bus/orders',
          State: 'DISABLED',
          EventPattern: '{"source":["shop"]}',
          Targets: [],
        },
      },
    },
  };
  file = path.join(dir, 'app.template.json');
  writeFileSync(file, JSON.stringify(template));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('functions: asset directory from aws:asset:path, inline code, environment, aliases', () => {
  const app = loadAppModel(file);
  const fn = app.functions.find((f) => f.logicalId === 'Fn');
  expect(fn).toMatchObject({
    functionName: 'notify',
    arn: 'arn:aws:lambda:us-east-1:123456789012:function:notify',
    runtime: 'nodejs20.x',
    timeoutSeconds: 30,
    memoryMiB: 256,
    environment: { TOPIC: 'arn:aws:sns:us-east-1:123456789012:notices' },
    code: { kind: 'directory', path: path.join(dir, 'asset.fn') },
    source: { constructPath: 'App/Fn/Resource' },
  });
  expect(fn?.qualifiedArns[0]).toBe('arn:aws:lambda:us-east-1:123456789012:function:notify:live');
  const inline = app.functions.find((f) => f.logicalId === 'Inline');
  expect(inline).toMatchObject({
    timeoutSeconds: 3,
    memoryMiB: 128,
    code: { kind: 'inline', source: 'def handler(e, c):\n    return 1\n' },
  });
});

test('rules: pattern resolved, targets classified with their input settings', () => {
  const app = loadAppModel(file);
  const rule = app.rules.find((r) => r.logicalId === 'Rule')!;
  expect(rule).toMatchObject({
    eventBusName: 'default',
    state: 'ENABLED',
    eventPattern: { source: ['aws.batch'], detail: { jobQueue: ['arn:aws:batch:us-east-1:123456789012:job-queue/q'] } },
  });
  expect(rule.targets.map((t) => [t.id, t.kind, t.logicalId])).toEqual([
    ['L', 'lambda', 'Alias'],
    ['B', 'batch', 'Queue'],
    ['S', 'state-machine', 'Machine'],
    ['T', 'sns', 'Topic'],
    ['Q', 'sqs', 'Sqs'],
    ['K', 'other', undefined],
  ]);
  expect(rule.targets[0].inputTransformer).toEqual({
    inputPathsMap: { id: '$.detail.jobId' },
    inputTemplate: '{"id": <id>}',
  });
  expect(rule.targets[1]).toMatchObject({
    input: '{}',
    batchParameters: { jobDefinition: 'jd', jobName: 'again', arraySize: 3, attempts: 2 },
  });
  expect(rule.targets[2].inputPath).toBe('$.detail');
  expect(rule.targets[3].maximumRetryAttempts).toBe(4);
  const other = app.rules.find((r) => r.logicalId === 'Other');
  expect(other).toMatchObject({ eventBusName: 'orders', state: 'DISABLED', eventPattern: { source: ['shop'] } });
});

test('state machines: definition after Fn::Join and substitutions; an S3 definition that is no asset is a note', () => {
  const app = loadAppModel(file);
  const m = app.stateMachines.find((x) => x.logicalId === 'Machine');
  expect(m).toMatchObject({ name: 'flow', arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:flow' });
  expect(m?.definition).toEqual({
    StartAt: 'P',
    States: {
      P: {
        Type: 'Task',
        Resource: 'arn:aws:states:::sns:publish',
        Parameters: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:notices', Message: 'hello' },
        End: true,
      },
    },
  });
  const broken = app.stateMachines.find((x) => x.logicalId === 'Broken');
  expect(broken?.definition).toBeUndefined();
  expect(app.notes).toEqual([
    expect.stringContaining(
      'State machine Broken (app): its definition is the S3 object ' +
        'elsewhere/def.json, which is no asset of this assembly',
    ),
  ]);
});

test('topics with inline and resource subscriptions; queues with URL and ARN', () => {
  const app = loadAppModel(file);
  expect(app.topics).toEqual([
    {
      logicalId: 'Topic',
      stack: 'app',
      name: 'notices',
      arn: 'arn:aws:sns:us-east-1:123456789012:notices',
      subscriptions: [
        { protocol: 'sqs', endpoint: 'arn:aws:sqs:us-east-1:123456789012:inbox', rawMessageDelivery: true },
        { protocol: 'email', endpoint: 'ops@example.com', rawMessageDelivery: false },
      ],
    },
  ]);
  expect(app.queues).toEqual([
    {
      logicalId: 'Sqs',
      stack: 'app',
      name: 'inbox',
      arn: 'arn:aws:sqs:us-east-1:123456789012:inbox',
      url: 'https://sqs.us-east-1.amazonaws.com/123456789012/inbox',
    },
  ]);
});
