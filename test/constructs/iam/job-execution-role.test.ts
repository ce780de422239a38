import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { JobExecutionRole } from '../../../lib/constructs/iam/job-execution-role';
import * as iam from 'aws-cdk-lib/aws-iam';

describe('JobExecutionRole', () => {
  test('trusted by ecs-tasks.amazonaws.com; may write to /aws/batch/job', () => {
    const stack = new Stack(new App(), 'S');
    new JobExecutionRole(stack, 'Exec');
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'ecs-tasks.amazonaws.com' } }] },
    });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Effect: 'Allow',
            Resource: {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':logs:',
                  { Ref: 'AWS::Region' },
                  ':',
                  { Ref: 'AWS::AccountId' },
                  ':log-group:/aws/batch/job:*',
                ],
              ],
            },
          },
        ],
      },
    });
  });

  test('defaultLogGroupAccess: false leaves the role without a policy', () => {
    const stack = new Stack(new App(), 'S');
    new JobExecutionRole(stack, 'Exec', { defaultLogGroupAccess: false });
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('forStack: one role per stack at a stable id', () => {
    const stack = new Stack(new App(), 'S');
    const role = JobExecutionRole.forStack(stack);
    expect(role).toBeInstanceOf(JobExecutionRole);
    expect(JobExecutionRole.forStack(stack)).toBe(role);
    expect(role.node.path).toBe('S/BatchJobExecutionRole');
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::IAM::Role', 1);
    t.hasResourceProperties('AWS::IAM::Role', { Description: Match.stringLikeRegexp('Shared execution role') });
  });

  test('forStack returns a role already declared at the shared id', () => {
    const stack = new Stack(new App(), 'S');
    const first = new iam.Role(stack, JobExecutionRole.SHARED_ID, {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
    });
    expect(JobExecutionRole.forStack(stack)).toBe(first);
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Role', 1);
  });
});
