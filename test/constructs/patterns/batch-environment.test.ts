import { Size } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { BatchEnvironment, BatchInstanceType, BatchServiceRole } from '../../../lib/constructs';
import { awsSolutionsViolations, batchkitNagErrors } from '../nag/aws-solutions';
import { newStack } from './_stack';

function ceProps(t: Template, type: 'EC2' | 'SPOT'): Record<string, unknown> {
  const found = Object.values(t.findResources('AWS::Batch::ComputeEnvironment')).filter(
    (r) => r.Properties.ComputeResources.Type === type,
  );
  expect(found).toHaveLength(1);
  return found[0].Properties;
}

describe('BatchEnvironment defaults', () => {
  const stack = newStack();
  const env = new BatchEnvironment(stack, 'Env');
  const t = Template.fromStack(stack);

  test('a new VPC: 2 AZs, one NAT gateway, flow logs; environments in its private subnets', () => {
    t.resourceCountIs('AWS::EC2::VPC', 1);
    t.resourceCountIs('AWS::EC2::NatGateway', 1);
    t.resourceCountIs('AWS::EC2::FlowLog', 1);
    const subnets = (ceProps(t, 'EC2').ComputeResources as { Subnets: Array<{ Ref: string }> }).Subnets.map(
      (s) => s.Ref,
    );
    expect(subnets).toEqual([
      expect.stringMatching(/^EnvVpcPrivateSubnet1/),
      expect.stringMatching(/^EnvVpcPrivateSubnet2/),
    ]);
  });

  test('one launch template for both environments: IMDSv2 required, encrypted 30 GiB gp3 root volume', () => {
    t.resourceCountIs('AWS::EC2::LaunchTemplate', 1);
    t.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: {
        MetadataOptions: { HttpEndpoint: 'enabled', HttpTokens: 'required', HttpPutResponseHopLimit: 2 },
        BlockDeviceMappings: [
          {
            DeviceName: '/dev/xvda',
            Ebs: { VolumeSize: 30, VolumeType: 'gp3', Encrypted: true, DeleteOnTermination: true },
          },
        ],
      },
    });
    for (const type of ['EC2', 'SPOT'] as const) {
      expect(ceProps(t, type).ComputeResources).toMatchObject({
        LaunchTemplate: { LaunchTemplateId: { Ref: expect.stringMatching(/^EnvLaunchTemplate/) } },
      });
    }
  });

  test(
    'On-Demand: optimal types, BEST_FIT_PROGRESSIVE, 0-256 vCPUs; Spot: ' +
      'SPOT_PRICE_CAPACITY_OPTIMIZED with the Spot Fleet role',
    () => {
      expect(ceProps(t, 'EC2').ComputeResources).toMatchObject({
        AllocationStrategy: 'BEST_FIT_PROGRESSIVE',
        InstanceTypes: ['optimal'],
        MinvCpus: 0,
        MaxvCpus: 256,
      });
      expect(ceProps(t, 'SPOT').ComputeResources).toMatchObject({
        AllocationStrategy: 'SPOT_PRICE_CAPACITY_OPTIMIZED',
        InstanceTypes: ['optimal'],
        MaxvCpus: 256,
        SpotIamFleetRole: { 'Fn::GetAtt': [expect.stringMatching(/^BatchSpotFleetRole/), 'Arn'] },
      });
      expect(ceProps(t, 'EC2').ServiceRole).toBeUndefined();
      expect(env.spot.spot).toBe(true);
      expect(env.onDemand.spot).toBe(false);
    },
  );

  test('high-priority queue (100): On-Demand then Spot; low-priority queue (10): Spot then On-Demand', () => {
    const arn = (id: string) => ({ 'Fn::GetAtt': [Match.stringLikeRegexp(`^Env${id}`), 'ComputeEnvironmentArn'] });
    t.hasResourceProperties('AWS::Batch::JobQueue', {
      Priority: 100,
      ComputeEnvironmentOrder: [
        { ComputeEnvironment: arn('OnDemand'), Order: 1 },
        { ComputeEnvironment: arn('Spot'), Order: 2 },
      ],
    });
    t.hasResourceProperties('AWS::Batch::JobQueue', {
      Priority: 10,
      ComputeEnvironmentOrder: [
        { ComputeEnvironment: arn('Spot'), Order: 1 },
        { ComputeEnvironment: arn('OnDemand'), Order: 2 },
      ],
    });
    expect(env.highPriorityQueue.priority).toBe(100);
    expect(env.lowPriorityQueue.priority).toBe(10);
  });

  test('outputs: queue names and ARNs, job and execution role ARNs', () => {
    const outputs = Object.keys(t.findOutputs('*'));
    for (const name of [
      'HighPriorityQueueName',
      'HighPriorityQueueArn',
      'LowPriorityQueueName',
      'LowPriorityQueueArn',
      'JobRoleArn',
      'ExecutionRoleArn',
    ]) {
      expect(outputs).toContainEqual(expect.stringMatching(new RegExp(`^EnvOutputs${name}`)));
    }
  });

  test('a job role trusted by ECS tasks with no policy, and the shared execution role', () => {
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'ecs-tasks.amazonaws.com' } })],
      },
      Description: Match.stringLikeRegexp('Role the jobs'),
    });
    expect(env.executionRole.node.path).toBe('Pattern/BatchJobExecutionRole');
  });

  test('cdk-nag AwsSolutions and batchkit nag find nothing unacknowledged', () => {
    expect(awsSolutionsViolations(stack, 'error')).toEqual([]);
    expect(awsSolutionsViolations(stack, 'warning')).toEqual([]);
    expect(batchkitNagErrors(stack)).toEqual([]);
  });
});

