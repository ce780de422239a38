/** doctor --live with mocked Batch, IAM and EC2: one test per finding, and a healthy account with none. */
import {
  BatchClient,
  DescribeComputeEnvironmentsCommand,
  DescribeJobDefinitionsCommand,
  DescribeJobQueuesCommand,
  ListJobsCommand,
  type ComputeEnvironmentDetail,
} from '@aws-sdk/client-batch';
import {
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand,
  EC2Client,
  type RouteTable,
} from '@aws-sdk/client-ec2';
import {
  GetInstanceProfileCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { createClients } from '../../lib/provisioner/clients/factory';
import { liveDoctor } from '../../lib/provisioner/doctor/live';

const batch = mockClient(BatchClient);
const iam = mockClient(IAMClient);
const ec2 = mockClient(EC2Client);
const CE_ARN = 'arn:aws:batch:us-east-1:1:compute-environment/ce';
const clients = () => createClients({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });

function env(over: Partial<ComputeEnvironmentDetail> = {}, cr: Record<string, unknown> = {}): ComputeEnvironmentDetail {
  return {
    computeEnvironmentName: 'ce',
    computeEnvironmentArn: CE_ARN,
    ecsClusterArn: 'arn:ecs',
    type: 'MANAGED',
    state: 'ENABLED',
    status: 'VALID',
    computeResources: {
      type: 'EC2',
      minvCpus: 0,
      maxvCpus: 16,
      desiredvCpus: 0,
      instanceTypes: ['m6i.xlarge'],
      subnets: ['subnet-1'],
      securityGroupIds: ['sg-1'],
      instanceRole: 'arn:aws:iam::1:instance-profile/Profile',
      ...cr,
    },
    ...over,
  } as ComputeEnvironmentDetail;
}

const natRoute: RouteTable = {
  RouteTableId: 'rtb-1',
  VpcId: 'vpc-1',
  Associations: [{ SubnetId: 'subnet-1' }],
  Routes: [
    { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local' },
    { DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-1', State: 'active' },
  ],
};

beforeEach(() => {
  batch.reset();
  iam.reset();
  ec2.reset();
  batch.on(DescribeComputeEnvironmentsCommand).resolves({ computeEnvironments: [env()] });
  batch.on(DescribeJobQueuesCommand).resolves({
    jobQueues: [
      {
        jobQueueName: 'q',
        jobQueueArn: 'arn:q',
        state: 'ENABLED',
        status: 'VALID',
        priority: 1,
        computeEnvironmentOrder: [{ order: 1, computeEnvironment: CE_ARN }],
      },
    ],
  });
  batch.on(ListJobsCommand).resolves({ jobSummaryList: [] });
  iam.on(GetInstanceProfileCommand).resolves({
    InstanceProfile: {
      Arn: 'arn:p',
      InstanceProfileName: 'Profile',
      InstanceProfileId: 'i',
      Path: '/',
      CreateDate: new Date(),
      Roles: [{ RoleName: 'InstanceRole', Arn: 'arn:r', Path: '/', RoleId: 'r', CreateDate: new Date() }],
    },
  });
  iam.on(ListAttachedRolePoliciesCommand).resolves({
    AttachedPolicies: [
      {
        PolicyName: 'AmazonEC2ContainerServiceforEC2Role',
        PolicyArn: 'arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role',
      },
    ],
  });
  ec2.on(DescribeSecurityGroupsCommand).resolves({
    SecurityGroups: [
      { GroupId: 'sg-1', IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] },
    ],
  });
  ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [{ SubnetId: 'subnet-1', VpcId: 'vpc-1' }] });
  ec2.on(DescribeRouteTablesCommand).resolves({ RouteTables: [natRoute] });
  ec2.on(DescribeVpcEndpointsCommand).resolves({ VpcEndpoints: [] });
});

async function codes(): Promise<string[]> {
  return (await liveDoctor(clients())).map((f) => f.code);
}

test('a healthy account has no finding', async () => {
  expect(await liveDoctor(clients())).toEqual([]);
  expect(ec2.commandCalls(DescribeRouteTablesCommand)[0].args[0].input).toEqual({
    Filters: [{ Name: 'vpc-id', Values: ['vpc-1'] }],
  });
});

