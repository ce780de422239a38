/**
 * Field-by-field comparison of a networking resource or launch template with what EC2 has, and
 * which changes EC2 can make in place: VPC DNS attributes (ModifyVpcAttribute), a subnet's public
 * IP mapping (ModifySubnetAttribute), security group rules (Authorize / Revoke), a route's target
 * (ReplaceRoute), a subnet's route table (ReplaceRouteTableAssociation), user tags (CreateTags /
 * DeleteTags) and launch template data (a new version made the default). Everything else that
 * identifies the resource (CIDR blocks, zones, VPCs, names) needs a new resource. A field EC2 did
 * not return is not compared.
 */
import type * as ec2 from '@aws-sdk/client-ec2';
import { optStr, type Props, type PropsOwner } from './cfn-props';
import { LOGICAL_ID_TAG, STACK_TAG, type DesiredNetwork } from './desired';
import type { FieldChange } from './diff';
import { deepEqual, isRecord, prune } from './refs';
import {
  desiredEgress,
  describeRuleDiff,
  diffRules,
  isEmptyRuleDiff,
  rulesFromPermissions,
  rulesFromTemplate,
  type SgRule,
} from './security-group-rules';

type Obj = Record<string, unknown>;

/** Route targets of `AWS::EC2::Route`, as CreateRoute / ReplaceRoute name them. */
export const ROUTE_TARGETS = [
  'GatewayId',
  'NatGatewayId',
  'TransitGatewayId',
  'VpcEndpointId',
  'NetworkInterfaceId',
  'VpcPeeringConnectionId',
  'EgressOnlyInternetGatewayId',
  'InstanceId',
  'CarrierGatewayId',
  'LocalGatewayId',
  'CoreNetworkArn',
] as const satisfies ReadonlyArray<keyof ec2.CreateRouteRequest & keyof ec2.ReplaceRouteRequest>;

/** The target of a route: one of {@link ROUTE_TARGETS}. */
export type RouteTarget = { [K in (typeof ROUTE_TARGETS)[number]]?: string };

