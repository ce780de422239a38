import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { BatchServiceRole } from '../../../lib/constructs/iam/batch-service-role';

const policy = (name: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::aws:policy/${name}`]],
});

describe('BatchServiceRole', () => {
  test('trusted by batch.amazonaws.com with service-role/AWSBatchServiceRole', () => {
    const stack = new Stack(new App(), 'S');
    new BatchServiceRole(stack, 'Svc');
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'batch.amazonaws.com' } }],
      },
      ManagedPolicyArns: [policy('service-role/AWSBatchServiceRole')],
    });
  });

  test('role props pass through; extra managed policies are kept next to the Batch one', () => {
    const stack = new Stack(new App(), 'S');
    const boundary = iam.ManagedPolicy.fromAwsManagedPolicyName('PowerUserAccess');
    new BatchServiceRole(stack, 'Svc', {
      roleName: 'AWSBatchServiceRole',
      path: '/service-role/',
      permissionsBoundary: boundary,
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess')],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'AWSBatchServiceRole',
      Path: '/service-role/',
      PermissionsBoundary: policy('PowerUserAccess'),
      ManagedPolicyArns: [policy('service-role/AWSBatchServiceRole'), policy('ReadOnlyAccess')],
    });
  });
});
