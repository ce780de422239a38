/**
 * VPC, subnets, gateways, NAT, routes and security groups read from the template and created
 * through EC2 (mocked, with a small tag-aware store), then used by the compute environment that the
 * local Batch API receives with the real ids.
 */
import {
  AllocateAddressCommand,
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateLaunchTemplateCommand,
  CreateNatGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeAddressesCommand,
  DescribeInternetGatewaysCommand,
  DescribeLaunchTemplatesCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  type Tag,
  type TagSpecification,
} from '@aws-sdk/client-ec2';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadBatchModel } from '../../lib/core/assembly';
import { applyPlan } from '../../lib/provisioner/apply/apply';
import { createPlan, isEmptyPlan } from '../../lib/provisioner/plan/plan';
import { FAST_WAIT, batchTemplate, startLocalTarget, type LocalTarget } from './support';

function networkTemplate(): Record<string, unknown> {
  const base = batchTemplate() as { Resources: Record<string, { Properties: Record<string, unknown> }> };
  const cr = base.Resources.Compute.Properties.ComputeResources as Record<string, unknown>;
  cr.Subnets = [{ Ref: 'PrivateSubnet' }];
  cr.SecurityGroupIds = [{ 'Fn::GetAtt': ['Sg', 'GroupId'] }];
  cr.LaunchTemplate = { LaunchTemplateId: { Ref: 'Lt' }, Version: { 'Fn::GetAtt': ['Lt', 'LatestVersionNumber'] } };
  const vpc = { Ref: 'Vpc' };
  return {
    Resources: {
      ...base.Resources,
      Vpc: {
        Type: 'AWS::EC2::VPC',
        Properties: { CidrBlock: '10.0.0.0/16', EnableDnsHostnames: true, EnableDnsSupport: true },
      },
      Igw: { Type: 'AWS::EC2::InternetGateway', Properties: {} },
      IgwAttach: {
        Type: 'AWS::EC2::VPCGatewayAttachment',
        Properties: { VpcId: vpc, InternetGatewayId: { Ref: 'Igw' } },
      },
      PublicSubnet: {
        Type: 'AWS::EC2::Subnet',
        Properties: { VpcId: vpc, CidrBlock: '10.0.0.0/24', AvailabilityZone: 'us-east-1a', MapPublicIpOnLaunch: true },
      },
      PrivateSubnet: {
        Type: 'AWS::EC2::Subnet',
        Properties: { VpcId: vpc, CidrBlock: '10.0.1.0/24', AvailabilityZone: 'us-east-1a' },
      },
      NatEip: { Type: 'AWS::EC2::EIP', Properties: { Domain: 'vpc' } },
      Nat: {
        Type: 'AWS::EC2::NatGateway',
        Properties: { SubnetId: { Ref: 'PublicSubnet' }, AllocationId: { 'Fn::GetAtt': ['NatEip', 'AllocationId'] } },
      },
      PublicRt: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: vpc } },
      PublicDefault: {
        Type: 'AWS::EC2::Route',
        DependsOn: 'IgwAttach',
        Properties: { RouteTableId: { Ref: 'PublicRt' }, DestinationCidrBlock: '0.0.0.0/0', GatewayId: { Ref: 'Igw' } },
      },
      PublicAssoc: {
        Type: 'AWS::EC2::SubnetRouteTableAssociation',
        Properties: { RouteTableId: { Ref: 'PublicRt' }, SubnetId: { Ref: 'PublicSubnet' } },
      },
      PrivateRt: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: vpc } },
      PrivateDefault: {
        Type: 'AWS::EC2::Route',
        Properties: {
          RouteTableId: { Ref: 'PrivateRt' },
          DestinationCidrBlock: '0.0.0.0/0',
          NatGatewayId: { Ref: 'Nat' },
        },
      },
      PrivateAssoc: {
        Type: 'AWS::EC2::SubnetRouteTableAssociation',
        Properties: { RouteTableId: { Ref: 'PrivateRt' }, SubnetId: { Ref: 'PrivateSubnet' } },
      },
      Lt: {
        Type: 'AWS::EC2::LaunchTemplate',
        Properties: { LaunchTemplateData: { MetadataOptions: { HttpTokens: 'required' } } },
      },
      Sg: {
        Type: 'AWS::EC2::SecurityGroup',
        Properties: {
          GroupDescription: 'batch instances',
          VpcId: vpc,
          SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', IpProtocol: '-1' }],
        },
      },
    },
  };
}

