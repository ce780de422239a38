/**
 * Creating EC2 networking and launch templates from their CloudFormation properties. Every created
 * resource is tagged `batchkit:stack` and `batchkit:logical-id` (so plan finds it and destroy
 * removes it); NAT gateways are waited for until `available`. Creates right after a parent's are
 * retried on EC2's eventually consistent `*.NotFound`.
 */
import type * as ec2 from '@aws-sdk/client-ec2';
import { BatchkitError } from '../../core/errors';
import { errorName, retrying } from '../clients/retry';
import { LOGICAL_ID_TAG, STACK_TAG, type DesiredNetwork } from '../plan/desired';
import { materialize, type ApplyContext } from './context';
import { PROVISION_ERRORS } from './waiters';

type Props = Record<string, unknown>;

function tagSpec(n: DesiredNetwork, resourceType: ec2.ResourceType, props: Props): ec2.TagSpecification[] {
  const own = Array.isArray(props.Tags) ? (props.Tags as Array<{ Key: string; Value: string }>).filter((t) => !t.Key.startsWith('aws:')) : [];
  return [{ ResourceType: resourceType, Tags: [...own, { Key: STACK_TAG, Value: n.stack }, { Key: LOGICAL_ID_TAG, Value: n.logicalId }] }];
}

/** CloudFormation security group rules → EC2 IpPermissions. */
export function ipPermissions(rules: unknown): ec2.IpPermission[] {
  if (!Array.isArray(rules)) return [];
  return (rules as Props[]).map((r) => ({
    IpProtocol: String(r.IpProtocol),
    ...(r.FromPort !== undefined ? { FromPort: Number(r.FromPort) } : {}),
    ...(r.ToPort !== undefined ? { ToPort: Number(r.ToPort) } : {}),
    ...(r.CidrIp ? { IpRanges: [{ CidrIp: String(r.CidrIp), ...(r.Description ? { Description: String(r.Description) } : {}) }] } : {}),
    ...(r.CidrIpv6 ? { Ipv6Ranges: [{ CidrIpv6: String(r.CidrIpv6) }] } : {}),
    ...(r.SourceSecurityGroupId || r.DestinationSecurityGroupId ? { UserIdGroupPairs: [{ GroupId: String(r.SourceSecurityGroupId ?? r.DestinationSecurityGroupId) }] } : {}),
    ...(r.DestinationPrefixListId || r.SourcePrefixListId ? { PrefixListIds: [{ PrefixListId: String(r.DestinationPrefixListId ?? r.SourcePrefixListId) }] } : {}),
  }));
}

const ALLOW_ALL_EGRESS: ec2.IpPermission = { IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] };

function isAllowAll(p: ec2.IpPermission): boolean {
  return p.IpProtocol === '-1' && p.IpRanges?.length === 1 && p.IpRanges[0].CidrIp === '0.0.0.0/0' && !p.UserIdGroupPairs && !p.Ipv6Ranges;
}

