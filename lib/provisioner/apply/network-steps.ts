/**
 * Creating EC2 networking and launch templates from their CloudFormation properties. Every created
 * resource is tagged `batchkit:stack` and `batchkit:logical-id` (so plan finds it and destroy
 * removes it); NAT gateways are waited for until `available`. Creates right after a parent's are
 * retried on EC2's eventually consistent `*.NotFound`.
 */
import type * as ec2 from '@aws-sdk/client-ec2';
import { BatchkitError } from '../../core/errors';
import { required } from '../clients/map-util';
import { errorName, retrying } from '../clients/retry';
import { LOGICAL_ID_TAG, STACK_TAG, type DesiredNetwork } from '../plan/desired';
import { launchTemplateData } from '../clients/ec2-map';
import { optStr, str, tagList, type Props } from '../plan/cfn-props';
import { flag, launchTemplateName, routeTarget, securityGroupName } from '../plan/network-diff';
import { ALLOW_ALL_EGRESS, desiredEgress, rulesFromTemplate } from '../plan/security-group-rules';
import { materialize, type ApplyContext } from './context';
import { applyRuleChanges } from './network-updates';
import { PROVISION_ERRORS } from './waiters';

const TENANCIES: readonly ec2.Tenancy[] = ['default', 'dedicated', 'host'];

function tagSpec(n: DesiredNetwork, resourceType: ec2.ResourceType, props: Props): ec2.TagSpecification[] {
  const own = tagList(props, 'Tags', n).filter(
    (t) => !t.Key.startsWith('aws:') && t.Key !== STACK_TAG && t.Key !== LOGICAL_ID_TAG,
  );
  return [
    {
      ResourceType: resourceType,
      Tags: [...own, { Key: STACK_TAG, Value: n.stack }, { Key: LOGICAL_ID_TAG, Value: n.logicalId }],
    },
  ];
}

