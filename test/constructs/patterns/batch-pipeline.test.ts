import { Duration, Size, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  BatchEnvironment,
  BatchPipeline,
  ContainerJobDefinition,
  JobContainer,
  JobImage,
  type PipelineStage,
  StageDependency,
} from '../../../lib/constructs';
import { awsSolutionsViolations, batchkitNagErrors } from '../nag/aws-solutions';
import { newStack } from './_stack';

function jobDefinition(stack: Stack, id: string): ContainerJobDefinition {
  return new ContainerJobDefinition(stack, id, {
    container: JobContainer.ec2({ image: JobImage.fromRegistry('busybox'), cpu: 1, memory: Size.mebibytes(512) }),
  });
}

/** The States of the state machine (tokens inside strings replaced by a marker). */
function states(
  t: Template,
): Record<string, { Parameters: Record<string, unknown>; Next?: string; End?: boolean; ResultPath: string }> {
  const [sm] = Object.values(t.findResources('AWS::StepFunctions::StateMachine'));
  const parts = sm.Properties.DefinitionString['Fn::Join'][1] as unknown[];
  return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : '<token>')).join('')).States;
}

describe('BatchPipeline: the guide workflow shape', () => {
  const stack = newStack();
  const env = new BatchEnvironment(stack, 'Env');
  const stages: PipelineStage[] = [
    { name: 'JobA', jobDefinition: jobDefinition(stack, 'A') },
    { name: 'JobB', jobDefinition: jobDefinition(stack, 'B'), arraySize: 1000 },
    { name: 'JobC', jobDefinition: jobDefinition(stack, 'C'), arraySize: 1000, dependency: StageDependency.N_TO_N },
    { name: 'JobD', jobDefinition: jobDefinition(stack, 'D'), arraySize: 10, sequential: true },
  ];
  const pipeline = new BatchPipeline(stack, 'Pipe', { jobQueue: env.highPriorityQueue, stages });
  const t = Template.fromStack(stack);

  test('one Task state per stage, chained in order, each storing its job id under $.jobIds', () => {
    const s = states(t);
    expect(Object.keys(s)).toEqual(['Submit JobA', 'Submit JobB', 'Submit JobC', 'Submit JobD']);
    expect([s['Submit JobA'].Next, s['Submit JobB'].Next, s['Submit JobC'].Next, s['Submit JobD'].End]).toEqual([
      'Submit JobB',
      'Submit JobC',
      'Submit JobD',
      true,
    ]);
    expect(Object.values(s).map((x) => x.ResultPath)).toEqual([
      '$.jobIds.stage0',
      '$.jobIds.stage1',
      '$.jobIds.stage2',
      '$.jobIds.stage3',
    ]);
  });

  test('dependsOn: none, previous job, N_TO_N on the previous array, previous + SEQUENTIAL', () => {
    const s = states(t);
    expect(s['Submit JobA'].Parameters).toEqual({ JobDefinition: '<token>', JobName: 'JobA', JobQueue: '<token>' });
    expect(s['Submit JobB'].Parameters).toMatchObject({
      ArrayProperties: { Size: 1000 },
      DependsOn: [{ 'JobId.$': '$.jobIds.stage0.JobId' }],
    });
    expect(s['Submit JobC'].Parameters.DependsOn).toEqual([{ 'JobId.$': '$.jobIds.stage1.JobId', Type: 'N_TO_N' }]);
    expect(s['Submit JobD'].Parameters).toMatchObject({
      ArrayProperties: { Size: 10 },
      DependsOn: [{ 'JobId.$': '$.jobIds.stage2.JobId' }, { Type: 'SEQUENTIAL' }],
    });
  });

  test(
    'the state machine only submits (REQUEST_RESPONSE), logs ALL to ' +
      'CloudWatch, traces with X-Ray, times out after 15 minutes',
    () => {
      const [sm] = Object.values(t.findResources('AWS::StepFunctions::StateMachine'));
      const text = (sm.Properties.DefinitionString['Fn::Join'][1] as unknown[])
        .filter((p) => typeof p === 'string')
        .join('');
      expect(text).toContain(':states:::batch:submitJob"');
      expect(text).not.toContain('submitJob.sync');
      expect(text).toContain('"TimeoutSeconds":900');
      t.hasResourceProperties('AWS::StepFunctions::StateMachine', {
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: true }),
      });
      t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    },
  );

  test('the role may submit to the queue only', () => {
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'batch:SubmitJob',
            Resource: Match.arrayWith([{ Ref: Match.stringLikeRegexp('^EnvHighPriorityQueue') }]),
          }),
        ]),
      },
    });
  });

  test(
    "completion: the last array stage's parent reaching SUCCEEDED or FAILED " +
      'goes to a KMS-encrypted, HTTPS-only topic',
    () => {
      t.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          source: ['aws.batch'],
          'detail-type': ['Batch Job State Change'],
          detail: {
            jobQueue: [{ Ref: Match.stringLikeRegexp('^EnvHighPriorityQueue') }],
            jobDefinition: [{ prefix: Match.anyValue() }],
            status: ['SUCCEEDED', 'FAILED'],
            container: { containerInstanceArn: [{ exists: false }] },
            arrayProperties: { size: [{ exists: true }] },
          },
        },
        Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^PipeNotifications') } })],
      });
      t.hasResourceProperties('AWS::SNS::Topic', {
        KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PipeTopicKey'), 'Arn'] },
      });
      t.hasResourceProperties('AWS::KMS::Key', {
        EnableKeyRotation: true,
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: 'events.amazonaws.com' },
              Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            }),
          ]),
        },
      });
      t.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
      expect(pipeline.scheduleRule).toBeUndefined();
    },
  );

  test('outputs: state machine ARN and topic ARN', () => {
    const outputs = Object.keys(t.findOutputs('*'));
    expect(outputs).toContainEqual(expect.stringMatching(/^PipeOutputsStateMachineArn/));
    expect(outputs).toContainEqual(expect.stringMatching(/^PipeOutputsNotificationTopicArn/));
  });

  test('cdk-nag AwsSolutions and batchkit nag find nothing unacknowledged', () => {
    expect(awsSolutionsViolations(stack, 'error')).toEqual([]);
    expect(awsSolutionsViolations(stack, 'warning')).toEqual([]);
    expect(batchkitNagErrors(stack)).toEqual([]);
  });
});

