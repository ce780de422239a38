import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { JobEventTarget, JobState } from '../../../lib/constructs/events';
import { JobQueueBase } from '../../../lib/constructs/queue';
import { newStack } from '../job/_fixtures';

const QUEUE = 'arn:aws:batch:us-east-1:123456789012:job-queue/main';

describe('JobEventTarget', () => {
  test('an SQS target with a dead-letter queue, retries and max event age', () => {
    const stack = newStack();
    const target = new sqs.Queue(stack, 'Events');
    const dlq = new sqs.Queue(stack, 'Dlq');
    JobQueueBase.fromJobQueueArn(stack, 'Q', QUEUE).onJobFailed('Failed', {
      target: JobEventTarget.sqs(target, { deadLetterQueue: dlq, retryAttempts: 3, maxEventAge: Duration.hours(2) }),
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Events::Rule', {
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Events'), 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Dlq'), 'Arn'] } },
          RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 7200 },
          Id: 'Target0',
        },
      ],
    });
    t.resourceCountIs('AWS::SQS::QueuePolicy', 2);
  });

  test('an SNS target publishes the event to the topic', () => {
    const stack = newStack();
    const topic = new sns.Topic(stack, 'Topic');
    JobQueueBase.fromJobQueueArn(stack, 'Q', QUEUE).onJobStateChange('All', {
      states: [JobState.SUCCEEDED],
      target: JobEventTarget.sns(topic),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^Topic') } })],
    });
    Template.fromStack(stack).resourceCountIs('AWS::SNS::TopicPolicy', 1);
  });

  test('a Lambda target gets invoke permission for the rule', () => {
    const stack = newStack();
    const fn = new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler=async()=>{}'),
    });
    JobQueueBase.fromJobQueueArn(stack, 'Q', QUEUE).onArrayJobComplete('Done', {
      target: JobEventTarget.lambda(fn, { retryAttempts: 0 }),
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Events::Rule', {
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Fn'), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 0 },
        }),
      ],
    });
    t.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
    });
  });
});
