import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { FargateComputeEnvironment } from '../../../lib/constructs/compute/fargate-compute-environment';
import { BatchServiceRole } from '../../../lib/constructs/iam/batch-service-role';

const CE = 'AWS::Batch::ComputeEnvironment';

function setup(): { stack: Stack; vpc: ec2.Vpc } {
  const stack = new Stack(new App(), 'S');
  return { stack, vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 }) };
}

describe('FargateComputeEnvironment', () => {
  test('defaults: FARGATE, 256 vCPUs, private subnets, new security group, no instance settings, no roles', () => {
    const { stack, vpc } = setup();
    const ce = new FargateComputeEnvironment(stack, 'Ce', { vpc });
    const t = Template.fromStack(stack);
    t.hasResourceProperties(CE, {
      Type: 'MANAGED',
      State: 'ENABLED',
      ServiceRole: Match.absent(),
      ReplaceComputeEnvironment: Match.absent(),
      UpdatePolicy: Match.absent(),
      ComputeResources: {
        Type: 'FARGATE',
        MaxvCpus: 256,
        Subnets: [{ Ref: 'VpcPrivateSubnet1Subnet536B997A' }, { Ref: 'VpcPrivateSubnet2Subnet3788AAA1' }],
        SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^CeSecurityGroup'), 'GroupId'] }],
        MinvCpus: Match.absent(),
        InstanceTypes: Match.absent(),
        InstanceRole: Match.absent(),
        AllocationStrategy: Match.absent(),
        Ec2Configuration: Match.absent(),
      },
    });
    t.resourceCountIs('AWS::IAM::Role', 0);
    t.resourceCountIs('AWS::IAM::InstanceProfile', 0);
    expect(ce.platform).toBe('FARGATE');
    expect(ce.architecture).toBeUndefined();
    expect(ce.model.computeResources).toMatchObject({ type: 'FARGATE', maxvCpus: 256 });
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('spot: FARGATE_SPOT; name, state, service role and security groups', () => {
    const { stack, vpc } = setup();
    const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc });
    new FargateComputeEnvironment(stack, 'Ce', {
      vpc,
      spot: true,
      maxvCpus: 64,
      enabled: false,
      securityGroups: [sg],
      serviceRole: new BatchServiceRole(stack, 'Svc'),
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
    });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::EC2::SecurityGroup', 1);
    t.hasResourceProperties(CE, {
      State: 'DISABLED',
      ServiceRole: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Svc'), 'Arn'] },
      ComputeResources: {
        Type: 'FARGATE_SPOT',
        MaxvCpus: 64,
        SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Sg'), 'GroupId'] }],
        Subnets: [{ Ref: 'VpcPublicSubnet1Subnet5C2D37C4' }, { Ref: 'VpcPublicSubnet2Subnet691E08A3' }],
      },
    });
  });

  test('a fixed name is rendered, exposed, and warned about', () => {
    const { stack, vpc } = setup();
    const ce = new FargateComputeEnvironment(stack, 'Ce', { vpc, computeEnvironmentName: 'fargate_jobs' });
    Template.fromStack(stack).hasResourceProperties(CE, { ComputeEnvironmentName: 'fargate_jobs' });
    expect(ce.computeEnvironmentName).toBe('fargate_jobs');
    Annotations.fromStack(stack).hasWarning('/S/Ce', Match.stringLikeRegexp('BATCHKIT-CDK-W02'));
  });

  test.each<[string, object, RegExp]>([
    ['negative max', { maxvCpus: -4 }, /^S\/Ce: \[BATCH-CE-008\].*computeResources\.maxvCpus.*Got: -4/],
    ['bad name', { computeEnvironmentName: 'a/b' }, /^S\/Ce: \[BATCH-CE-001\].*"a\/b"/],
  ])('rejects %s', (_n, props, error) => {
    const { stack, vpc } = setup();
    expect(() => new FargateComputeEnvironment(stack, 'Ce', { vpc, ...props })).toThrow(error);
  });

  test('rejects more than 5 security groups', () => {
    const { stack, vpc } = setup();
    const securityGroups = [1, 2, 3, 4, 5, 6].map((i) => new ec2.SecurityGroup(stack, `Sg${i}`, { vpc }));
    expect(() => new FargateComputeEnvironment(stack, 'Ce', { vpc, securityGroups })).toThrow(
      /^S\/Ce: \[BATCH-CE-020\].*Got: 6/,
    );
  });

  test('fromComputeEnvironmentArn: FARGATE platform and name', () => {
    const { stack } = setup();
    const ce = FargateComputeEnvironment.fromComputeEnvironmentArn(
      stack,
      'I',
      'arn:aws:batch:eu-west-1:111111111111:compute-environment/fg',
    );
    expect(ce.platform).toBe('FARGATE');
    expect(ce.computeEnvironmentName).toBe('fg');
    expect(ce.env.region).toBe('eu-west-1');
  });
});