describe('BatchPipeline options', () => {
  test(
    'a single-job last stage is matched without the array-parent filter; a ' +
      'given topic is used; a schedule starts the state machine',
    () => {
      const stack = newStack();
      const env = new BatchEnvironment(stack, 'Env');
      const topic = new sns.Topic(stack, 'Mine', { enforceSSL: true });
      const pipeline = new BatchPipeline(stack, 'Pipe', {
        jobQueue: env.lowPriorityQueue,
        stages: [{ name: 'only', jobDefinition: jobDefinition(stack, 'Only'), jobQueue: env.highPriorityQueue }],
        notificationTopic: topic,
        schedule: events.Schedule.rate(Duration.days(1)),
      });
      const t = Template.fromStack(stack);
      t.resourceCountIs('AWS::KMS::Key', 0);
      expect(pipeline.notificationTopic).toBe(topic);
      const rules = Object.values(t.findResources('AWS::Events::Rule'));
      const completion = rules.find((r) => r.Properties.EventPattern);
      expect(completion?.Properties.EventPattern.detail).toEqual({
        jobQueue: [{ Ref: expect.stringMatching(/^EnvHighPriorityQueue/) }],
        jobDefinition: [{ prefix: expect.anything() }],
        status: ['SUCCEEDED', 'FAILED'],
      });
      t.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(1 day)',
        Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^PipeStateMachine') } })],
      });
    },
  );
});

