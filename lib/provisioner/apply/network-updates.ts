/**
 * In-place updates of networking resources and launch templates, one EC2 call per change as the
 * plan lists them: ModifyVpcAttribute (one attribute per call), ModifySubnetAttribute, security
 * group rules (authorize what is new, update changed descriptions, then revoke what is gone, so a
 * group that should allow egress never has none), ReplaceRoute, ReplaceRouteTableAssociation,
 * CreateTags / DeleteTags, and for a launch template CreateLaunchTemplateVersion with the full new
 * data followed by ModifyLaunchTemplate to make that version the default.
 */
import { BatchkitError } from '../../core/errors';
import type { DesiredNetwork } from '../plan/desired';
import type { FieldChange } from '../plan/diff';
import { launchTemplateData } from '../clients/ec2-map';
import { optStr, str, type Props } from '../plan/cfn-props';
import { flag, routeTarget, tagDelta } from '../plan/network-diff';
import { isRecord } from '../plan/refs';
import type { PlanAction } from '../plan/plan';
import { diffRules, rulesOf, toPermission, type SgRule } from '../plan/security-group-rules';
import { materialize, type ApplyContext } from './context';
import { PROVISION_ERRORS } from './waiters';

/** A tag map of a plan change (`userTags` output): its string entries. */
function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isRecord(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

/**
 * Turns the rules of one direction of a security group from `from` into `to` (both in reference
 * space): authorizes new rules, updates the descriptions of kept ones, then revokes the rest.
 */
export async function applyRuleChanges(
  ctx: ApplyContext,
  groupId: string,
  direction: 'ingress' | 'egress',
  from: readonly SgRule[],
  to: readonly SgRule[],
): Promise<void> {
  const d = diffRules(materialize(ctx, from), materialize(ctx, to));
  const ec2 = ctx.clients.ec2;
  if (d.add.length > 0) {
    const input = { GroupId: groupId, IpPermissions: d.add.map((r) => toPermission(r)) };
    await (direction === 'ingress'
      ? ec2.authorizeSecurityGroupIngress(input)
      : ec2.authorizeSecurityGroupEgress(input));
  }
  if (d.redescribe.length > 0) {
    const input = { GroupId: groupId, IpPermissions: d.redescribe.map((r) => toPermission(r)) };
    await (direction === 'ingress'
      ? ec2.updateSecurityGroupRuleDescriptionsIngress(input)
      : ec2.updateSecurityGroupRuleDescriptionsEgress(input));
  }
  if (d.remove.length > 0) {
    const input = { GroupId: groupId, IpPermissions: d.remove.map((r) => toPermission(r, false)) };
    await (direction === 'ingress' ? ec2.revokeSecurityGroupIngress(input) : ec2.revokeSecurityGroupEgress(input));
  }
}

function change(action: PlanAction, field: string): FieldChange | undefined {
  return action.changes.find((c) => c.field === field);
}

function existingId(ctx: ApplyContext, n: DesiredNetwork): string {
  const id = ctx.resolved.get(n.key)?.name;
  if (!id) {
    throw new BatchkitError(
      PROVISION_ERRORS.failed,
      'internal',
      `${n.name} (${n.origin}) is planned as an update but its EC2 id is not known.`,
      {
        fix:
          'Run `batchkit plan` and `batchkit apply` again; if it repeats, report ' +
          'it with the plan (`batchkit plan --json`).',
      },
    );
  }
  return id;
}

async function updateTags(ctx: ApplyContext, id: string, c: FieldChange): Promise<void> {
  const d = tagDelta(materialize(ctx, stringMap(c.from)), materialize(ctx, stringMap(c.to)));
  if (Object.keys(d.set).length > 0)
    await ctx.clients.ec2.createTags({
      Resources: [id],
      Tags: Object.entries(d.set).map(([Key, Value]) => ({ Key, Value })),
    });
  if (d.remove.length > 0)
    await ctx.clients.ec2.deleteTags({ Resources: [id], Tags: d.remove.map((Key) => ({ Key })) });
}

async function updateVpc(ctx: ApplyContext, action: PlanAction, id: string): Promise<void> {
  const support = change(action, 'EnableDnsSupport');
  const hostnames = change(action, 'EnableDnsHostnames');
  const setSupport = async () => {
    if (support)
      await ctx.clients.ec2.modifyVpcAttribute({ VpcId: id, EnableDnsSupport: { Value: support.to === true } });
  };
  const setHostnames = async () => {
    if (hostnames)
      await ctx.clients.ec2.modifyVpcAttribute({ VpcId: id, EnableDnsHostnames: { Value: hostnames.to === true } });
  };
  // DNS hostnames need DNS support: turn support on first, or hostnames off before support goes off.
  if (support?.to === true) {
    await setSupport();
    await setHostnames();
  } else {
    await setHostnames();
    await setSupport();
  }
}

async function updateLaunchTemplate(ctx: ApplyContext, n: DesiredNetwork, id: string, p: Props): Promise<void> {
  const ec2 = ctx.clients.ec2;
  const data = launchTemplateData(p, n);
  const out = await ec2.createLaunchTemplateVersion({ LaunchTemplateId: id, LaunchTemplateData: data });
  const version = out.LaunchTemplateVersion?.VersionNumber;
  if (version === undefined) {
    throw new BatchkitError(
      PROVISION_ERRORS.failed,
      'environment',
      `EC2 created a version of launch template ${id} (${n.origin}) but returned no version number.`,
      {
        fix:
          'Run `batchkit apply` again; it compares the template with the default ' +
          'version and creates the version again if needed.',
      },
    );
  }
  ctx.log(`${n.name}: created version ${version}`);
  await makeDefaultVersion(ctx, n, id, String(version));
}

/** ModifyLaunchTemplate: makes `version` (the newest) the default. */
async function makeDefaultVersion(ctx: ApplyContext, n: DesiredNetwork, id: string, version: string): Promise<void> {
  await ctx.clients.ec2.modifyLaunchTemplate({ LaunchTemplateId: id, DefaultVersion: version });
  ctx.resolved.set(n.key, {
    name: id,
    arn: id,
    attributes: { LatestVersionNumber: version, DefaultVersionNumber: version },
  });
  ctx.log(`${n.name}: version ${version} is the default`);
}

/** Updates one networking resource or launch template in place, as its plan action lists. */
export async function updateNetwork(ctx: ApplyContext, action: PlanAction, n: DesiredNetwork): Promise<void> {
  const ec2 = ctx.clients.ec2;
  const p = materialize(ctx, n.props);
  switch (n.cfnType) {
    case 'AWS::EC2::VPC':
      await updateVpc(ctx, action, existingId(ctx, n));
      break;
    case 'AWS::EC2::Subnet':
      if (change(action, 'MapPublicIpOnLaunch'))
        await ec2.modifySubnetAttribute({
          SubnetId: existingId(ctx, n),
          MapPublicIpOnLaunch: { Value: flag(p.MapPublicIpOnLaunch, false) },
        });
      break;
    case 'AWS::EC2::SecurityGroup':
      for (const [field, direction] of [
        ['SecurityGroupIngress', 'ingress'],
        ['SecurityGroupEgress', 'egress'],
      ] as const) {
        const c = change(action, field);
        if (c) await applyRuleChanges(ctx, existingId(ctx, n), direction, rulesOf(c.from), rulesOf(c.to));
      }
      break;
    case 'AWS::EC2::Route':
      if (change(action, 'Target')) {
        await ec2.replaceRoute({
          RouteTableId: str(p, 'RouteTableId', n),
          DestinationCidrBlock: optStr(p, 'DestinationCidrBlock', n),
          ...routeTarget(p, n),
        });
      }
      break;
    case 'AWS::EC2::SubnetRouteTableAssociation':
      if (change(action, 'RouteTableId')) {
        const associationId = ctx.resolved.get(n.key)?.attributes?.AssociationId;
        if (!associationId) {
          throw new BatchkitError(
            PROVISION_ERRORS.failed,
            'environment',
            `The route table association of ${n.name} (${n.origin}) has no association id in EC2's answer.`,
            {
              fix: 'Check the subnet in the EC2 console and run `batchkit apply` again.',
            },
          );
        }
        const RouteTableId = str(p, 'RouteTableId', n);
        const out = await ec2.replaceRouteTableAssociation({ AssociationId: associationId, RouteTableId });
        const next = out.NewAssociationId ?? associationId;
        ctx.resolved.set(n.key, { name: next, arn: next, attributes: { AssociationId: next } });
      }
      break;
    case 'AWS::EC2::LaunchTemplate': {
      const makeDefault = change(action, 'DefaultVersionNumber');
      if (makeDefault) await makeDefaultVersion(ctx, n, existingId(ctx, n), String(makeDefault.to));
      else if (action.changes.some((c) => c.field.startsWith('LaunchTemplateData')))
        await updateLaunchTemplate(ctx, n, existingId(ctx, n), p);
      break;
    }
    default:
      break;
  }
  const tags = change(action, 'Tags');
  if (tags) await updateTags(ctx, existingId(ctx, n), tags);
  ctx.log(`updated ${n.name}: ${action.changes.map((c) => c.field).join(', ')}`);
}
