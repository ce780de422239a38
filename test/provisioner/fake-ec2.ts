/**
 * A stateful EC2 for the provisioner's networking tests, on aws-sdk-client-mock: creates return
 * ids, describes return what exists (filtered by `tag:batchkit:stack` and
 * `association.subnet-id`), and the update calls change it the way EC2 does (one VPC attribute per
 * ModifyVpcAttribute, duplicate rules refused, launch template versions numbered 1, 2, ...).
 * `mutations()` lists every non-Describe command sent, in order.
 */
import {
  AllocateAddressCommand,
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand,
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  CreateNatGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  DeleteTagsCommand,
  DescribeAddressesCommand,
  DescribeInternetGatewaysCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcsCommand,
  type EC2Client,
  ModifyLaunchTemplateCommand,
  ModifySubnetAttributeCommand,
  ModifyVpcAttributeCommand,
  ReplaceRouteCommand,
  ReplaceRouteTableAssociationCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  UpdateSecurityGroupRuleDescriptionsEgressCommand,
  UpdateSecurityGroupRuleDescriptionsIngressCommand,
  type Filter,
  type IpPermission,
  type Tag,
  type TagSpecification,
} from '@aws-sdk/client-ec2';
import type { AwsClientStub } from 'aws-sdk-client-mock';

type Item = Record<string, unknown> & { Tags: Tag[] };

/** One command sent. */
export interface SentCommand {
  /** Command name without `Command`. */
  readonly name: string;
  /** Its input. */
  readonly input: Record<string, unknown>;
}

/** The store and what was sent. */
export interface FakeEc2 {
  /** Resources by kind. */
  readonly items: Record<'vpc' | 'subnet' | 'igw' | 'eip' | 'nat' | 'rtb' | 'sg' | 'lt', Item[]>;
  /** Every command other than Describe*, in order. */
  mutations(): SentCommand[];
}