describe('BatchPipeline errors', () => {
  const cases: Array<[string, (s: Stack) => PipelineStage[], RegExp]> = [
    ['no stage', () => [], /\[BATCHKIT-CDK-017\] stages is empty\..*Allowed: one or more stages/],
    [
      'a bad name',
      (s) => [{ name: '-x', jobDefinition: jobDefinition(s, 'J') }],
      new RegExp(
        String.raw`\[BATCH-SJ-001\] SubmitJob "-x" jobName: the job name is not` + String.raw` valid\. Got: "-x"`,
      ),
    ],
    [
      'a duplicate name',
      (s) => [
        { name: 'a', jobDefinition: jobDefinition(s, 'J') },
        { name: 'a', jobDefinition: jobDefinition(s, 'K') },
      ],
      /\[BATCHKIT-CDK-018\] stages\[1\]\.name "a" is used by an earlier stage/,
    ],
    [
      'array size 1',
      (s) => [{ name: 'a', jobDefinition: jobDefinition(s, 'J'), arraySize: 1 }],
      new RegExp(
        String.raw`\[BATCH-SJ-005\] SubmitJob "a" arrayProperties\.size: the ar` +
          String.raw`ray size is out of range\. Got: 1\. Allowed: an integer from` +
          String.raw` 2 to 10000`,
      ),
    ],
    [
      'array size 10001',
      (s) => [{ name: 'a', jobDefinition: jobDefinition(s, 'J'), arraySize: 10001 }],
      /\[BATCH-SJ-005\].*Got: 10001/,
    ],
    [
      'sequential without array',
      (s) => [{ name: 'a', jobDefinition: jobDefinition(s, 'J'), sequential: true }],
      new RegExp(
        String.raw`\[BATCH-SJ-004\] SubmitJob "a" dependsOn\[0\]\.type: a SEQUE` +
          String.raw`NTIAL dependency applies only to array jobs`,
      ),
    ],
    [
      'N_TO_N first',
      (s) => [{ name: 'a', jobDefinition: jobDefinition(s, 'J'), arraySize: 2, dependency: StageDependency.N_TO_N }],
      /\[BATCHKIT-CDK-019\] stages\[0\] has an N_TO_N dependency but is the first stage/,
    ],
    [
      'N_TO_N after a single job',
      (s) => [
        { name: 'a', jobDefinition: jobDefinition(s, 'J') },
        { name: 'b', jobDefinition: jobDefinition(s, 'K'), arraySize: 2, dependency: StageDependency.N_TO_N },
      ],
      /\[BATCHKIT-CDK-019\] stages\[1\] has an N_TO_N dependency but it and the previous stage are not both array jobs/,
    ],
    [
      'N_TO_N of other sizes',
      (s) => [
        { name: 'a', jobDefinition: jobDefinition(s, 'J'), arraySize: 5 },
        { name: 'b', jobDefinition: jobDefinition(s, 'K'), arraySize: 6, dependency: StageDependency.N_TO_N },
      ],
      new RegExp(
        String.raw`\[BATCHKIT-CDK-020\] stages\[1\] has an N_TO_N dependency on` +
          String.raw` "a" of another array size\. Got: "6 vs 5"\. Allowed: equal ` +
          String.raw`array sizes`,
      ),
    ],
  ];
  test.each(cases)('%s is rejected with the construct path, the value and the rule', (_name, make, message) => {
    const stack = newStack();
    const env = new BatchEnvironment(stack, 'Env');
    let error: (Error & { code?: string; fix?: string }) | undefined;
    try {
      new BatchPipeline(stack, 'Pipe', { jobQueue: env.highPriorityQueue, stages: make(stack) });
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toMatch(/^Pattern\/Pipe: /);
    expect(error?.message).toMatch(message);
    // Construct-only errors carry the fix as a field; core findings carry it in the message.
    if (error?.code?.startsWith('BATCHKIT-CDK-')) expect(error.fix).toEqual(expect.any(String));
    else expect(error?.message).toMatch(/ Fix: \S/);
  });
});
