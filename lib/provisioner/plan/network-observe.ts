/**
 * What exists of the networking resources: EC2 resources found by their `batchkit:stack` and
 * `batchkit:logical-id` tags; attachments, routes and route-table associations (which have no
 * tags) found on their parents. Each is read with what the diff compares: a VPC's DNS attributes
 * (DescribeVpcAttribute, one attribute per call), a route's target, the route table a subnet is
 * associated with, a NAT gateway's Elastic IP, and the data of a launch template's default version
 * (DescribeLaunchTemplateVersions).
 */
import type { ProvisionerClients } from '../clients/interfaces';
import { LOGICAL_ID_TAG, STACK_TAG, type DesiredNetwork, type DesiredState } from './desired';
import { ROUTE_TARGETS } from './network-diff';
import type { ObservedResource } from './observe';
import { fieldsOf, isRecord, refKeyOf } from './refs';

export { diffNetwork } from './network-diff';

type Detail = Record<string, unknown>;

function tag(r: Detail, key: string): string | undefined {
  const value = (Array.isArray(r.Tags) ? r.Tags.filter(isRecord) : []).find((t) => t.Key === key)?.Value;
  return typeof value === 'string' ? value : undefined;
}

/** The records of a list field of an EC2 answer (`Attachments`, `Routes`, `Associations`). */
function records(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? v.filter(isRecord) : [];
}

async function describeTagged(
  clients: ProvisionerClients,
  types: Set<string>,
  stacks: string[],
): Promise<Array<{ type: string; id: string; detail: Detail }>> {
  const Filters = [{ Name: `tag:${STACK_TAG}`, Values: stacks }];
  const ec2 = clients.ec2;
  const found: Array<{ type: string; id: string; detail: Detail }> = [];
  const add = (type: string, items: ReadonlyArray<object> | undefined, idKey: string) => {
    for (const i of items ?? []) {
      const detail = fieldsOf(i);
      found.push({ type, id: String(detail[idKey]), detail });
    }
  };
  if (types.has('AWS::EC2::VPC')) add('AWS::EC2::VPC', (await ec2.describeVpcs({ Filters })).Vpcs, 'VpcId');
  if (types.has('AWS::EC2::Subnet'))
    add('AWS::EC2::Subnet', (await ec2.describeSubnets({ Filters })).Subnets, 'SubnetId');
  if (types.has('AWS::EC2::InternetGateway') || types.has('AWS::EC2::VPCGatewayAttachment'))
    add(
      'AWS::EC2::InternetGateway',
      (await ec2.describeInternetGateways({ Filters })).InternetGateways,
      'InternetGatewayId',
    );
  if (types.has('AWS::EC2::EIP'))
    add('AWS::EC2::EIP', (await ec2.describeAddresses({ Filters })).Addresses, 'AllocationId');
  if (types.has('AWS::EC2::NatGateway')) {
    const nats = ((await ec2.describeNatGateways({ Filter: Filters })).NatGateways ?? []).filter(
      (n) => n.State !== 'deleted' && n.State !== 'deleting' && n.State !== 'failed',
    );
    // The primary Elastic IP, where the template's AllocationId is compared.
    add(
      'AWS::EC2::NatGateway',
      nats.map((n) => ({
        ...n,
        AllocationId: (n.NatGatewayAddresses?.find((a) => a.IsPrimary) ?? n.NatGatewayAddresses?.[0])?.AllocationId,
      })),
      'NatGatewayId',
    );
  }
  if ([...types].some((t) => t.includes('Route')))
    add('AWS::EC2::RouteTable', (await ec2.describeRouteTables({ Filters })).RouteTables, 'RouteTableId');
  if (types.has('AWS::EC2::SecurityGroup'))
    add('AWS::EC2::SecurityGroup', (await ec2.describeSecurityGroups({ Filters })).SecurityGroups, 'GroupId');
  if (types.has('AWS::EC2::LaunchTemplate'))
    add(
      'AWS::EC2::LaunchTemplate',
      (await ec2.describeLaunchTemplates({ Filters })).LaunchTemplates,
      'LaunchTemplateId',
    );
  return found;
}

/** DNS attributes of a VPC (EC2 returns one attribute per DescribeVpcAttribute call). */
async function vpcAttributes(clients: ProvisionerClients, vpcId: string): Promise<Record<string, boolean>> {
  const out: Record<string, boolean> = {};
  const support = (await clients.ec2.describeVpcAttribute({ VpcId: vpcId, Attribute: 'enableDnsSupport' }))
    ?.EnableDnsSupport?.Value;
  const hostnames = (await clients.ec2.describeVpcAttribute({ VpcId: vpcId, Attribute: 'enableDnsHostnames' }))
    ?.EnableDnsHostnames?.Value;
  if (support !== undefined) out.EnableDnsSupport = support;
  if (hostnames !== undefined) out.EnableDnsHostnames = hostnames;
  return out;
}

/**
 * The data of a launch template's default version (`LaunchTemplateData`) and, when a newer version
 * is not the default (an apply stopped between creating it and making it the default), that
 * version's data (`LatestLaunchTemplateData`).
 */
async function versionData(clients: ProvisionerClients, id: string, detail: Detail): Promise<Record<string, unknown>> {
  const read = async (version: string) =>
    (await clients.ec2.describeLaunchTemplateVersions({ LaunchTemplateId: id, Versions: [version] }))
      ?.LaunchTemplateVersions?.[0]?.LaunchTemplateData;
  const dflt = await read('$Default');
  if (!dflt) return {};
  const newer =
    detail.LatestVersionNumber !== undefined && detail.LatestVersionNumber !== detail.DefaultVersionNumber
      ? await read('$Latest')
      : undefined;
  return { LaunchTemplateData: { ...dflt }, ...(newer ? { LatestLaunchTemplateData: { ...newer } } : {}) };
}

