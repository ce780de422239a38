import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { JobRole } from '../../../lib/constructs/iam/job-role';

describe('JobRole', () => {
  test('trusted by ecs-tasks.amazonaws.com, no permissions until granted', () => {
    const stack = new Stack(new App(), 'S');
    const role = new JobRole(stack, 'Job', { description: 'reads inputs' });
    const ungranted = new JobRole(new Stack(new App(), 'T'), 'Job');
    Template.fromStack(ungranted.stack).resourceCountIs('AWS::IAM::Policy', 0);
    new s3.Bucket(stack, 'B').grantRead(role);
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::IAM::Role', {
      Description: 'reads inputs',
      AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'ecs-tasks.amazonaws.com' } }] },
      ManagedPolicyArns: Match.absent(),
    });
    t.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Job') }],
      PolicyDocument: { Statement: [{ Action: Match.arrayWith(['s3:GetObject*']) }] },
    });
  });
});
