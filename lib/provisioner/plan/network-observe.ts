/**
 * What exists of the networking resources: EC2 resources found by their `batchkit:stack` and
 * `batchkit:logical-id` tags; attachments, routes and route-table associations (which have no
 * tags) found on their parents.
 */
import type { ProvisionerClients } from '../clients/interfaces';
import { LOGICAL_ID_TAG, STACK_TAG, type DesiredNetwork, type DesiredState } from './desired';
import type { FieldChange } from './diff';
import type { ObservedResource } from './observe';
import { refKeyOf } from './refs';

type Tagged = { Tags?: Array<{ Key?: string; Value?: string }> };

function tag(r: Tagged, key: string): string | undefined {
  return r.Tags?.find((t) => t.Key === key)?.Value;
}

/** Looks up the networking resources of the desired state; returns them by key. */
export async function observeNetwork(clients: ProvisionerClients, desired: DesiredState): Promise<Map<string, ObservedResource>> {
  const nets = desired.resources.filter((r): r is DesiredNetwork => r.kind === 'Network');
  const out = new Map<string, ObservedResource>();
  if (nets.length === 0) return out;
  const stacks = [...new Set(nets.map((n) => n.stack))];
  const Filters = [{ Name: `tag:${STACK_TAG}`, Values: stacks }];
  const ec2 = clients.ec2;
  const types = new Set(nets.map((n) => n.cfnType));
  const found: Array<{ type: string; id: string; detail: Tagged & Record<string, unknown> }> = [];
  const add = (type: string, items: ReadonlyArray<object> | undefined, idKey: string) => {
    for (const i of items ?? []) {
      const detail = { ...i } as Tagged & Record<string, unknown>;
      found.push({ type, id: String(detail[idKey]), detail });
    }
  };
  if (types.has('AWS::EC2::VPC')) add('AWS::EC2::VPC', (await ec2.describeVpcs({ Filters })).Vpcs, 'VpcId');
  if (types.has('AWS::EC2::Subnet')) add('AWS::EC2::Subnet', (await ec2.describeSubnets({ Filters })).Subnets, 'SubnetId');
  if (types.has('AWS::EC2::InternetGateway') || types.has('AWS::EC2::VPCGatewayAttachment')) add('AWS::EC2::InternetGateway', (await ec2.describeInternetGateways({ Filters })).InternetGateways, 'InternetGatewayId');
  if (types.has('AWS::EC2::EIP')) add('AWS::EC2::EIP', (await ec2.describeAddresses({ Filters })).Addresses, 'AllocationId');
  if (types.has('AWS::EC2::NatGateway')) add('AWS::EC2::NatGateway', ((await ec2.describeNatGateways({ Filter: Filters })).NatGateways ?? []).filter((n) => n.State !== 'deleted' && n.State !== 'deleting' && n.State !== 'failed'), 'NatGatewayId');
  if ([...types].some((t) => t.includes('Route'))) add('AWS::EC2::RouteTable', (await ec2.describeRouteTables({ Filters })).RouteTables, 'RouteTableId');
  if (types.has('AWS::EC2::SecurityGroup')) add('AWS::EC2::SecurityGroup', (await ec2.describeSecurityGroups({ Filters })).SecurityGroups, 'GroupId');
  if (types.has('AWS::EC2::LaunchTemplate')) add('AWS::EC2::LaunchTemplate', (await ec2.describeLaunchTemplates({ Filters })).LaunchTemplates, 'LaunchTemplateId');

  for (const n of nets) {
    const f = found.find((x) => x.type === n.cfnType && tag(x.detail, LOGICAL_ID_TAG) === n.logicalId && tag(x.detail, STACK_TAG) === n.stack);
    if (f) out.set(n.key, { key: n.key, name: f.id, arn: f.id, stackTag: tag(f.detail, STACK_TAG), detail: f.detail });
  }
  // Untagged sub-resources: present when their parents show them.
  const real = (v: unknown) => (typeof v === 'string' && refKeyOf(v) ? out.get(refKeyOf(v)!)?.name : undefined);
  const parent = (v: unknown) => (typeof v === 'string' && refKeyOf(v) ? out.get(refKeyOf(v)!)?.detail : undefined);
  for (const n of nets) {
    const p = n.props;
    let present = false;
    if (n.cfnType === 'AWS::EC2::VPCGatewayAttachment') {
      const igw = parent(p.InternetGatewayId) as { Attachments?: Array<{ VpcId?: string }> } | undefined;
      present = !!igw?.Attachments?.some((a) => a.VpcId !== undefined && a.VpcId === real(p.VpcId));
    } else if (n.cfnType === 'AWS::EC2::Route') {
      const rt = parent(p.RouteTableId) as { Routes?: Array<{ DestinationCidrBlock?: string }> } | undefined;
      present = !!rt?.Routes?.some((r) => r.DestinationCidrBlock === p.DestinationCidrBlock);
    } else if (n.cfnType === 'AWS::EC2::SubnetRouteTableAssociation') {
      const rt = parent(p.RouteTableId) as { Associations?: Array<{ SubnetId?: string }> } | undefined;
      present = !!rt?.Associations?.some((a) => a.SubnetId !== undefined && a.SubnetId === real(p.SubnetId));
    } else continue;
    if (present) out.set(n.key, { key: n.key, name: n.logicalId, stackTag: n.stack, detail: {} });
  }
  return out;
}

/** Immutable properties per type: a change needs a new resource, which batchkit does not do in place. */
const IMMUTABLE: Record<string, readonly string[]> = {
  'AWS::EC2::VPC': ['CidrBlock'],
  'AWS::EC2::Subnet': ['CidrBlock', 'AvailabilityZone'],
};

/** Differences of a networking resource (only the immutable ones are compared). */
export function diffNetwork(n: DesiredNetwork, existing: Record<string, unknown>): FieldChange[] {
  const out: FieldChange[] = [];
  for (const f of IMMUTABLE[n.cfnType] ?? []) {
    const to = n.props[f];
    if (to !== undefined && existing[f] !== undefined && to !== existing[f]) {
      out.push({ field: f, from: existing[f], to, replacement: `${f} of a ${n.cfnType.split('::')[2]} cannot be changed` });
    }
  }
  return out;
}
