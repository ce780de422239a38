/**
 * Security group rules as sets: CloudFormation's `SecurityGroupIngress` / `SecurityGroupEgress`
 * entries and EC2's `IpPermissions` both become {@link SgRule}s, one per (protocol, ports, one
 * source or destination). Two rules are the same rule when all but the description match, as EC2
 * sees them (authorizing a rule that differs only in description is a duplicate).
 */
import type * as ec2 from '@aws-sdk/client-ec2';
import { isRecord } from './refs';

/** One normalized rule: exactly one of `CidrIp`, `CidrIpv6`, `GroupId`, `PrefixListId`. */
export interface SgRule {
  /** `tcp`, `udp`, `icmp`, `icmpv6`, `-1` (all) or another protocol number. */
  readonly IpProtocol: string;
  /** First port (ICMP type); absent for protocols without ports. */
  readonly FromPort?: number;
  /** Last port (ICMP code). */
  readonly ToPort?: number;
  /** IPv4 range. */
  readonly CidrIp?: string;
  /** IPv6 range. */
  readonly CidrIpv6?: string;
  /** Security group (source for ingress, destination for egress). */
  readonly GroupId?: string;
  /** Managed prefix list. */
  readonly PrefixListId?: string;
  /** Rule description. */
  readonly Description?: string;
}

/** The rule a new VPC security group starts with, and what CloudFormation means by "no egress rules". */
export const ALLOW_ALL_EGRESS: SgRule = { IpProtocol: '-1', CidrIp: '0.0.0.0/0' };

const PROTOCOL_NAMES: Record<string, string> = { '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6', all: '-1' };
const WITH_PORTS = ['tcp', 'udp', 'icmp', 'icmpv6'];

type Obj = Record<string, unknown>;

function text(v: unknown): string | undefined {
  return v === undefined || v === null || v === '' ? undefined : String(v);
}

function rule(protocol: unknown, from: unknown, to: unknown, target: Partial<SgRule>, description: unknown): SgRule {
  const p = String(protocol ?? '-1').toLowerCase();
  const IpProtocol = PROTOCOL_NAMES[p] ?? p;
  const ports =
    WITH_PORTS.includes(IpProtocol) && from !== undefined && from !== null
      ? { FromPort: Number(from), ToPort: Number(to ?? from) }
      : {};
  const d = text(description);
  return { IpProtocol, ...ports, ...target, ...(d ? { Description: d } : {}) };
}

/** CloudFormation rules (ingress or egress entries) → rules. */
export function rulesFromTemplate(entries: unknown): SgRule[] {
  if (!Array.isArray(entries)) return [];
  const out: SgRule[] = [];
  for (const e of entries.filter(isRecord)) {
    const targets: Array<Partial<SgRule>> = [];
    if (text(e.CidrIp)) targets.push({ CidrIp: String(e.CidrIp) });
    if (text(e.CidrIpv6)) targets.push({ CidrIpv6: String(e.CidrIpv6) });
    const group = text(e.SourceSecurityGroupId) ?? text(e.DestinationSecurityGroupId);
    if (group) targets.push({ GroupId: group });
    const prefixList = text(e.SourcePrefixListId) ?? text(e.DestinationPrefixListId);
    if (prefixList) targets.push({ PrefixListId: prefixList });
    for (const t of targets) out.push(rule(e.IpProtocol, e.FromPort, e.ToPort, t, e.Description));
  }
  return sortRules(out);
}

/** The egress rules a template asks for: its entries, or allow-all when it has none (as CloudFormation does). */
export function desiredEgress(entries: unknown): SgRule[] {
  const rules = rulesFromTemplate(entries);
  return rules.length > 0 ? rules : [ALLOW_ALL_EGRESS];
}

/** EC2 permissions (DescribeSecurityGroups `IpPermissions` / `IpPermissionsEgress`) → rules. */
export function rulesFromPermissions(perms: ReadonlyArray<Obj> | undefined): SgRule[] {
  const out: SgRule[] = [];
  for (const p of perms ?? []) {
    const each = (list: unknown, pick: (x: Obj) => Partial<SgRule> | undefined) => {
      for (const x of Array.isArray(list) ? list.filter(isRecord) : []) {
        const t = pick(x);
        if (t) out.push(rule(p.IpProtocol, p.FromPort, p.ToPort, t, x.Description));
      }
    };
    each(p.IpRanges, (x) => (text(x.CidrIp) ? { CidrIp: String(x.CidrIp) } : undefined));
    each(p.Ipv6Ranges, (x) => (text(x.CidrIpv6) ? { CidrIpv6: String(x.CidrIpv6) } : undefined));
    each(p.UserIdGroupPairs, (x) => (text(x.GroupId) ? { GroupId: String(x.GroupId) } : undefined));
    each(p.PrefixListIds, (x) => (text(x.PrefixListId) ? { PrefixListId: String(x.PrefixListId) } : undefined));
  }
  return sortRules(out);
}

const RULE_TARGETS = ['CidrIp', 'CidrIpv6', 'GroupId', 'PrefixListId'] as const;