test('BATCHKIT-DOCTOR-008: an INVALID environment, with AWS status reason', async () => {
  batch.on(DescribeComputeEnvironmentsCommand).resolves({
    computeEnvironments: [
      env({ status: 'INVALID', statusReason: 'CLIENT_ERROR - Not authorized to perform sts:AssumeRole' }),
    ],
  });
  const [f] = await liveDoctor(clients());
  expect(f.code).toBe('BATCHKIT-DOCTOR-008');
  expect(f.message).toMatch(
    new RegExp(
      String.raw`ComputeEnvironment "ce" status: the compute environment is I` +
        String.raw`NVALID: CLIENT_ERROR - Not authorized to perform sts:AssumeR` +
        String.raw`ole\.`,
    ),
  );
});

test('BATCHKIT-DOCTOR-003: a DISABLED environment', async () => {
  batch.on(DescribeComputeEnvironmentsCommand).resolves({ computeEnvironments: [env({ state: 'DISABLED' })] });
  expect(await codes()).toEqual(['BATCHKIT-DOCTOR-003']);
});

test('BATCHKIT-DOCTOR-009 and -002: an INVALID, DISABLED queue', async () => {
  batch.on(DescribeJobQueuesCommand).resolves({
    jobQueues: [
      {
        jobQueueName: 'q',
        jobQueueArn: 'arn:q',
        state: 'DISABLED',
        status: 'INVALID',
        statusReason: 'CLIENT_ERROR - compute environment ce is INVALID',
        priority: 1,
        computeEnvironmentOrder: [],
      },
    ],
  });
  expect(await codes()).toEqual(['BATCHKIT-DOCTOR-009', 'BATCHKIT-DOCTOR-002']);
});

test('BATCHKIT-DOCTOR-010: RUNNABLE jobs while the environment is at maxvCpus', async () => {
  batch.on(DescribeComputeEnvironmentsCommand).resolves({ computeEnvironments: [env({}, { desiredvCpus: 16 })] });
  batch.on(ListJobsCommand).resolves({ jobSummaryList: [{ jobId: 'j1', jobName: 'a', jobDefinition: 'arn:jd:1' }] });
  batch.on(DescribeJobDefinitionsCommand).resolves({
    jobDefinitions: [
      {
        jobDefinitionName: 'jd',
        jobDefinitionArn: 'arn:jd:1',
        revision: 1,
        type: 'container',
        containerProperties: {
          image: 'x',
          resourceRequirements: [
            { type: 'VCPU', value: '1' },
            { type: 'MEMORY', value: '512' },
          ],
        },
      },
    ],
  });
  const found = await liveDoctor(clients());
  expect(found.map((f) => f.code)).toEqual(['BATCHKIT-DOCTOR-010']);
  expect(found[0].message).toMatch(
    new RegExp(
      String.raw`1 job\(s\) are RUNNABLE while every compute environment of t` +
        String.raw`he queue is at maxvCpus \(ce: 16\/16\)`,
    ),
  );
  expect(batch.commandCalls(ListJobsCommand)[0].args[0].input).toEqual({ jobQueue: 'q', jobStatus: 'RUNNABLE' });
});

test('BATCHKIT-DOCTOR-011: a RUNNABLE job bigger than any instance type', async () => {
  batch.on(ListJobsCommand).resolves({ jobSummaryList: [{ jobId: 'j1', jobName: 'a', jobDefinition: 'arn:jd:1' }] });
  batch.on(DescribeJobDefinitionsCommand).resolves({
    jobDefinitions: [
      {
        jobDefinitionName: 'jd',
        jobDefinitionArn: 'arn:jd:1',
        revision: 1,
        type: 'container',
        containerProperties: {
          image: 'x',
          resourceRequirements: [
            { type: 'VCPU', value: '2' },
            { type: 'MEMORY', value: '65536' },
          ],
        },
      },
    ],
  });
  const [f] = await liveDoctor(clients());
  expect(f.code).toBe('BATCHKIT-DOCTOR-011');
  expect(f.message).toMatch(/RUNNABLE job\(s\) j1 can never start on this queue: .*needs 65536 MiB of memory/);
});