function versionAttributes(detail: Detail): Record<string, string> | undefined {
  const latest = detail.LatestVersionNumber;
  const dflt = detail.DefaultVersionNumber;
  if (latest === undefined || dflt === undefined) return undefined;
  return { LatestVersionNumber: String(latest), DefaultVersionNumber: String(dflt) };
}

/** Looks up the networking resources of the desired state; returns them by key. */
export async function observeNetwork(
  clients: ProvisionerClients,
  desired: DesiredState,
): Promise<Map<string, ObservedResource>> {
  const nets = desired.resources.filter((r): r is DesiredNetwork => r.kind === 'Network');
  const out = new Map<string, ObservedResource>();
  if (nets.length === 0) return out;
  const found = await describeTagged(clients, new Set(nets.map((n) => n.cfnType)), [
    ...new Set(nets.map((n) => n.stack)),
  ]);

  for (const n of nets) {
    const f = found.find(
      (x) =>
        x.type === n.cfnType && tag(x.detail, LOGICAL_ID_TAG) === n.logicalId && tag(x.detail, STACK_TAG) === n.stack,
    );
    if (!f) continue;
    let detail: Detail = f.detail;
    let attributes: Record<string, string> | undefined;
    if (n.cfnType === 'AWS::EC2::VPC') detail = { ...detail, ...(await vpcAttributes(clients, f.id)) };
    if (n.cfnType === 'AWS::EC2::LaunchTemplate') {
      detail = { ...detail, ...(await versionData(clients, f.id, detail)) };
      attributes = versionAttributes(detail);
    }
    out.set(n.key, {
      key: n.key,
      name: f.id,
      arn: f.id,
      stackTag: tag(f.detail, STACK_TAG),
      detail,
      ...(attributes ? { attributes } : {}),
    });
  }

  // Untagged sub-resources: present when their parents show them.
  const keyOf = (v: unknown) => (typeof v === 'string' ? refKeyOf(v) : undefined);
  const real = (v: unknown) => {
    const key = keyOf(v);
    return key ? out.get(key)?.name : typeof v === 'string' ? v : undefined;
  };
  const parent = (v: unknown) => {
    const key = keyOf(v);
    return key ? out.get(key)?.detail : undefined;
  };
  const associations = await subnetAssociations(clients, nets, real, found);
  for (const n of nets) {
    const p = n.props;
    if (n.cfnType === 'AWS::EC2::VPCGatewayAttachment') {
      const vpc = real(p.VpcId);
      const attachments = records(parent(p.InternetGatewayId)?.Attachments);
      if (attachments.some((a) => a.VpcId !== undefined && a.VpcId === vpc)) {
        out.set(n.key, { key: n.key, name: n.logicalId, stackTag: n.stack, detail: {} });
      }
    } else if (n.cfnType === 'AWS::EC2::Route') {
      const routes = records(parent(p.RouteTableId)?.Routes);
      const route = routes.find((r) => r.DestinationCidrBlock === p.DestinationCidrBlock);
      if (route) {
        const target = Object.fromEntries(
          ROUTE_TARGETS.filter((k) => route[k] !== undefined && route[k] !== null).map((k) => [k, route[k]]),
        );
        out.set(n.key, { key: n.key, name: n.logicalId, stackTag: n.stack, detail: { Target: target } });
      }
    } else if (n.cfnType === 'AWS::EC2::SubnetRouteTableAssociation') {
      const subnet = real(p.SubnetId);
      const a = subnet ? associations.get(subnet) : undefined;
      if (a)
        out.set(n.key, {
          key: n.key,
          name: n.logicalId,
          stackTag: n.stack,
          detail: { RouteTableId: a.routeTableId },
          attributes: { AssociationId: a.associationId },
        });
    }
  }
  return out;
}

/**
 * The explicit route table association of each subnet the desired associations name: looked up on
 * the stack's route tables and, for subnets associated elsewhere, with the `association.subnet-id` filter.
 */
async function subnetAssociations(
  clients: ProvisionerClients,
  nets: readonly DesiredNetwork[],
  real: (v: unknown) => string | undefined,
  found: ReadonlyArray<{ type: string; detail: Detail }>,
): Promise<Map<string, { routeTableId: string; associationId: string }>> {
  const out = new Map<string, { routeTableId: string; associationId: string }>();
  const subnets = [
    ...new Set(
      nets
        .filter((n) => n.cfnType === 'AWS::EC2::SubnetRouteTableAssociation')
        .map((n) => real(n.props.SubnetId))
        .filter((s): s is string => !!s && !refKeyOf(s)),
    ),
  ];
  if (subnets.length === 0) return out;
  const read = (tables: ReadonlyArray<Record<string, unknown>>) => {
    for (const rt of tables) {
      for (const a of records(rt.Associations)) {
        const s = typeof a.SubnetId === 'string' ? a.SubnetId : undefined;
        if (s && subnets.includes(s) && !a.Main && !out.has(s) && typeof rt.RouteTableId === 'string')
          out.set(s, {
            routeTableId: rt.RouteTableId,
            associationId: String(a.RouteTableAssociationId ?? a.AssociationId ?? ''),
          });
      }
    }
  };
  read(found.filter((f) => f.type === 'AWS::EC2::RouteTable').map((f) => f.detail));
  if (subnets.some((s) => !out.has(s))) {
    const others =
      (
        await clients.ec2.describeRouteTables({
          Filters: [{ Name: 'association.subnet-id', Values: subnets.filter((s) => !out.has(s)) }],
        })
      )?.RouteTables ?? [];
    read(others.map(fieldsOf));
  }
  return out;
}