/** The target fields an `AWS::EC2::Route` sets (each a string). */
export function routeTarget(p: Props, owner: PropsOwner): RouteTarget {
  const out: RouteTarget = {};
  for (const k of ROUTE_TARGETS) {
    const v = optStr(p, k, owner);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** Why a field cannot change on an existing resource, by type and field. */
const IMMUTABLE: Record<string, Readonly<Record<string, string>>> = {
  'AWS::EC2::VPC': { CidrBlock: 'EC2 cannot change the primary CIDR block of an existing VPC' },
  'AWS::EC2::Subnet': {
    CidrBlock: 'EC2 cannot change the CIDR block of an existing subnet',
    AvailabilityZone: 'a subnet cannot move to another Availability Zone',
    VpcId: 'a subnet cannot move to another VPC',
  },
  'AWS::EC2::SecurityGroup': {
    GroupName: 'EC2 cannot rename a security group',
    GroupDescription: 'EC2 cannot change the description of an existing security group',
    VpcId: 'a security group cannot move to another VPC',
  },
  'AWS::EC2::NatGateway': {
    SubnetId: 'a NAT gateway cannot move to another subnet',
    AllocationId: "EC2 cannot change a NAT gateway's primary Elastic IP",
  },
  'AWS::EC2::RouteTable': { VpcId: 'a route table cannot move to another VPC' },
  'AWS::EC2::LaunchTemplate': { LaunchTemplateName: 'EC2 cannot rename a launch template' },
};

/** Types whose user tags batchkit keeps in step with the template. */
const TAGGED = [
  'AWS::EC2::VPC',
  'AWS::EC2::Subnet',
  'AWS::EC2::SecurityGroup',
  'AWS::EC2::NatGateway',
  'AWS::EC2::EIP',
  'AWS::EC2::InternetGateway',
  'AWS::EC2::RouteTable',
];

/** The name batchkit gives a security group whose template sets none. */
export function securityGroupName(n: DesiredNetwork): string {
  return optStr(n.props, 'GroupName', n) ?? `${n.stack}-${n.logicalId}`.slice(0, 255);
}

/** The name batchkit gives a launch template whose template sets none. */
export function launchTemplateName(n: DesiredNetwork): string {
  return optStr(n.props, 'LaunchTemplateName', n) ?? `${n.stack}-${n.logicalId}`.slice(0, 128);
}

/** The user tags of a tag list, as a sorted map: without `aws:*` tags and batchkit's own. */
export function userTags(list: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = Array.isArray(list) ? list.filter(isRecord) : [];
  for (const t of [...entries].sort((a, b) => String(a.Key).localeCompare(String(b.Key)))) {
    const key = typeof t.Key === 'string' ? t.Key : undefined;
    if (!key || key.startsWith('aws:') || key === STACK_TAG || key === LOGICAL_ID_TAG) continue;
    out[key] = t.Value === undefined || t.Value === null ? '' : String(t.Value);
  }
  return out;
}

/** Tags to set (new or changed values) and keys to delete to turn `from` into `to`. */
export function tagDelta(
  from: Record<string, string>,
  to: Record<string, string>,
): { set: Record<string, string>; remove: string[] } {
  const set: Record<string, string> = {};
  for (const [k, v] of Object.entries(to)) if (from[k] !== v) set[k] = v;
  return { set, remove: Object.keys(from).filter((k) => !(k in to)) };
}

/** A CloudFormation boolean (`true` or `"true"`), or `dflt` when not set. */
export function flag(v: unknown, dflt: boolean): boolean {
  return v === undefined ? dflt : v === true || v === 'true';
}

/** Fields EC2 adds to what it was given (`MetadataOptions.State`: pending / applied), by parent key. */
const SERVER_FIELDS: Record<string, readonly string[]> = { MetadataOptions: ['State'] };

function serverField(parentKey: string, key: string): boolean {
  return SERVER_FIELDS[parentKey]?.includes(key) ?? false;
}

/** Scalars as strings, server-only fields dropped: the form launch template data is compared in. */
function canonicalData(v: unknown, pathKey = ''): unknown {
  if (Array.isArray(v)) return v.map((x) => canonicalData(x, pathKey));
  if (v && typeof v === 'object') {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) if (!serverField(pathKey, k)) out[k] = canonicalData(x, k);
    return out;
  }
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : v;
}

/** Leaf differences of two JSON-like objects, as `<prefix>.<path>` changes (lists are compared whole). */
function leafChanges(prefix: string, from: unknown, to: unknown, out: FieldChange[], key = ''): void {
  const isObj = (x: unknown): x is Obj => !!x && typeof x === 'object' && !Array.isArray(x);
  if (isObj(from) && isObj(to)) {
    for (const k of [...new Set([...Object.keys(from), ...Object.keys(to)])].sort()) {
      if (!serverField(key, k)) leafChanges(`${prefix}.${k}`, from[k], to[k], out, k);
    }
    return;
  }
  if (!deepEqual(prune(canonicalData(from, key)), prune(canonicalData(to, key)))) out.push({ field: prefix, from, to });
}

function ruleChange(
  field: string,
  direction: 'ingress' | 'egress',
  from: SgRule[],
  to: SgRule[],
): FieldChange | undefined {
  const d = diffRules(from, to);
  return isEmptyRuleDiff(d) ? undefined : { field, from, to, summary: describeRuleDiff(d, direction) };
}

/** Wanted value of each immutable field (what batchkit created the resource with). */
function immutableWanted(n: DesiredNetwork): Obj {
  switch (n.cfnType) {
    case 'AWS::EC2::SecurityGroup':
      return {
        GroupName: securityGroupName(n),
        GroupDescription: optStr(n.props, 'GroupDescription', n) ?? securityGroupName(n),
        VpcId: n.props.VpcId,
      };
    case 'AWS::EC2::LaunchTemplate':
      return { LaunchTemplateName: launchTemplateName(n) };
    default:
      return n.props;
  }
}

/** Where EC2 reports each immutable field, when it names it differently. */
const OBSERVED_AS: Record<string, string> = { GroupDescription: 'Description' };

/**
 * Differences of a networking resource or launch template (`existing` in reference space, as read
 * by `observeNetwork`); `replacement` says why a change needs a new resource.
 */
export function diffNetwork(n: DesiredNetwork, existing: Obj): FieldChange[] {
  const out: FieldChange[] = [];
  const p = n.props;
  const wanted = immutableWanted(n);
  for (const [field, why] of Object.entries(IMMUTABLE[n.cfnType] ?? {})) {
    const to = wanted[field];
    const from = existing[OBSERVED_AS[field] ?? field];
    if (to !== undefined && from !== undefined && !deepEqual(canonicalData(to), canonicalData(from)))
      out.push({ field, from, to, replacement: why });
  }
  switch (n.cfnType) {
    case 'AWS::EC2::VPC':
      for (const [field, dflt] of [
        ['EnableDnsSupport', true],
        ['EnableDnsHostnames', false],
      ] as const) {
        const to = flag(p[field], dflt);
        if (existing[field] !== undefined && existing[field] !== to) out.push({ field, from: existing[field], to });
      }
      break;
    case 'AWS::EC2::Subnet': {
      const to = flag(p.MapPublicIpOnLaunch, false);
      if (existing.MapPublicIpOnLaunch !== undefined && existing.MapPublicIpOnLaunch !== to)
        out.push({ field: 'MapPublicIpOnLaunch', from: existing.MapPublicIpOnLaunch, to });
      break;
    }
    case 'AWS::EC2::SecurityGroup': {
      if (Array.isArray(existing.IpPermissions)) {
        const from = rulesFromPermissions(existing.IpPermissions.filter(isRecord));
        const c = ruleChange('SecurityGroupIngress', 'ingress', from, rulesFromTemplate(p.SecurityGroupIngress));
        if (c) out.push(c);
      }
      if (Array.isArray(existing.IpPermissionsEgress)) {
        const from = rulesFromPermissions(existing.IpPermissionsEgress.filter(isRecord));
        const c = ruleChange('SecurityGroupEgress', 'egress', from, desiredEgress(p.SecurityGroupEgress));
        if (c) out.push(c);
      }
      break;
    }
    case 'AWS::EC2::Route': {
      const target = existing.Target;
      if (!isRecord(target)) break;
      const to = Object.fromEntries(ROUTE_TARGETS.filter((k) => p[k] !== undefined).map((k) => [k, p[k]]));
      // A gateway load balancer endpoint route is listed under GatewayId.
      const same = Object.entries(to).every(
        ([k, v]) => target[k] === v || (k === 'VpcEndpointId' && target.GatewayId === v),
      );
      if (!same) out.push({ field: 'Target', from: target, to });
      break;
    }
    case 'AWS::EC2::SubnetRouteTableAssociation':
      if (existing.RouteTableId !== undefined && existing.RouteTableId !== p.RouteTableId)
        out.push({ field: 'RouteTableId', from: existing.RouteTableId, to: p.RouteTableId });
      break;
    case 'AWS::EC2::LaunchTemplate': {
      if (existing.LaunchTemplateData === undefined) break;
      const data: FieldChange[] = [];
      leafChanges('LaunchTemplateData', existing.LaunchTemplateData, p.LaunchTemplateData ?? {}, data);
      const latest: FieldChange[] = [];
      if (existing.LatestLaunchTemplateData !== undefined)
        leafChanges('LaunchTemplateData', existing.LatestLaunchTemplateData, p.LaunchTemplateData ?? {}, latest);
      // The newest version already holds the data (an earlier apply stopped before making it the default).
      if (data.length > 0 && existing.LatestLaunchTemplateData !== undefined && latest.length === 0) {
        const to = String(existing.LatestVersionNumber);
        out.push({
          field: 'DefaultVersionNumber',
          from: String(existing.DefaultVersionNumber),
          to,
          summary:
            `${String(existing.DefaultVersionNumber)} → ${to}: version ${to} ` +
            `already has the new data and becomes the default`,
        });
      } else out.push(...data);
      break;
    }
    default:
      break;
  }
  if (TAGGED.includes(n.cfnType) && Array.isArray(existing.Tags)) {
    const from = userTags(existing.Tags);
    const to = userTags(p.Tags);
    const d = tagDelta(from, to);
    if (Object.keys(d.set).length > 0 || d.remove.length > 0) {
      const parts = [
        ...(Object.keys(d.set).length > 0
          ? [
              `sets ` +
                `${Object.entries(d.set)
                  .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
                  .join(', ')}`,
            ]
          : []),
        ...(d.remove.length > 0 ? [`removes ${d.remove.join(', ')}`] : []),
      ];
      out.push({ field: 'Tags', from, to, summary: parts.join('; ') });
    }
  }
  return out;
}
