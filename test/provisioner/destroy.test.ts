/** destroy with EC2 and IAM mocked: the order AWS needs, tags only, DependencyViolation retried, dry run. */
import { BatchClient } from '@aws-sdk/client-batch';
import {
  DeleteSubnetCommand,
  DescribeAddressesCommand,
  DescribeInternetGatewaysCommand,
  DescribeLaunchTemplatesCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
  EC2ServiceException,
  ReleaseAddressCommand,
} from '@aws-sdk/client-ec2';
import { GetInstanceProfileCommand, GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { destroy } from '../../lib/provisioner/apply/destroy';
import { createClients } from '../../lib/provisioner/clients/factory';
import { iamModel } from './support';

const ec2 = mockClient(EC2Client);
const iam = mockClient(IAMClient);
const batch = mockClient(BatchClient);
const TAG_FILTER = [{ Name: 'tag:batchkit:stack', Values: ['S1'] }];
const sleeps: number[] = [];

function ec2Error(name: string): EC2ServiceException {
  return new EC2ServiceException({
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: `${name}: resource has a dependent object`,
  });
}

function mutatingEc2Calls(): string[] {
  return ec2
    .calls()
    .map((c) => ({
      name: c.args[0].constructor.name.replace(/Command$/, ''),
      input: c.args[0].input as Record<string, unknown>,
    }))
    .filter((c) => !c.name.startsWith('Describe'))
    .map((c) => `${c.name} ${Object.values(c.input).join(' ')}`);
}

beforeEach(() => {
  ec2.reset();
  iam.reset();
  batch.reset();
  sleeps.length = 0;
  batch.onAnyCommand().resolves({});
  ec2.onAnyCommand().resolves({});
  ec2
    .on(DescribeLaunchTemplatesCommand)
    .resolves({ LaunchTemplates: [{ LaunchTemplateId: 'lt-1', LaunchTemplateName: 'bk-lt' }] });
  ec2.on(DescribeSecurityGroupsCommand).resolves({
    SecurityGroups: [
      { GroupId: 'sg-default', GroupName: 'default' },
      { GroupId: 'sg-1', GroupName: 'batch' },
    ],
  });
  ec2
    .on(DescribeNatGatewaysCommand, { Filter: TAG_FILTER })
    .resolves({ NatGateways: [{ NatGatewayId: 'nat-1', State: 'available' }] });
  ec2
    .on(DescribeNatGatewaysCommand, { NatGatewayIds: ['nat-1'] })
    .resolvesOnce({ NatGateways: [{ NatGatewayId: 'nat-1', State: 'deleting' }] })
    .resolves({ NatGateways: [{ NatGatewayId: 'nat-1', State: 'deleted' }] });
  ec2.on(DescribeAddressesCommand).resolves({ Addresses: [{ AllocationId: 'eipalloc-1' }] });
  ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [{ SubnetId: 'subnet-1' }] });
  ec2.on(DescribeRouteTablesCommand).resolves({
    RouteTables: [
      { RouteTableId: 'rtb-main', Associations: [{ Main: true, RouteTableAssociationId: 'rtbassoc-main' }] },
      {
        RouteTableId: 'rtb-1',
        Associations: [{ Main: false, RouteTableAssociationId: 'rtbassoc-1', SubnetId: 'subnet-1' }],
      },
    ],
  });
  ec2.on(DescribeInternetGatewaysCommand).resolves({
    InternetGateways: [{ InternetGatewayId: 'igw-1', Attachments: [{ VpcId: 'vpc-1', State: 'attached' }] }],
  });
  ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-1' }] });
  iam.on(GetInstanceProfileCommand).resolves({
    InstanceProfile: {
      Arn: 'arn:p',
      InstanceProfileName: 'InstanceProfile-abc',
      InstanceProfileId: 'i',
      Path: '/',
      CreateDate: new Date(),
      Roles: [{ RoleName: 'InstanceRole-abc', Arn: 'arn:r', Path: '/', RoleId: 'r', CreateDate: new Date() }],
      Tags: [{ Key: 'batchkit:stack', Value: 'S1' }],
    },
  });
  // The role exists but was not created by batchkit for S1: it is left alone.
  iam.on(GetRoleCommand).resolves({
    Role: {
      Arn: 'arn:r',
      RoleName: 'InstanceRole-abc',
      Path: '/',
      RoleId: 'r',
      CreateDate: new Date(),
      Tags: [{ Key: 'batchkit:stack', Value: 'OtherStack' }],
    },
  });
});