/** A tag-aware EC2 store: creates return ids, describes return what was created (with tags). */
function fakeEc2(target: LocalTarget): { created: string[] } {
  const created: string[] = [];
  const items: Record<string, Array<Record<string, unknown>>> = {
    vpc: [],
    subnet: [],
    igw: [],
    eip: [],
    nat: [],
    rtb: [],
    sg: [],
    lt: [],
  };
  let n = 0;
  const tags = (spec: TagSpecification[] | undefined): Tag[] => spec?.[0]?.Tags ?? [];
  const make = (
    kind: string,
    idKey: string,
    spec: TagSpecification[] | undefined,
    extra: Record<string, unknown> = {},
  ) => {
    const id = `${kind}-real${++n}`;
    items[kind].push({ [idKey]: id, Tags: tags(spec), ...extra });
    created.push(id);
    return id;
  };
  const ec2 = target.ec2;
  ec2
    .on(CreateVpcCommand)
    .callsFake((i) => ({ Vpc: { VpcId: make('vpc', 'VpcId', i.TagSpecifications, { CidrBlock: i.CidrBlock }) } }));
  ec2.on(CreateSubnetCommand).callsFake((i) => ({
    Subnet: {
      SubnetId: make('subnet', 'SubnetId', i.TagSpecifications, {
        CidrBlock: i.CidrBlock,
        VpcId: i.VpcId,
        AvailabilityZone: i.AvailabilityZone,
      }),
    },
  }));
  ec2.on(CreateInternetGatewayCommand).callsFake((i) => ({
    InternetGateway: {
      InternetGatewayId: make('igw', 'InternetGatewayId', i.TagSpecifications, { Attachments: [] }),
    },
  }));
  ec2.on(AttachInternetGatewayCommand).callsFake((i) => {
    (items.igw.find((g) => g.InternetGatewayId === i.InternetGatewayId)!.Attachments as unknown[]).push({
      VpcId: i.VpcId,
    });
    return {};
  });
  ec2.on(AllocateAddressCommand).callsFake((i) => ({ AllocationId: make('eip', 'AllocationId', i.TagSpecifications) }));
  ec2.on(CreateNatGatewayCommand).callsFake((i) => ({
    NatGateway: {
      NatGatewayId: make('nat', 'NatGatewayId', i.TagSpecifications, { State: 'available', SubnetId: i.SubnetId }),
    },
  }));
  ec2.on(CreateRouteTableCommand).callsFake((i) => ({
    RouteTable: { RouteTableId: make('rtb', 'RouteTableId', i.TagSpecifications, { Routes: [], Associations: [] }) },
  }));
  ec2.on(CreateRouteCommand).callsFake((i) => {
    (items.rtb.find((r) => r.RouteTableId === i.RouteTableId)!.Routes as unknown[]).push({
      DestinationCidrBlock: i.DestinationCidrBlock,
      GatewayId: i.GatewayId,
      NatGatewayId: i.NatGatewayId,
    });
    return { Return: true };
  });
  ec2.on(AssociateRouteTableCommand).callsFake((i) => {
    (items.rtb.find((r) => r.RouteTableId === i.RouteTableId)!.Associations as unknown[]).push({
      SubnetId: i.SubnetId,
    });
    return { AssociationId: `rtbassoc-${++n}` };
  });
  ec2
    .on(CreateSecurityGroupCommand)
    .callsFake((i) => ({ GroupId: make('sg', 'GroupId', i.TagSpecifications, { GroupName: i.GroupName }) }));
  ec2.on(CreateLaunchTemplateCommand).callsFake((i) => ({
    LaunchTemplate: {
      LaunchTemplateId: make('lt', 'LaunchTemplateId', i.TagSpecifications, {
        LaunchTemplateName: i.LaunchTemplateName,
      }),
    },
  }));
  ec2.on(DescribeLaunchTemplatesCommand).callsFake(() => ({ LaunchTemplates: items.lt }));
  ec2.on(DescribeVpcsCommand).callsFake(() => ({ Vpcs: items.vpc }));
  ec2.on(DescribeSubnetsCommand).callsFake(() => ({ Subnets: items.subnet }));
  ec2.on(DescribeInternetGatewaysCommand).callsFake(() => ({ InternetGateways: items.igw }));
  ec2.on(DescribeAddressesCommand).callsFake(() => ({ Addresses: items.eip }));
  ec2.on(DescribeNatGatewaysCommand).callsFake(() => ({ NatGateways: items.nat }));
  ec2.on(DescribeRouteTablesCommand).callsFake(() => ({ RouteTables: items.rtb }));
  ec2.on(DescribeSecurityGroupsCommand).callsFake(() => ({ SecurityGroups: items.sg }));
  return { created };
}