describe('BatchEnvironment overrides', () => {
  test('an existing VPC is used as is; no second VPC, NAT gateway or flow log is added', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Mine', { natGateways: 1, maxAzs: 2 });
    const env = new BatchEnvironment(stack, 'Env', { vpc });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::EC2::VPC', 1);
    t.resourceCountIs('AWS::EC2::NatGateway', 1);
    t.resourceCountIs('AWS::EC2::FlowLog', 0);
    expect(env.vpc).toBe(vpc);
    expect((ceProps(t, 'EC2').ComputeResources as { Subnets: Array<{ Ref: string }> }).Subnets[0].Ref).toMatch(
      /^MinePrivateSubnet1/,
    );
  });

  test(
    'instance types, vCPUs, bid percentage, root volume and priorities are ' +
      'passed through; Spot types default to On-Demand ones',
    () => {
      const stack = newStack();
      new BatchEnvironment(stack, 'Env', {
        instanceTypes: [BatchInstanceType.family(ec2.InstanceClass.M6I)],
        onDemandMaxvCpus: 32,
        onDemandMinvCpus: 4,
        spotMaxvCpus: 512,
        spotBidPercentage: 60,
        rootVolumeSize: Size.gibibytes(80),
        highPriority: 500,
        lowPriority: 5,
        outputs: false,
      });
      const t = Template.fromStack(stack);
      expect(ceProps(t, 'EC2').ComputeResources).toMatchObject({ InstanceTypes: ['m6i'], MinvCpus: 4, MaxvCpus: 32 });
      expect(ceProps(t, 'SPOT').ComputeResources).toMatchObject({
        InstanceTypes: ['m6i'],
        MaxvCpus: 512,
        BidPercentage: 60,
      });
      t.hasResourceProperties('AWS::EC2::LaunchTemplate', {
        LaunchTemplateData: Match.objectLike({
          BlockDeviceMappings: [Match.objectLike({ Ebs: Match.objectLike({ VolumeSize: 80 }) })],
        }),
      });
      t.hasResourceProperties('AWS::Batch::JobQueue', { Priority: 500 });
      t.hasResourceProperties('AWS::Batch::JobQueue', { Priority: 5 });
      expect(Object.keys(t.findOutputs('*'))).toEqual([]);
    },
  );

  test('a custom service role is set on both environments, which then replace on update', () => {
    const stack = newStack();
    const serviceRole = new BatchServiceRole(stack, 'ServiceRole');
    new BatchEnvironment(stack, 'Env', { serviceRole });
    const t = Template.fromStack(stack);
    for (const type of ['EC2', 'SPOT'] as const) {
      expect(ceProps(t, type)).toMatchObject({
        ServiceRole: { 'Fn::GetAtt': [expect.stringMatching(/^ServiceRole/), 'Arn'] },
        ReplaceComputeEnvironment: true,
      });
    }
    expect(awsSolutionsViolations(stack, 'error')).toEqual([]);
  });

  test('a given job role is exposed and put in the outputs', () => {
    const stack = newStack();
    const jobRole = new iam.Role(stack, 'Mine', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    const env = new BatchEnvironment(stack, 'Env', { jobRole });
    expect(env.jobRole).toBe(jobRole);
    Template.fromStack(stack).hasOutput('*', { Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Mine'), 'Arn'] } });
  });
});

describe('BatchEnvironment errors', () => {
  test('highPriority not above lowPriority names both values and the fix', () => {
    const stack = newStack();
    expect(() => new BatchEnvironment(stack, 'Env', { highPriority: 10, lowPriority: 10 })).toThrow(
      new RegExp(
        String.raw`Pattern\/Env: \[BATCHKIT-CDK-015\] highPriority \(10\) is no` +
          String.raw`t above lowPriority \(10\)\..*Allowed: highPriority > lowPri` +
          String.raw`ority`,
      ),
    );
  });

  test.each([
    ['highPriority', { highPriority: 1001 }, '1001'],
    ['lowPriority', { lowPriority: -1 }, '-1'],
    ['lowPriority', { lowPriority: 2.5 }, '2.5'],
  ])('%s out of range is rejected by its queue with the core rule and the allowed range', (name, props, value) => {
    const stack = newStack();
    const queue = name === 'highPriority' ? 'HighPriorityQueue' : 'LowPriorityQueue';
    expect(() => new BatchEnvironment(stack, 'Env', props)).toThrow(
      new RegExp(
        `^Pattern/Env/${queue}: \\[BATCH-JQ-003\\] JobQueue .* priority: .*Got: ` +
          `${value.replace('.', '\\.')}\\. Allowed: integers 0-1000`,
      ),
    );
  });
});