test('BATCHKIT-DOCTOR-012: a private subnet without a NAT route or endpoints', async () => {
  ec2.on(DescribeRouteTablesCommand).resolves({
    RouteTables: [{ ...natRoute, Routes: [{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local' }] }],
  });
  ec2
    .on(DescribeVpcEndpointsCommand)
    .resolves({ VpcEndpoints: [{ ServiceName: 'com.amazonaws.us-east-1.s3', State: 'Available' }] });
  const [f] = await liveDoctor(clients());
  expect(f.code).toBe('BATCHKIT-DOCTOR-012');
  expect(f.message).toMatch(
    new RegExp(
      String.raw`subnets: the subnet's route table \(rtb-1\) has no 0\.0\.0\.` +
        String.raw`0\/0 route.*lacks endpoints for ecs, ecs-agent, ecs-telemetr` +
        String.raw`y, ecr\.api, ecr\.dkr, logs;`,
    ),
  );
  // With every endpoint, a private subnet is fine.
  ec2.on(DescribeVpcEndpointsCommand).resolves({
    VpcEndpoints: ['ecs', 'ecs-agent', 'ecs-telemetry', 'ecr.api', 'ecr.dkr', 'logs', 's3'].map((s) => ({
      ServiceName: `com.amazonaws.us-east-1.${s}`,
      State: 'Available' as const,
    })),
  });
  expect(await codes()).toEqual([]);
});

test(
  'BATCHKIT-DOCTOR-012 on Fargate: image pulls need ECR, S3 and Logs ' + 'endpoints (not the ECS agent ones)',
  async () => {
    batch.on(DescribeComputeEnvironmentsCommand).resolves({
      computeEnvironments: [
        env(
          {},
          {
            type: 'FARGATE',
            instanceTypes: undefined,
            instanceRole: undefined,
            minvCpus: undefined,
            desiredvCpus: undefined,
          },
        ),
      ],
    });
    ec2.on(DescribeRouteTablesCommand).resolves({
      RouteTables: [{ ...natRoute, Routes: [{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local' }] }],
    });
    ec2.on(DescribeVpcEndpointsCommand).resolves({
      VpcEndpoints: ['ecr.api', 'logs', 's3'].map((s) => ({
        ServiceName: `com.amazonaws.us-east-1.${s}`,
        State: 'Available' as const,
      })),
    });
    const found = await liveDoctor(clients());
    expect(found.map((f) => [f.code, f.field])).toEqual([['BATCHKIT-DOCTOR-012', 'computeResources.subnets']]);
    expect(found[0].message).toMatch(
      new RegExp(
        String.raw`route table \(rtb-1\) has no 0\.0\.0\.0\/0 route to a NAT or` +
          String.raw` internet gateway, and the VPC lacks endpoints for ecr\.dkr;` +
          String.raw` Fargate jobs fail with CannotPullContainerError: \.\.\. i\/` +
          String.raw`o timeout\.`,
      ),
    );
    ec2.on(DescribeVpcEndpointsCommand).resolves({
      VpcEndpoints: ['ecr.api', 'ecr.dkr', 'logs', 's3'].map((s) => ({
        ServiceName: `com.amazonaws.us-east-1.${s}`,
        State: 'Available' as const,
      })),
    });
    expect(await codes()).toEqual([]);
  },
);

test('BATCHKIT-DOCTOR-013: a security group without egress', async () => {
  ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: 'sg-1', IpPermissionsEgress: [] }] });
  expect(await codes()).toEqual(['BATCHKIT-DOCTOR-013']);
});

test('BATCHKIT-DOCTOR-014: a subnet that does not exist', async () => {
  ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [] });
  expect(await codes()).toEqual(['BATCHKIT-DOCTOR-014']);
});

test('BATCHKIT-DOCTOR-007: the instance role lacks the ECS policy', async () => {
  iam.on(ListAttachedRolePoliciesCommand).resolves({
    AttachedPolicies: [{ PolicyName: 'ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
  });
  const [f] = await liveDoctor(clients());
  expect(f.code).toBe('BATCHKIT-DOCTOR-007');
  expect(f.fix).toBe(
    'aws iam attach-role-policy --role-name InstanceRole --policy-arn ' +
      'arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role',
  );
});

test('BATCHKIT-DOCTOR-007: the instance profile does not exist', async () => {
  iam.on(GetInstanceProfileCommand).rejects(new NoSuchEntityException({ message: 'no', $metadata: {} }));
  const [f] = await liveDoctor(clients());
  expect(f.code).toBe('BATCHKIT-DOCTOR-007');
  expect(f.message).toMatch(/the instance profile does not exist/);
});

test('BATCHKIT-DOCTOR-006: the Spot Fleet role does not exist', async () => {
  batch
    .on(DescribeComputeEnvironmentsCommand)
    .resolves({ computeEnvironments: [env({}, { type: 'SPOT', spotIamFleetRole: 'arn:aws:iam::1:role/FleetRole' })] });
  iam.on(GetRoleCommand).rejects(new NoSuchEntityException({ message: 'no', $metadata: {} }));
  expect(await codes()).toEqual(['BATCHKIT-DOCTOR-006']);
  expect(iam.commandCalls(GetRoleCommand)[0].args[0].input).toEqual({ RoleName: 'FleetRole' });
});
