import { Size } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { BatchInstanceType, GpuBatchEnvironment, JobImage } from '../../../lib/constructs';
import { awsSolutionsViolations, batchkitNagErrors } from '../nag/aws-solutions';
import { newStack } from './_stack';

describe('GpuBatchEnvironment', () => {
  const stack = newStack();
  const env = new GpuBatchEnvironment(stack, 'Gpu');
  const job = env.addJobDefinition('Train', {
    image: JobImage.fromRegistry('nvidia/cuda:12.4.1-base-ubuntu22.04'),
    cpu: 4,
    memory: Size.gibibytes(15),
    command: ['nvidia-smi'],
  });
  const t = Template.fromStack(stack);

  test('g5 and g6 families on the ECS AL2023 NVIDIA AMI, On-Demand, 64 vCPUs', () => {
    t.hasResourceProperties('AWS::Batch::ComputeEnvironment', {
      ComputeResources: Match.objectLike({
        Type: 'EC2',
        InstanceTypes: ['g5', 'g6'],
        Ec2Configuration: [{ ImageType: 'ECS_AL2023_NVIDIA' }],
        MaxvCpus: 64,
      }),
    });
  });

  test('a 100 GiB encrypted root volume and IMDSv2 (GPU images are large)', () => {
    t.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        MetadataOptions: Match.objectLike({ HttpTokens: 'required' }),
        BlockDeviceMappings: [Match.objectLike({ Ebs: Match.objectLike({ VolumeSize: 100, Encrypted: true }) })],
      }),
    });
  });

  test('one queue on the GPU environment', () => {
    t.resourceCountIs('AWS::Batch::JobQueue', 1);
    t.hasResourceProperties('AWS::Batch::JobQueue', {
      Priority: 1,
      ComputeEnvironmentOrder: [
        {
          ComputeEnvironment: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Gpu[0-9A-F]{8}$'), 'ComputeEnvironmentArn'] },
          Order: 1,
        },
      ],
    });
  });

  test('addJobDefinition reserves 1 GPU by default and assumes the job role', () => {
    t.hasResourceProperties('AWS::Batch::JobDefinition', {
      ContainerProperties: Match.objectLike({
        Command: ['nvidia-smi'],
        JobRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^GpuJobRole'), 'Arn'] },
        ResourceRequirements: [
          { Type: 'VCPU', Value: '4' },
          { Type: 'MEMORY', Value: '15360' },
          { Type: 'GPU', Value: '1' },
        ],
      }),
    });
    expect(job.platform).toBe('EC2');
  });

  test('cdk-nag AwsSolutions and batchkit nag find nothing unacknowledged', () => {
    expect(awsSolutionsViolations(stack, 'error')).toEqual([]);
    expect(awsSolutionsViolations(stack, 'warning')).toEqual([]);
    expect(batchkitNagErrors(stack)).toEqual([]);
  });
});

describe('GpuBatchEnvironment options and errors', () => {
  test('spot, explicit GPU types, gpu count and a shared VPC', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 1 });
    const env = new GpuBatchEnvironment(stack, 'Gpu', {
      vpc,
      spot: true,
      instanceTypes: [BatchInstanceType.of(ec2.InstanceClass.P4D, ec2.InstanceSize.XLARGE24)],
      maxvCpus: 192,
      outputs: false,
    });
    env.addJobDefinition('Big', { image: JobImage.fromRegistry('x'), cpu: 96, memory: Size.gibibytes(1000), gpu: 8 });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Batch::ComputeEnvironment', {
      ComputeResources: Match.objectLike({ Type: 'SPOT', InstanceTypes: ['p4d.24xlarge'], MaxvCpus: 192 }),
    });
    t.hasResourceProperties('AWS::Batch::JobDefinition', {
      ContainerProperties: Match.objectLike({ ResourceRequirements: Match.arrayWith([{ Type: 'GPU', Value: '8' }]) }),
    });
    t.resourceCountIs('AWS::EC2::VPC', 1);
    expect(Object.keys(t.findOutputs('*'))).toEqual([]);
  });

  test('a CPU instance type is rejected with the GPU families allowed', () => {
    const stack = newStack();
    expect(
      () => new GpuBatchEnvironment(stack, 'Gpu', { instanceTypes: [BatchInstanceType.family(ec2.InstanceClass.M5)] }),
    ).toThrow(
      new RegExp(
        String.raw`Pattern\/Gpu: \[BATCHKIT-CDK-016\] instance type "m5" has no` +
          String.raw` GPU\. Got: "m5"\. Allowed: G and P families`,
      ),
    );
  });
});
