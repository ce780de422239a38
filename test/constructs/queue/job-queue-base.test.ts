import { Size, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ContainerJobDefinition, JobContainer, JobImage } from '../../../lib/constructs/job';
import { JobQueue, JobQueueBase } from '../../../lib/constructs/queue';
import { JobState } from '../../../lib/constructs/events';
import { FakeComputeEnvironment, newStack } from '../job/_fixtures';

function statements(stack: Stack): Array<{ Action: unknown; Resource: unknown }> {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
  return Object.values(policies).flatMap(
    (p) =>
      (p as { Properties: { PolicyDocument: { Statement: Array<{ Action: unknown; Resource: unknown }> } } }).Properties
        .PolicyDocument.Statement,
  );
}

function setup() {
  const stack = newStack();
  const queue = new JobQueue(stack, 'Queue', {
    computeEnvironments: [{ computeEnvironment: new FakeComputeEnvironment(stack, 'Ce'), order: 1 }],
  });
  const jd = new ContainerJobDefinition(stack, 'Job', {
    jobDefinitionName: 'etl',
    container: JobContainer.ec2({ image: JobImage.fromRegistry('busybox'), cpu: 1, memory: Size.gibibytes(1) }),
  });
  const user = new iam.User(stack, 'User');
  return { stack, queue, jd, user };
}

describe('JobQueueBase grants', () => {
  test('grantSubmitJob: the queue and every revision of each given job definition', () => {
    const { stack, queue, jd, user } = setup();
    queue.grantSubmitJob(user, [jd]);
    const st = statements(stack).find((s) => s.Action === 'batch:SubmitJob')!;
    expect(stack.resolve(st.Resource)).toEqual([
      { Ref: 'Queue4A7E3555' },
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':batch:us-east-1:123456789012:job-definition/etl']] },
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':batch:us-east-1:123456789012:job-definition/etl:*']] },
    ]);
  });

  test('grantSubmitJob without job definitions is rejected', () => {
    const { queue, user } = setup();
    expect(() => queue.grantSubmitJob(user, [])).toThrow(
      new RegExp(
        String.raw`TestStack\/Queue: grantSubmitJob needs at least one job defi` +
          String.raw`nition.*Fix: pass the job definitions`,
      ),
    );
  });

  test('grantCancelJob and grantTerminateJob are scoped to job ARNs of this account and Region', () => {
    const { stack, queue, user } = setup();
    queue.grantCancelJob(user);
    queue.grantTerminateJob(user);
    const jobArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':batch:us-east-1:123456789012:job/*']] };
    expect(stack.resolve(statements(stack).find((s) => s.Action === 'batch:CancelJob')!.Resource)).toEqual(jobArn);
    expect(stack.resolve(statements(stack).find((s) => s.Action === 'batch:TerminateJob')!.Resource)).toEqual(jobArn);
  });

  test('grantDescribe uses * only for the actions that support no resource-level permissions', () => {
    const { stack, queue, user } = setup();
    queue.grantDescribe(user);
    expect(statements(stack)).toContainEqual(
      expect.objectContaining({
        Action: ['batch:DescribeJobs', 'batch:ListJobs', 'batch:DescribeJobQueues'],
        Resource: '*',
      }),
    );
  });

  test('fromJobQueueArn reads the name; an ARN of another kind is rejected', () => {
    const stack = newStack();
    const q = JobQueueBase.fromJobQueueArn(stack, 'Imp', 'arn:aws:batch:us-east-1:123456789012:job-queue/main');
    expect(q.jobQueueName).toBe('main');
    expect(() => JobQueueBase.fromJobQueueArn(stack, 'Bad', 'arn:aws:sqs:us-east-1:1:q')).toThrow(
      /is not a job queue ARN/,
    );
  });
});

describe('JobQueueBase events', () => {
  test('onJobStateChange filters on the queue, the job definition (all revisions) and the states', () => {
    const { stack, queue, jd } = setup();
    queue.onJobStateChange('Changes', { states: [JobState.RUNNING, JobState.SUCCEEDED], jobDefinition: jd });
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.batch'],
        'detail-type': ['Batch Job State Change'],
        detail: {
          jobQueue: [{ Ref: 'Queue4A7E3555' }],
          jobDefinition: [
            {
              prefix: {
                'Fn::Join': [
                  '',
                  ['arn:', { Ref: 'AWS::Partition' }, ':batch:us-east-1:123456789012:job-definition/etl:'],
                ],
              },
            },
          ],
          status: ['RUNNING', 'SUCCEEDED'],
        },
      },
    });
  });

  test('onJobFailed matches FAILED only', () => {
    const { stack, queue } = setup();
    queue.onJobFailed('Failed');
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        detail: { jobQueue: [{ Ref: 'Queue4A7E3555' }], status: ['FAILED'], jobDefinition: Match.absent() },
      },
    });
  });

  test(
    'onArrayJobComplete matches only the parent final event: no container ' +
      'instance, an array size, SUCCEEDED or FAILED',
    () => {
      const { stack, queue } = setup();
      queue.onArrayJobComplete('ArrayDone');
      Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          detail: {
            jobQueue: [{ Ref: 'Queue4A7E3555' }],
            status: ['SUCCEEDED', 'FAILED'],
            container: { containerInstanceArn: [{ exists: false }] },
            arrayProperties: { size: [{ exists: true }] },
          },
        },
      });
    },
  );
});
