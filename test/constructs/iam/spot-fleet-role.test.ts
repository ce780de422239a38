import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { SpotFleetRole } from '../../../lib/constructs/iam/spot-fleet-role';

describe('SpotFleetRole', () => {
  test('trusted by spotfleet.amazonaws.com with AmazonEC2SpotFleetTaggingRole', () => {
    const stack = new Stack(new App(), 'S');
    new SpotFleetRole(stack, 'Fleet', { roleName: 'aws-ec2-spot-fleet-role' });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'aws-ec2-spot-fleet-role',
      AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'spotfleet.amazonaws.com' } }] },
      ManagedPolicyArns: [
        {
          'Fn::Join': [
            '',
            ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AmazonEC2SpotFleetTaggingRole'],
          ],
        },
      ],
    });
  });

  test('forStack returns one role per stack, at a stable id', () => {
    const app = new App();
    const a = new Stack(app, 'A');
    const b = new Stack(app, 'B');
    const r1 = SpotFleetRole.forStack(a);
    expect(SpotFleetRole.forStack(a)).toBe(r1);
    expect(SpotFleetRole.forStack(b)).not.toBe(r1);
    expect(r1.node.path).toBe('A/BatchSpotFleetRole');
    Template.fromStack(a).resourceCountIs('AWS::IAM::Role', 1);
  });
});
