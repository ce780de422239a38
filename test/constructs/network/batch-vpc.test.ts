import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { FargateComputeEnvironment } from '../../../lib/constructs/compute/fargate-compute-environment';
import { BatchVpc, BatchVpcEndpoint, PRIVATE_JOB_ENDPOINTS } from '../../../lib/constructs/network/batch-vpc';

function stack(): Stack {
  return new Stack(new App(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
}

describe('BatchVpc', () => {
  test('defaults: 2 AZs, public + private subnets, one NAT gateway, flow log of all traffic, no endpoints', () => {
    const s = stack();
    const vpc = new BatchVpc(s, 'Vpc');
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.0.0.0/16' });
    t.resourceCountIs('AWS::EC2::Subnet', 4);
    t.resourceCountIs('AWS::EC2::NatGateway', 1);
    t.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
    t.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceType: 'VPC',
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
    });
    t.resourceCountIs('AWS::Logs::LogGroup', 1);
    expect(vpc.privateSubnets).toHaveLength(2);
    expect(vpc.publicSubnets).toHaveLength(2);
    expect(vpc.isolatedSubnets).toHaveLength(0);
    Annotations.fromStack(s).hasNoWarning('*', Match.anyValue());
  });

  test('natGateways, maxAzs, CIDR, name and flow logs off', () => {
    const s = stack();
    new BatchVpc(s, 'Vpc', {
      natGateways: 3,
      maxAzs: 3,
      ipAddresses: ec2.IpAddresses.cidr('10.20.0.0/16'),
      flowLogs: false,
      vpcName: 'batch',
    });
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::EC2::NatGateway', 3);
    t.resourceCountIs('AWS::EC2::Subnet', 6);
    t.resourceCountIs('AWS::EC2::FlowLog', 0);
    t.hasResourceProperties('AWS::EC2::VPC', {
      CidrBlock: '10.20.0.0/16',
      Tags: Match.arrayWith([{ Key: 'Name', Value: 'batch' }]),
    });
  });

  test(
    'no NAT + every private-job endpoint: isolated subnets, S3 gateway and ' +
      'six interface endpoints with private DNS',
    () => {
      const s = stack();
      const vpc = new BatchVpc(s, 'Vpc', { natGateways: 0, endpoints: PRIVATE_JOB_ENDPOINTS });
      const t = Template.fromStack(s);
      t.resourceCountIs('AWS::EC2::NatGateway', 0);
      expect(vpc.isolatedSubnets).toHaveLength(2);
      t.resourcePropertiesCountIs('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway' }, 1);
      t.resourcePropertiesCountIs(
        'AWS::EC2::VPCEndpoint',
        { VpcEndpointType: 'Interface', PrivateDnsEnabled: true },
        6,
      );
      for (const service of ['ecr.api', 'ecr.dkr', 'logs', 'ecs', 'ecs-agent', 'ecs-telemetry']) {
        t.hasResourceProperties('AWS::EC2::VPCEndpoint', {
          ServiceName: `com.amazonaws.eu-west-1.${service}`,
          SubnetIds: [{ Ref: 'VpcPrivateSubnet1Subnet536B997A' }, { Ref: 'VpcPrivateSubnet2Subnet3788AAA1' }],
        });
      }
      t.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.s3']] },
        VpcEndpointType: 'Gateway',
      });
      expect([...vpc.batchEndpoints.keys()]).toEqual(PRIVATE_JOB_ENDPOINTS);
      Annotations.fromStack(s).hasNoWarning('*', Match.anyValue());
    },
  );

  test('a subset of endpoints with a NAT', () => {
    const s = stack();
    new BatchVpc(s, 'Vpc', { endpoints: [BatchVpcEndpoint.S3, BatchVpcEndpoint.ECR_DKR, BatchVpcEndpoint.S3] });
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::EC2::VPCEndpoint', 2);
  });

  test('no NAT and missing endpoints: warning naming what is missing', () => {
    const s = stack();
    new BatchVpc(s, 'Vpc', { natGateways: 0, endpoints: [BatchVpcEndpoint.S3] });
    Annotations.fromStack(s).hasWarning(
      '/S/Vpc',
      Match.stringLikeRegexp('BATCHKIT-CDK-W06.*ecr.api, ecr.dkr, logs, ecs, ecs-agent, ecs-telemetry'),
    );
  });

  test.each([[-1], [3], [1.5]])('rejects natGateways %p', (n) => {
    expect(() => new BatchVpc(stack(), 'Vpc', { natGateways: n })).toThrow(/BATCHKIT-CDK-014.*natGateways/);
  });

  test('compute environments place into its private subnets by default', () => {
    const s = stack();
    const vpc = new BatchVpc(s, 'Vpc');
    new FargateComputeEnvironment(s, 'Ce', { vpc });
    Template.fromStack(s).hasResourceProperties('AWS::Batch::ComputeEnvironment', {
      ComputeResources: {
        Subnets: [{ Ref: 'VpcPrivateSubnet1Subnet536B997A' }, { Ref: 'VpcPrivateSubnet2Subnet3788AAA1' }],
      },
    });
  });
});
