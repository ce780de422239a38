import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { EcsInstanceRole } from '../../../lib/constructs/iam/ecs-instance-role';

describe('EcsInstanceRole', () => {
  test('a new role (ec2.amazonaws.com, AmazonEC2ContainerServiceforEC2Role) and one profile holding it', () => {
    const stack = new Stack(new App(), 'S');
    const ir = new EcsInstanceRole(stack, 'Ir', {
      roleName: 'ecsInstanceRole',
      instanceProfileName: 'ecsInstanceRole',
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'ecsInstanceRole',
      AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'ec2.amazonaws.com' } }] },
      ManagedPolicyArns: [
        {
          'Fn::Join': [
            '',
            ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role'],
          ],
        },
      ],
    });
    t.resourceCountIs('AWS::IAM::InstanceProfile', 1);
    t.hasResourceProperties('AWS::IAM::InstanceProfile', {
      InstanceProfileName: 'ecsInstanceRole',
      Roles: [{ Ref: Match.stringLikeRegexp('^IrRole') }],
    });
    expect(ir.instanceProfile.role).toBe(ir.role);
  });

  test('an existing role gets a profile, and no role is created', () => {
    const stack = new Stack(new App(), 'S');
    const role = iam.Role.fromRoleName(stack, 'Existing', 'myInstanceRole');
    new EcsInstanceRole(stack, 'Ir', { role });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::IAM::Role', 0);
    t.hasResourceProperties('AWS::IAM::InstanceProfile', { Roles: ['myInstanceRole'] });
  });

  test('profileFor reuses the profile of a role instead of making a second one', () => {
    const stack = new Stack(new App(), 'S');
    const ir = new EcsInstanceRole(stack, 'Ir');
    expect(EcsInstanceRole.profileFor(stack, 'Other', ir.role)).toBe(ir.instanceProfile);
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    const p1 = EcsInstanceRole.profileFor(stack, 'P1', role);
    expect(EcsInstanceRole.profileFor(stack, 'P2', role)).toBe(p1);
    expect(new EcsInstanceRole(stack, 'Again', { role }).instanceProfile).toBe(p1);
    Template.fromStack(stack).resourceCountIs('AWS::IAM::InstanceProfile', 2);
  });

  test('forStack: one shared role and profile per stack at a stable id', () => {
    const stack = new Stack(new App(), 'S');
    const a = EcsInstanceRole.forStack(stack);
    expect(EcsInstanceRole.forStack(stack)).toBe(a);
    expect(a.node.path).toBe('S/BatchEcsInstanceRole');
    Template.fromStack(stack).resourceCountIs('AWS::IAM::InstanceProfile', 1);
  });
});