/** Creates one networking resource; records its real id under its key. */
export async function applyNetwork(ctx: ApplyContext, n: DesiredNetwork): Promise<void> {
  const ec2Api = ctx.clients.ec2;
  const p = materialize(ctx, n.props);
  const soon = <T>(fn: () => Promise<T>) =>
    retrying(fn, { maxAttempts: 10, baseDelayMs: 1000, sleep: ctx.wait.sleep }, (e) =>
      /NotFound$/.test(errorName(e) ?? ''),
    );
  let id: string | undefined;
  switch (n.cfnType) {
    case 'AWS::EC2::VPC': {
      const tenancy = optStr(p, 'InstanceTenancy', n);
      const resource = `${n.cfnType} "${n.logicalId}" in stack ${n.stack}`;
      const InstanceTenancy =
        tenancy === undefined ? undefined : required(TENANCIES, tenancy, resource, 'InstanceTenancy', 'app');
      const vpc = {
        CidrBlock: str(p, 'CidrBlock', n),
        ...(InstanceTenancy ? { InstanceTenancy } : {}),
        TagSpecifications: tagSpec(n, 'vpc', p),
      };
      id = (await ec2Api.createVpc(vpc)).Vpc?.VpcId;
      if (!flag(p.EnableDnsSupport, true))
        await soon(() => ec2Api.modifyVpcAttribute({ VpcId: id, EnableDnsSupport: { Value: false } }));
      if (flag(p.EnableDnsHostnames, false))
        await soon(() => ec2Api.modifyVpcAttribute({ VpcId: id, EnableDnsHostnames: { Value: true } }));
      break;
    }
    case 'AWS::EC2::InternetGateway':
      id = (await ec2Api.createInternetGateway({ TagSpecifications: tagSpec(n, 'internet-gateway', p) }))
        .InternetGateway?.InternetGatewayId;
      break;
    case 'AWS::EC2::VPCGatewayAttachment': {
      const attachment = { InternetGatewayId: str(p, 'InternetGatewayId', n), VpcId: str(p, 'VpcId', n) };
      await soon(() => ec2Api.attachInternetGateway(attachment));
      id = n.logicalId;
      break;
    }
    case 'AWS::EC2::Subnet': {
      const zone = optStr(p, 'AvailabilityZone', n);
      const subnet = {
        VpcId: str(p, 'VpcId', n),
        CidrBlock: str(p, 'CidrBlock', n),
        ...(zone ? { AvailabilityZone: zone } : {}),
        TagSpecifications: tagSpec(n, 'subnet', p),
      };
      id = (await soon(() => ec2Api.createSubnet(subnet))).Subnet?.SubnetId;
      if (flag(p.MapPublicIpOnLaunch, false))
        await soon(() => ec2Api.modifySubnetAttribute({ SubnetId: id, MapPublicIpOnLaunch: { Value: true } }));
      break;
    }
    case 'AWS::EC2::EIP':
      id = (await ec2Api.allocateAddress({ Domain: 'vpc', TagSpecifications: tagSpec(n, 'elastic-ip', p) }))
        .AllocationId;
      break;
    case 'AWS::EC2::NatGateway': {
      const nat = {
        SubnetId: str(p, 'SubnetId', n),
        AllocationId: str(p, 'AllocationId', n),
        TagSpecifications: tagSpec(n, 'natgateway', p),
      };
      id = (await soon(() => ec2Api.createNatGateway(nat))).NatGateway?.NatGatewayId;
      if (id) await waitNatAvailable(ctx, id);
      break;
    }
    case 'AWS::EC2::RouteTable': {
      const table = { VpcId: str(p, 'VpcId', n), TagSpecifications: tagSpec(n, 'route-table', p) };
      id = (await soon(() => ec2Api.createRouteTable(table))).RouteTable?.RouteTableId;
      break;
    }
    case 'AWS::EC2::Route': {
      const route = {
        RouteTableId: str(p, 'RouteTableId', n),
        DestinationCidrBlock: optStr(p, 'DestinationCidrBlock', n),
        ...routeTarget(p, n),
      };
      await soon(() => ec2Api.createRoute(route));
      id = n.logicalId;
      break;
    }
    case 'AWS::EC2::SubnetRouteTableAssociation': {
      const association = { RouteTableId: str(p, 'RouteTableId', n), SubnetId: str(p, 'SubnetId', n) };
      const associationId = (await soon(() => ec2Api.associateRouteTable(association))).AssociationId;
      if (associationId) {
        ctx.resolved.set(n.key, {
          name: associationId,
          arn: associationId,
          attributes: { AssociationId: associationId },
        });
        ctx.log(`created ${n.name}: ${associationId}`);
        return;
      }
      break;
    }
    case 'AWS::EC2::SecurityGroup': {
      const name = securityGroupName(n);
      const vpcId = optStr(p, 'VpcId', n);
      const group = {
        GroupName: name,
        Description: optStr(p, 'GroupDescription', n) ?? name,
        ...(vpcId ? { VpcId: vpcId } : {}),
        TagSpecifications: tagSpec(n, 'security-group', p),
      };
      const groupId = (await soon(() => ec2Api.createSecurityGroup(group))).GroupId;
      id = groupId;
      // A new group has no ingress and allows all egress: authorize what the template adds, then revoke the
      // default if unwanted.
      if (groupId) {
        await applyRuleChanges(ctx, groupId, 'ingress', [], rulesFromTemplate(p.SecurityGroupIngress));
        await applyRuleChanges(ctx, groupId, 'egress', [ALLOW_ALL_EGRESS], desiredEgress(p.SecurityGroupEgress));
      }
      break;
    }
    case 'AWS::EC2::LaunchTemplate': {
      const out = await ec2Api.createLaunchTemplate({
        LaunchTemplateName: launchTemplateName(n),
        LaunchTemplateData: launchTemplateData(p, n),
        TagSpecifications: tagSpec(n, 'launch-template', p),
      });
      id = out.LaunchTemplate?.LaunchTemplateId;
      // A new template has version 1, which is its default.
      if (id) {
        ctx.resolved.set(n.key, {
          name: id,
          arn: id,
          attributes: {
            LatestVersionNumber: String(out.LaunchTemplate?.LatestVersionNumber ?? 1),
            DefaultVersionNumber: String(out.LaunchTemplate?.DefaultVersionNumber ?? 1),
          },
        });
        ctx.log(`created ${n.name}: ${id}`);
        return;
      }
      break;
    }
    default:
      throw new BatchkitError(
        PROVISION_ERRORS.failed,
        'internal',
        `batchkit cannot create ${n.cfnType} (${n.origin}).`,
        { fix: 'Report it; create the resource outside batchkit meanwhile.' },
      );
  }
  if (!id)
    throw new BatchkitError(
      PROVISION_ERRORS.failed,
      'environment',
      `EC2 created ${n.name} (${n.origin}) but returned no id.`,
      { fix: 'Run `batchkit apply` again; it finds the resource by its tags.' },
    );
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
      throw new BatchkitError(
        PROVISION_ERRORS.invalid,
        'environment',
        `NAT gateway ${id} failed: ${nat.FailureMessage ?? nat.FailureCode ?? 'no reason given'}.`,
        { fix: 'Check the Elastic IP and subnet, then run `batchkit apply` again.' },
      );
    }
    if (waited >= timeoutMs)
      throw new BatchkitError(
        PROVISION_ERRORS.timeout,
        'environment',
        `NAT gateway ${id} did not become available within ${Math.round(timeoutMs / 1000)} s.`,
        { fix: 'Run `batchkit apply` again later.' },
      );
    await sleep(pollMs);
  }
}