/** True for a {@link SgRule}: a string protocol, numeric ports if any, string target and description fields. */
export function isSgRule(v: unknown): v is SgRule {
  if (!isRecord(v) || typeof v.IpProtocol !== 'string') return false;
  const optional = (k: string, type: 'string' | 'number') => v[k] === undefined || typeof v[k] === type;
  const ports = optional('FromPort', 'number') && optional('ToPort', 'number');
  return ports && optional('Description', 'string') && RULE_TARGETS.every((k) => optional(k, 'string'));
}

/** The rules of a plan change's `from` or `to` (a security group direction's rule list). */
export function rulesOf(v: unknown): SgRule[] {
  return Array.isArray(v) ? v.filter(isSgRule) : [];
}

/** The identity of a rule: everything but the description. */
export function ruleIdentity(r: SgRule): string {
  return JSON.stringify([
    r.IpProtocol,
    r.FromPort ?? null,
    r.ToPort ?? null,
    r.CidrIp ?? null,
    r.CidrIpv6 ?? null,
    r.GroupId ?? null,
    r.PrefixListId ?? null,
  ]);
}

function sortRules(rules: SgRule[]): SgRule[] {
  const unique = new Map<string, SgRule>();
  for (const r of rules) if (!unique.has(ruleIdentity(r))) unique.set(ruleIdentity(r), r);
  return [...unique.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
}

/** How one rule set becomes another. */
export interface RuleDiff {
  /** Rules to authorize. */
  readonly add: SgRule[];
  /** Rules to revoke. */
  readonly remove: SgRule[];
  /** Rules that stay but get a new description (the desired rule). */
  readonly redescribe: SgRule[];
}

/** The difference between the rules that exist and the rules wanted. */
export function diffRules(from: readonly SgRule[], to: readonly SgRule[]): RuleDiff {
  const before = new Map(from.map((r) => [ruleIdentity(r), r]));
  const after = new Map(to.map((r) => [ruleIdentity(r), r]));
  return {
    add: [...after].filter(([k]) => !before.has(k)).map(([, r]) => r),
    remove: [...before].filter(([k]) => !after.has(k)).map(([, r]) => r),
    redescribe: [...after]
      .filter(([k, r]) => {
        const b = before.get(k);
        return b !== undefined && b.Description !== r.Description;
      })
      .map(([, r]) => r),
  };
}

/** True when the diff changes nothing. */
export function isEmptyRuleDiff(d: RuleDiff): boolean {
  return d.add.length === 0 && d.remove.length === 0 && d.redescribe.length === 0;
}

/** A rule in words: `tcp 443 from 10.0.0.0/16 ("https")`. */
export function describeRule(r: SgRule, direction: 'ingress' | 'egress'): string {
  const proto =
    r.IpProtocol === '-1'
      ? 'all traffic'
      : r.FromPort === undefined
        ? `protocol ${r.IpProtocol}`
        : `${r.IpProtocol} ${r.FromPort === r.ToPort ? r.FromPort : `${r.FromPort}-${r.ToPort}`}`;
  const peer = r.CidrIp ?? r.CidrIpv6 ?? (r.GroupId ? `group ${r.GroupId}` : `prefix list ${r.PrefixListId}`);
  return (
    `${proto} ${direction === 'ingress' ? 'from' : 'to'} ${peer}` +
    `${r.Description ? ` (${JSON.stringify(r.Description)})` : ''}`
  );
}

/** A rule diff in words: `adds …; removes …; changes the description of …`. */
export function describeRuleDiff(d: RuleDiff, direction: 'ingress' | 'egress'): string {
  const parts: string[] = [];
  if (d.add.length > 0) parts.push(`adds ${d.add.map((r) => describeRule(r, direction)).join(', ')}`);
  if (d.remove.length > 0) parts.push(`removes ${d.remove.map((r) => describeRule(r, direction)).join(', ')}`);
  if (d.redescribe.length > 0)
    parts.push(`changes the description of ${d.redescribe.map((r) => describeRule(r, direction)).join(', ')}`);
  return parts.join('; ');
}

/** One rule as an EC2 permission (with its description unless `withDescription` is false). */
export function toPermission(r: SgRule, withDescription = true): ec2.IpPermission {
  const d = withDescription && r.Description ? { Description: r.Description } : {};
  return {
    IpProtocol: r.IpProtocol,
    ...(r.FromPort !== undefined ? { FromPort: r.FromPort, ToPort: r.ToPort } : {}),
    ...(r.CidrIp ? { IpRanges: [{ CidrIp: r.CidrIp, ...d }] } : {}),
    ...(r.CidrIpv6 ? { Ipv6Ranges: [{ CidrIpv6: r.CidrIpv6, ...d }] } : {}),
    ...(r.GroupId ? { UserIdGroupPairs: [{ GroupId: r.GroupId, ...d }] } : {}),
    ...(r.PrefixListId ? { PrefixListIds: [{ PrefixListId: r.PrefixListId, ...d }] } : {}),
  };
}