function ec2Error(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

/** One permission per range, EC2's identity of a rule (everything but the description). */
function flatten(perms: IpPermission[] | undefined): IpPermission[] {
  const out: IpPermission[] = [];
  for (const p of perms ?? []) {
    const base = {
      IpProtocol: p.IpProtocol,
      ...(p.FromPort !== undefined ? { FromPort: p.FromPort, ToPort: p.ToPort } : {}),
    };
    for (const r of p.IpRanges ?? []) out.push({ ...base, IpRanges: [r] });
    for (const r of p.Ipv6Ranges ?? []) out.push({ ...base, Ipv6Ranges: [r] });
    for (const r of p.UserIdGroupPairs ?? []) out.push({ ...base, UserIdGroupPairs: [r] });
    for (const r of p.PrefixListIds ?? []) out.push({ ...base, PrefixListIds: [r] });
  }
  return out;
}

function identity(p: IpPermission): string {
  const strip = (list: ReadonlyArray<object> | undefined) =>
    list?.map((x) => Object.fromEntries(Object.entries(x).filter(([k]) => k !== 'Description')));
  return JSON.stringify([
    p.IpProtocol,
    p.FromPort,
    p.ToPort,
    strip(p.IpRanges),
    strip(p.Ipv6Ranges),
    strip(p.UserIdGroupPairs),
    strip(p.PrefixListIds),
  ]);
}

/** Installs the fake on a (reset) EC2 mock. */
export function installFakeEc2(mock: AwsClientStub<EC2Client>): FakeEc2 {
  const items: FakeEc2['items'] = { vpc: [], subnet: [], igw: [], eip: [], nat: [], rtb: [], sg: [], lt: [] };
  const vpcAttributes = new Map<string, { EnableDnsSupport: boolean; EnableDnsHostnames: boolean }>();
  const versions = new Map<string, Array<{ VersionNumber: number; LaunchTemplateData: unknown }>>();
  let n = 0;
  const tags = (spec: TagSpecification[] | undefined): Tag[] => [...(spec?.[0]?.Tags ?? [])];
  const make = (
    kind: keyof FakeEc2['items'],
    idKey: string,
    spec: TagSpecification[] | undefined,
    extra: Record<string, unknown> = {},
  ) => {
    const id = `${kind}-real${++n}`;
    items[kind].push({ [idKey]: id, Tags: tags(spec), ...extra });
    return id;
  };
  const byTag = (list: Item[], filters: Filter[] | undefined) => {
    const f = filters?.find((x) => x.Name?.startsWith('tag:'));
    if (!f) return list;
    const key = f.Name!.slice('tag:'.length);
    return list.filter((i) => i.Tags.some((t) => t.Key === key && f.Values?.includes(t.Value ?? '')));
  };
  const idKeys: Record<keyof FakeEc2['items'], string> = {
    vpc: 'VpcId',
    subnet: 'SubnetId',
    igw: 'InternetGatewayId',
    eip: 'AllocationId',
    nat: 'NatGatewayId',
    rtb: 'RouteTableId',
    sg: 'GroupId',
    lt: 'LaunchTemplateId',
  };
  const find = (id: string | undefined): Item => {
    for (const [kind, list] of Object.entries(items) as Array<[keyof FakeEc2['items'], Item[]]>) {
      const hit = list.find((i) => i[idKeys[kind]] === id);
      if (hit) return hit;
    }
    throw ec2Error('InvalidID', `The ID '${id}' is not valid`);
  };
  const sg = (id: string | undefined) =>
    items.sg.find((g) => g.GroupId === id) ??
    (() => {
      throw ec2Error('InvalidGroup.NotFound', `The security group '${id}' does not exist`);
    })();
  const rtb = (id: string | undefined) =>
    items.rtb.find((r) => r.RouteTableId === id) ??
    (() => {
      throw ec2Error('InvalidRouteTableID.NotFound', `The route table '${id}' does not exist`);
    })();

  mock.on(CreateVpcCommand).callsFake((i) => {
    const id = make('vpc', 'VpcId', i.TagSpecifications, { CidrBlock: i.CidrBlock });
    vpcAttributes.set(id, { EnableDnsSupport: true, EnableDnsHostnames: false });
    return { Vpc: { VpcId: id } };
  });
  mock.on(DescribeVpcsCommand).callsFake((i) => ({ Vpcs: byTag(items.vpc, i.Filters) }));
  mock.on(DescribeVpcAttributeCommand).callsFake((i) => {
    const a = vpcAttributes.get(i.VpcId!)!;
    return i.Attribute === 'enableDnsSupport'
      ? { VpcId: i.VpcId, EnableDnsSupport: { Value: a.EnableDnsSupport } }
      : { VpcId: i.VpcId, EnableDnsHostnames: { Value: a.EnableDnsHostnames } };
  });
  mock.on(ModifyVpcAttributeCommand).callsFake((i) => {
    if (i.EnableDnsSupport && i.EnableDnsHostnames)
      throw ec2Error('InvalidParameterCombination', 'Only one attribute can be modified at a time');
    const a = vpcAttributes.get(i.VpcId!)!;
    if (i.EnableDnsHostnames?.Value === true && !a.EnableDnsSupport)
      throw ec2Error('InvalidParameterValue', 'DNS hostnames need DNS support');
    if (i.EnableDnsSupport) a.EnableDnsSupport = i.EnableDnsSupport.Value!;
    if (i.EnableDnsHostnames) a.EnableDnsHostnames = i.EnableDnsHostnames.Value!;
    return {};
  });
  mock.on(CreateSubnetCommand).callsFake((i) => ({
    Subnet: {
      SubnetId: make('subnet', 'SubnetId', i.TagSpecifications, {
        CidrBlock: i.CidrBlock,
        VpcId: i.VpcId,
        AvailabilityZone: i.AvailabilityZone,
        MapPublicIpOnLaunch: false,
      }),
    },
  }));
  mock.on(DescribeSubnetsCommand).callsFake((i) => ({ Subnets: byTag(items.subnet, i.Filters) }));
  mock.on(ModifySubnetAttributeCommand).callsFake((i) => {
    find(i.SubnetId).MapPublicIpOnLaunch = i.MapPublicIpOnLaunch?.Value;
    return {};
  });
  mock.on(CreateInternetGatewayCommand).callsFake((i) => ({
    InternetGateway: {
      InternetGatewayId: make('igw', 'InternetGatewayId', i.TagSpecifications, { Attachments: [] }),
    },
  }));
  mock.on(AttachInternetGatewayCommand).callsFake((i) => {
    (find(i.InternetGatewayId).Attachments as unknown[]).push({ VpcId: i.VpcId, State: 'available' });
    return {};
  });
  mock.on(DescribeInternetGatewaysCommand).callsFake((i) => ({ InternetGateways: byTag(items.igw, i.Filters) }));
  mock
    .on(AllocateAddressCommand)
    .callsFake((i) => ({ AllocationId: make('eip', 'AllocationId', i.TagSpecifications, { Domain: 'vpc' }) }));
  mock.on(DescribeAddressesCommand).callsFake((i) => ({ Addresses: byTag(items.eip, i.Filters) }));
  mock.on(CreateNatGatewayCommand).callsFake((i) => ({
    NatGateway: {
      NatGatewayId: make('nat', 'NatGatewayId', i.TagSpecifications, {
        State: 'available',
        SubnetId: i.SubnetId,
        NatGatewayAddresses: [{ AllocationId: i.AllocationId, IsPrimary: true }],
      }),
    },
  }));
  mock.on(DescribeNatGatewaysCommand).callsFake((i) => ({
    NatGateways: i.NatGatewayIds
      ? items.nat.filter((x) => i.NatGatewayIds!.includes(x.NatGatewayId as string))
      : byTag(items.nat, i.Filter),
  }));
  mock.on(CreateRouteTableCommand).callsFake((i) => ({
    RouteTable: {
      RouteTableId: make('rtb', 'RouteTableId', i.TagSpecifications, {
        VpcId: i.VpcId,
        Routes: [],
        Associations: [],
      }),
    },
  }));
  mock.on(DescribeRouteTablesCommand).callsFake((i) => {
    const bySubnet = i.Filters?.find((f: Filter) => f.Name === 'association.subnet-id');
    const list = bySubnet
      ? items.rtb.filter((r) =>
          (r.Associations as Array<{ SubnetId?: string }>).some((a) => bySubnet.Values?.includes(a.SubnetId ?? '')),
        )
      : byTag(items.rtb, i.Filters);
    return { RouteTables: structuredClone(list) };
  });
  mock.on(CreateRouteCommand).callsFake((i) => {
    const { RouteTableId, ...route } = i;
    (rtb(RouteTableId).Routes as unknown[]).push({ ...route, State: 'active' });
    return { Return: true };
  });
  mock.on(ReplaceRouteCommand).callsFake((i) => {
    const { RouteTableId, ...route } = i;
    const routes = rtb(RouteTableId).Routes as Array<Record<string, unknown>>;
    const at = routes.findIndex((r) => r.DestinationCidrBlock === i.DestinationCidrBlock);
    if (at < 0) throw ec2Error('InvalidRoute.NotFound', `no route to ${i.DestinationCidrBlock}`);
    routes[at] = { ...route, State: 'active' };
    return {};
  });
  mock.on(AssociateRouteTableCommand).callsFake((i) => {
    if (items.rtb.some((r) => (r.Associations as Array<{ SubnetId?: string }>).some((a) => a.SubnetId === i.SubnetId)))
      throw ec2Error('Resource.AlreadyAssociated', `${i.SubnetId} is already associated`);
    const id = `rtbassoc-${++n}`;
    (rtb(i.RouteTableId).Associations as unknown[]).push({
      RouteTableAssociationId: id,
      RouteTableId: i.RouteTableId,
      SubnetId: i.SubnetId,
      Main: false,
    });
    return { AssociationId: id };
  });
  mock.on(ReplaceRouteTableAssociationCommand).callsFake((i) => {
    const from = items.rtb.find((r) =>
      (r.Associations as Array<{ RouteTableAssociationId?: string }>).some(
        (a) => a.RouteTableAssociationId === i.AssociationId,
      ),
    );
    if (!from) throw ec2Error('InvalidAssociationID.NotFound', `${i.AssociationId} does not exist`);
    const list = from.Associations as Array<{ RouteTableAssociationId?: string; SubnetId?: string }>;
    const old = list.splice(
      list.findIndex((a) => a.RouteTableAssociationId === i.AssociationId),
      1,
    )[0];
    const id = `rtbassoc-${++n}`;
    (rtb(i.RouteTableId).Associations as unknown[]).push({
      RouteTableAssociationId: id,
      RouteTableId: i.RouteTableId,
      SubnetId: old.SubnetId,
      Main: false,
    });
    return { NewAssociationId: id };
  });
  mock.on(CreateSecurityGroupCommand).callsFake((i) => ({
    GroupId: make('sg', 'GroupId', i.TagSpecifications, {
      GroupName: i.GroupName,
      Description: i.Description,
      VpcId: i.VpcId,
      IpPermissions: [],
      IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    }),
  }));
  mock
    .on(DescribeSecurityGroupsCommand)
    .callsFake((i) => ({ SecurityGroups: structuredClone(byTag(items.sg, i.Filters)) }));
  const rules = (key: 'IpPermissions' | 'IpPermissionsEgress') => ({
    authorize: (i: { GroupId?: string; IpPermissions?: IpPermission[] }) => {
      const list = sg(i.GroupId)[key] as IpPermission[];
      for (const p of flatten(i.IpPermissions)) {
        if (list.some((x) => identity(x) === identity(p)))
          throw ec2Error('InvalidPermission.Duplicate', `the rule ${identity(p)} already exists`);
        list.push(p);
      }
      return { Return: true };
    },
    revoke: (i: { GroupId?: string; IpPermissions?: IpPermission[] }) => {
      const list = sg(i.GroupId)[key] as IpPermission[];
      for (const p of flatten(i.IpPermissions)) {
        const at = list.findIndex((x) => identity(x) === identity(p));
        if (at < 0) throw ec2Error('InvalidPermission.NotFound', `the rule ${identity(p)} does not exist`);
        list.splice(at, 1);
      }
      return { Return: true };
    },
    describe: (i: { GroupId?: string; IpPermissions?: IpPermission[] }) => {
      const list = sg(i.GroupId)[key] as IpPermission[];
      for (const p of flatten(i.IpPermissions)) {
        const at = list.findIndex((x) => identity(x) === identity(p));
        if (at < 0) throw ec2Error('InvalidPermission.NotFound', `the rule ${identity(p)} does not exist`);
        list[at] = p;
      }
      return { Return: true };
    },
  });
  const ingress = rules('IpPermissions');
  const egress = rules('IpPermissionsEgress');
  mock.on(AuthorizeSecurityGroupIngressCommand).callsFake(ingress.authorize);
  mock.on(RevokeSecurityGroupIngressCommand).callsFake(ingress.revoke);
  mock.on(UpdateSecurityGroupRuleDescriptionsIngressCommand).callsFake(ingress.describe);
  mock.on(AuthorizeSecurityGroupEgressCommand).callsFake(egress.authorize);
  mock.on(RevokeSecurityGroupEgressCommand).callsFake(egress.revoke);
  mock.on(UpdateSecurityGroupRuleDescriptionsEgressCommand).callsFake(egress.describe);
  mock.on(CreateTagsCommand).callsFake((i) => {
    for (const id of i.Resources ?? []) {
      const item = find(id);
      for (const t of i.Tags ?? []) item.Tags = [...item.Tags.filter((x) => x.Key !== t.Key), t];
    }
    return {};
  });
  mock.on(DeleteTagsCommand).callsFake((i) => {
    for (const id of i.Resources ?? []) {
      const item = find(id);
      item.Tags = item.Tags.filter((x) => !(i.Tags ?? []).some((t: Tag) => t.Key === x.Key));
    }
    return {};
  });
  mock.on(CreateLaunchTemplateCommand).callsFake((i) => {
    const id = make('lt', 'LaunchTemplateId', i.TagSpecifications, {
      LaunchTemplateName: i.LaunchTemplateName,
      DefaultVersionNumber: 1,
      LatestVersionNumber: 1,
    });
    versions.set(id, [{ VersionNumber: 1, LaunchTemplateData: structuredClone(i.LaunchTemplateData) }]);
    return {
      LaunchTemplate: {
        LaunchTemplateId: id,
        LaunchTemplateName: i.LaunchTemplateName,
        DefaultVersionNumber: 1,
        LatestVersionNumber: 1,
      },
    };
  });
  mock
    .on(DescribeLaunchTemplatesCommand)
    .callsFake((i) => ({ LaunchTemplates: structuredClone(byTag(items.lt, i.Filters)) }));
  mock.on(DescribeLaunchTemplateVersionsCommand).callsFake((i) => {
    const lt = find(i.LaunchTemplateId);
    const wanted =
      i.Versions?.[0] === '$Latest'
        ? lt.LatestVersionNumber
        : i.Versions?.[0] === '$Default'
          ? lt.DefaultVersionNumber
          : Number(i.Versions?.[0]);
    const v = versions.get(i.LaunchTemplateId!)!.find((x) => x.VersionNumber === wanted)!;
    // EC2 adds the metadata options' state to what was given.
    const data = structuredClone(v.LaunchTemplateData) as Record<string, Record<string, unknown>>;
    if (data.MetadataOptions) data.MetadataOptions = { ...data.MetadataOptions, State: 'applied' };
    return {
      LaunchTemplateVersions: [
        {
          LaunchTemplateId: i.LaunchTemplateId,
          VersionNumber: v.VersionNumber,
          DefaultVersion: v.VersionNumber === lt.DefaultVersionNumber,
          LaunchTemplateData: data,
        },
      ],
    };
  });
  mock.on(CreateLaunchTemplateVersionCommand).callsFake((i) => {
    const lt = find(i.LaunchTemplateId);
    const list = versions.get(i.LaunchTemplateId!)!;
    const VersionNumber = list.length + 1;
    list.push({ VersionNumber, LaunchTemplateData: structuredClone(i.LaunchTemplateData) });
    lt.LatestVersionNumber = VersionNumber;
    return { LaunchTemplateVersion: { LaunchTemplateId: i.LaunchTemplateId, VersionNumber } };
  });
  mock.on(ModifyLaunchTemplateCommand).callsFake((i) => {
    const lt = find(i.LaunchTemplateId);
    lt.DefaultVersionNumber = Number(i.DefaultVersion);
    return { LaunchTemplate: { LaunchTemplateId: i.LaunchTemplateId, DefaultVersionNumber: lt.DefaultVersionNumber } };
  });
  return {
    items,
    mutations: () =>
      mock
        .calls()
        .map((c) => ({
          name: (c.args[0] as object).constructor.name.replace(/Command$/, ''),
          input: (c.args[0] as unknown as { input: Record<string, unknown> }).input,
        }))
        .filter((c) => !c.name.startsWith('Describe')),
  };
}