/** Creates one networking resource; records its real id under its key. */
export async function applyNetwork(ctx: ApplyContext, n: DesiredNetwork): Promise<void> {
  const ec2Api = ctx.clients.ec2;
  const p = materialize(ctx, n.props);
  const soon = <T>(fn: () => Promise<T>) => retrying(fn, { maxAttempts: 10, baseDelayMs: 1000, sleep: ctx.wait.sleep }, (e) => /NotFound$/.test(errorName(e) ?? ''));
  let id: string | undefined;
  switch (n.cfnType) {
    case 'AWS::EC2::VPC': {
      id = (await ec2Api.createVpc({ CidrBlock: p.CidrBlock as string, ...(p.InstanceTenancy ? { InstanceTenancy: p.InstanceTenancy as ec2.Tenancy } : {}), TagSpecifications: tagSpec(n, 'vpc', p) })).Vpc?.VpcId;
      if (p.EnableDnsSupport === false) await soon(() => ec2Api.modifyVpcAttribute({ VpcId: id, EnableDnsSupport: { Value: false } }));
      if (p.EnableDnsHostnames === true) await soon(() => ec2Api.modifyVpcAttribute({ VpcId: id, EnableDnsHostnames: { Value: true } }));
      break;
    }
    case 'AWS::EC2::InternetGateway':
      id = (await ec2Api.createInternetGateway({ TagSpecifications: tagSpec(n, 'internet-gateway', p) })).InternetGateway?.InternetGatewayId;
      break;
    case 'AWS::EC2::VPCGatewayAttachment':
      await soon(() => ec2Api.attachInternetGateway({ InternetGatewayId: p.InternetGatewayId as string, VpcId: p.VpcId as string }));
      id = n.logicalId;
      break;
    case 'AWS::EC2::Subnet': {
      id = (await soon(() => ec2Api.createSubnet({ VpcId: p.VpcId as string, CidrBlock: p.CidrBlock as string, ...(p.AvailabilityZone ? { AvailabilityZone: p.AvailabilityZone as string } : {}), TagSpecifications: tagSpec(n, 'subnet', p) }))).Subnet?.SubnetId;
      if (p.MapPublicIpOnLaunch === true) await soon(() => ec2Api.modifySubnetAttribute({ SubnetId: id, MapPublicIpOnLaunch: { Value: true } }));
      break;
    }
    case 'AWS::EC2::EIP':
      id = (await ec2Api.allocateAddress({ Domain: 'vpc', TagSpecifications: tagSpec(n, 'elastic-ip', p) })).AllocationId;
      break;
    case 'AWS::EC2::NatGateway':
      id = (await soon(() => ec2Api.createNatGateway({ SubnetId: p.SubnetId as string, AllocationId: p.AllocationId as string, TagSpecifications: tagSpec(n, 'natgateway', p) }))).NatGateway?.NatGatewayId;
      if (id) await waitNatAvailable(ctx, id);
      break;
    case 'AWS::EC2::RouteTable':
      id = (await soon(() => ec2Api.createRouteTable({ VpcId: p.VpcId as string, TagSpecifications: tagSpec(n, 'route-table', p) }))).RouteTable?.RouteTableId;
      break;
    case 'AWS::EC2::Route': {
      const target = Object.fromEntries(['GatewayId', 'NatGatewayId', 'TransitGatewayId', 'VpcEndpointId', 'NetworkInterfaceId', 'VpcPeeringConnectionId'].filter((k) => p[k] !== undefined).map((k) => [k, p[k] as string]));
      await soon(() => ec2Api.createRoute({ RouteTableId: p.RouteTableId as string, DestinationCidrBlock: p.DestinationCidrBlock as string, ...target }));
      id = n.logicalId;
      break;
    }
    case 'AWS::EC2::SubnetRouteTableAssociation':
      id = (await soon(() => ec2Api.associateRouteTable({ RouteTableId: p.RouteTableId as string, SubnetId: p.SubnetId as string }))).AssociationId;
      break;
    case 'AWS::EC2::SecurityGroup': {
      const name = (p.GroupName as string | undefined) ?? `${n.stack}-${n.logicalId}`.slice(0, 255);
      id = (await soon(() => ec2Api.createSecurityGroup({ GroupName: name, Description: (p.GroupDescription as string | undefined) ?? name, ...(p.VpcId ? { VpcId: p.VpcId as string } : {}), TagSpecifications: tagSpec(n, 'security-group', p) }))).GroupId;
      const ingress = ipPermissions(p.SecurityGroupIngress);
      if (ingress.length > 0) await ec2Api.authorizeSecurityGroupIngress({ GroupId: id, IpPermissions: ingress });
      const egress = ipPermissions(p.SecurityGroupEgress);
      if (egress.length > 0 && !(egress.length === 1 && isAllowAll(egress[0]))) {
        await ec2Api.revokeSecurityGroupEgress({ GroupId: id, IpPermissions: [ALLOW_ALL_EGRESS] });
        await ec2Api.authorizeSecurityGroupEgress({ GroupId: id, IpPermissions: egress });
      }
      break;
    }
    case 'AWS::EC2::LaunchTemplate': {
      const name = (p.LaunchTemplateName as string | undefined) ?? `${n.stack}-${n.logicalId}`.slice(0, 128);
      id = (await ec2Api.createLaunchTemplate({ LaunchTemplateName: name, LaunchTemplateData: (p.LaunchTemplateData ?? {}) as ec2.RequestLaunchTemplateData, TagSpecifications: tagSpec(n, 'launch-template', p) })).LaunchTemplate?.LaunchTemplateId;
      break;
    }
    default:
      throw new BatchkitError(PROVISION_ERRORS.failed, 'internal', `batchkit cannot create ${n.cfnType} (${n.origin}).`, { fix: 'Report it; create the resource outside batchkit meanwhile.' });
  }
  if (!id) throw new BatchkitError(PROVISION_ERRORS.failed, 'environment', `EC2 created ${n.name} (${n.origin}) but returned no id.`, { fix: 'Run `batchkit apply` again; it finds the resource by its tags.' });
  ctx.resolved.set(n.key, { name: id, arn: id });
  ctx.log(`created ${n.name}: ${id}`);
}

async function waitNatAvailable(ctx: ApplyContext, id: string): Promise<void> {
  const pollMs = ctx.wait.pollMs ?? 5000;
  const timeoutMs = ctx.wait.timeoutMs ?? 1_800_000;
  const sleep = ctx.wait.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let waited = 0; ; waited += pollMs) {
    const nat = (await ctx.clients.ec2.describeNatGateways({ NatGatewayIds: [id] })).NatGateways?.[0];
    if (nat?.State === 'available') return;
    if (nat?.State === 'failed') {
      throw new BatchkitError(PROVISION_ERRORS.invalid, 'environment', `NAT gateway ${id} failed: ${nat.FailureMessage ?? nat.FailureCode ?? 'no reason given'}.`, { fix: 'Check the Elastic IP and subnet, then run `batchkit apply` again.' });
    }
    if (waited >= timeoutMs) throw new BatchkitError(PROVISION_ERRORS.timeout, 'environment', `NAT gateway ${id} did not become available within ${Math.round(timeoutMs / 1000)} s.`, { fix: 'Run `batchkit apply` again later.' });
    await sleep(pollMs);
  }
}