describe('networking from the template', () => {
  let target: LocalTarget;
  beforeEach(async () => {
    target = await startLocalTarget();
  });
  afterEach(async () => {
    await target.close();
  });

  test('creates the network in dependency order, tags it, and the compute environment gets the real ids', async () => {
    target.ec2.reset();
    const { created } = fakeEc2(target);
    const dir = mkdtempSync(path.join(tmpdir(), 'bk-net-'));
    const file = path.join(dir, 'NetStack.template.json');
    writeFileSync(file, JSON.stringify(networkTemplate()));
    const model = loadBatchModel(file);
    const plan = await createPlan(model, target.clients, { appPath: file });
    expect(plan.blockers).toEqual([]);
    expect(plan.actions.filter((a) => a.kind === 'Network').map((a) => `${a.action} ${a.name}`)).toEqual([
      'create VPC Vpc',
      'create InternetGateway Igw',
      'create VPCGatewayAttachment IgwAttach',
      'create Subnet PublicSubnet',
      'create Subnet PrivateSubnet',
      'create EIP NatEip',
      'create NatGateway Nat',
      'create RouteTable PublicRt',
      'create RouteTable PrivateRt',
      'create Route PublicDefault',
      'create Route PrivateDefault',
      'create SubnetRouteTableAssociation PublicAssoc',
      'create SubnetRouteTableAssociation PrivateAssoc',
      'create SecurityGroup Sg',
      'create LaunchTemplate Lt',
    ]);
    expect(plan.actions.find((a) => a.name === 'Route PublicDefault')?.dependsOn).toEqual([
      'Network:NetStack/PublicRt',
      'Network:NetStack/Igw',
      'Network:NetStack/IgwAttach',
    ]);
    const ce = plan.actions.find((a) => a.kind === 'ComputeEnvironment')!;
    expect(ce.dependsOn).toEqual(['Network:NetStack/PrivateSubnet', 'Network:NetStack/Sg', 'Network:NetStack/Lt']);

    const report = await applyPlan(plan, target.clients, { wait: FAST_WAIT, concurrency: 3 });
    expect(report.failed).toEqual([]);
    const ec2 = target.ec2;
    const order = ec2
      .calls()
      .map((c) => c.args[0].constructor.name.replace(/Command$/, ''))
      .filter((n) => !n.startsWith('Describe'));
    const before = (a: string, b: string) => expect(order.indexOf(a)).toBeLessThan(order.lastIndexOf(b));
    before('CreateVpc', 'CreateSubnet');
    before('AttachInternetGateway', 'CreateRoute');
    before('AllocateAddress', 'CreateNatGateway');
    before('CreateNatGateway', 'CreateRoute');
    const vpcId = created.find((id) => id.startsWith('vpc-'));
    expect(ec2.commandCalls(CreateVpcCommand)[0].args[0].input).toEqual({
      CidrBlock: '10.0.0.0/16',
      TagSpecifications: [
        {
          ResourceType: 'vpc',
          Tags: [
            { Key: 'batchkit:stack', Value: 'NetStack' },
            { Key: 'batchkit:logical-id', Value: 'Vpc' },
          ],
        },
      ],
    });
    const nat = ec2.commandCalls(CreateNatGatewayCommand)[0].args[0].input;
    const publicSubnet = ec2
      .commandCalls(CreateSubnetCommand)
      .find((c) => c.args[0].input.CidrBlock === '10.0.0.0/24')!;
    expect(publicSubnet.args[0].input.VpcId).toBe(vpcId);
    expect(nat.AllocationId).toMatch(/^eip-real\d+$/);
    expect(nat.SubnetId).toMatch(/^subnet-real\d+$/);
    const privateRoute = ec2.commandCalls(CreateRouteCommand).find((c) => c.args[0].input.NatGatewayId)!.args[0].input;
    expect(privateRoute.NatGatewayId).toMatch(/^nat-real\d+$/);
    // Allow-all egress is the default of a new group: nothing to revoke or add.
    expect(order.filter((n) => n.includes('SecurityGroupEgress'))).toEqual([]);

    const batchCe = (await target.clients.batch.describeComputeEnvironments({ computeEnvironments: [ce.name] }))
      .computeEnvironments![0];
    const subnets = (await target.clients.ec2.describeSubnets({})).Subnets ?? [];
    const privateSubnetId = subnets.find((x) => x.CidrBlock === '10.0.1.0/24')?.SubnetId;
    expect(privateSubnetId).toMatch(/^subnet-real\d+$/);
    expect(batchCe.computeResources?.subnets).toEqual([privateSubnetId]);
    expect(ec2.commandCalls(CreateSecurityGroupCommand)).toHaveLength(1);
    expect(batchCe.computeResources?.securityGroupIds).toEqual([created.find((id) => id.startsWith('sg-'))]);

    expect(ec2.commandCalls(CreateLaunchTemplateCommand)[0].args[0].input).toEqual({
      LaunchTemplateName: 'NetStack-Lt',
      LaunchTemplateData: { MetadataOptions: { HttpTokens: 'required' } },
      TagSpecifications: [
        {
          ResourceType: 'launch-template',
          Tags: [
            { Key: 'batchkit:stack', Value: 'NetStack' },
            { Key: 'batchkit:logical-id', Value: 'Lt' },
          ],
        },
      ],
    });
    expect(batchCe.computeResources?.launchTemplate).toEqual({
      launchTemplateId: created.find((id) => id.startsWith('lt-')),
      version: '1',
    });

    // Found again by tags: nothing more to do.
    const again = await createPlan(model, target.clients, { appPath: file });
    expect(again.actions.filter((a) => a.action !== 'no-op').map((a) => a.name)).toEqual([]);
    expect(isEmptyPlan(again)).toBe(true);
  });
});