const clients = () =>
  createClients({
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    retry: { sleep: async () => undefined },
  });
const options = {
  stacks: ['S1'],
  model: iamModel(),
  wait: { pollMs: 1, sleep: async (ms: number) => void sleeps.push(ms) },
};

test(
  'deletes EC2 resources by tag in dependency order, waiting for the NAT ' + 'gateway and retrying DependencyViolation',
  async () => {
    ec2.on(ReleaseAddressCommand).rejectsOnce(ec2Error('InvalidIPAddress.InUse')).resolves({});
    ec2
      .on(DeleteSubnetCommand)
      .rejectsOnce(ec2Error('DependencyViolation'))
      .rejectsOnce(ec2Error('DependencyViolation'))
      .resolves({});
    const report = await destroy(clients(), options);
    expect(mutatingEc2Calls()).toEqual([
      'DeleteLaunchTemplate lt-1',
      'DeleteSecurityGroup sg-1',
      'DeleteNatGateway nat-1',
      'ReleaseAddress eipalloc-1',
      'ReleaseAddress eipalloc-1',
      'DeleteSubnet subnet-1',
      'DeleteSubnet subnet-1',
      'DeleteSubnet subnet-1',
      'DisassociateRouteTable rtbassoc-1',
      'DeleteRouteTable rtb-1',
      'DetachInternetGateway igw-1 vpc-1',
      'DeleteInternetGateway igw-1',
      'DeleteVpc vpc-1',
    ]);
    // Every lookup is by the stack tag (NAT gateways spell the member `Filter`).
    expect(ec2.commandCalls(DescribeVpcsCommand)[0].args[0].input).toEqual({ Filters: TAG_FILTER });
    expect(ec2.commandCalls(DescribeNatGatewaysCommand)[0].args[0].input).toEqual({ Filter: TAG_FILTER });
    // One poll while the NAT gateway was deleting, then three dependency retries (1 EIP + 2 subnet).
    expect(sleeps).toHaveLength(4);
    expect(report.steps.filter((s) => s.resource.startsWith('InstanceProfile'))).toEqual([
      { action: 'remove-role', resource: 'InstanceProfile InstanceProfile-abc (InstanceRole-abc)' },
      { action: 'delete', resource: 'InstanceProfile InstanceProfile-abc' },
    ]);
    expect(report.skipped).toEqual(['IamRole InstanceRole-abc']);
    expect(iam.calls().map((c) => c.args[0].constructor.name)).toEqual([
      'GetInstanceProfileCommand',
      'RemoveRoleFromInstanceProfileCommand',
      'DeleteInstanceProfileCommand',
      'GetRoleCommand',
    ]);
  },
);

test('a DependencyViolation that outlasts the retry budget fails with the AWS error', async () => {
  ec2.on(DeleteSubnetCommand).rejects(ec2Error('DependencyViolation'));
  await expect(
    destroy(clients(), { ...options, dependencyRetry: { maxAttempts: 3, sleep: async () => undefined } }),
  ).rejects.toMatchObject({ name: 'DependencyViolation' });
  expect(ec2.commandCalls(DeleteSubnetCommand)).toHaveLength(3);
});

test('dry run lists the same steps and calls nothing that changes anything', async () => {
  const report = await destroy(clients(), { ...options, dryRun: true });
  expect(report.dryRun).toBe(true);
  expect(mutatingEc2Calls()).toEqual([]);
  expect(iam.calls().map((c) => c.args[0].constructor.name)).toEqual(['GetInstanceProfileCommand', 'GetRoleCommand']);
  expect(report.steps.map((s) => `${s.action} ${s.resource}`)).toEqual([
    'delete LaunchTemplate bk-lt',
    'delete SecurityGroup sg-1',
    'delete NatGateway nat-1',
    'release ElasticIp eipalloc-1',
    'delete Subnet subnet-1',
    'disassociate RouteTable rtb-1 (rtbassoc-1)',
    'delete RouteTable rtb-1',
    'detach InternetGateway igw-1 from vpc-1',
    'delete InternetGateway igw-1',
    'delete Vpc vpc-1',
    'remove-role InstanceProfile InstanceProfile-abc (InstanceRole-abc)',
    'delete InstanceProfile InstanceProfile-abc',
  ]);
});
