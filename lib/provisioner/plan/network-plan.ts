/**
 * What the plan adds for networking: the blocker for a networking change that needs a new
 * resource, and the launch template version numbers as they will be after apply, which the
 * compute environments that follow a launch template are compared with.
 */
import type { DesiredComputeEnvironment, DesiredNetwork } from './desired';
import type { FieldChange } from './diff';
import { attributeToken, deepEqual, isRecord, prune, refKeyOf } from './refs';

const VERSION_ATTRIBUTES = ['LatestVersionNumber', 'DefaultVersionNumber'] as const;

/**
 * Records the version numbers a launch template will have after apply (`ref(<key>).<attribute>` →
 * number) and returns the number of the version an update creates. A new template's first version
 * is 1; a data change creates version latest + 1 and makes it the default; a newer version that
 * already holds the data becomes the default; otherwise the numbers stay.
 */
export function plannedVersions(
  n: DesiredNetwork,
  action: string,
  changes: readonly FieldChange[],
  observed: Readonly<Record<string, string>> | undefined,
  versions: Map<string, string>,
): string | undefined {
  if (n.cfnType !== 'AWS::EC2::LaunchTemplate') return undefined;
  const set = (latest: string | undefined, dflt: string | undefined) => {
    if (latest !== undefined) versions.set(attributeToken(n.key, 'LatestVersionNumber'), latest);
    if (dflt !== undefined) versions.set(attributeToken(n.key, 'DefaultVersionNumber'), dflt);
  };
  if (action === 'create') {
    set('1', '1');
    return '1';
  }
  const latest = observed?.LatestVersionNumber;
  if (action === 'update' && changes.some((c) => c.field === 'DefaultVersionNumber')) {
    set(latest, latest);
    return undefined;
  }
  if (action === 'update' && latest !== undefined && /^\d+$/.test(latest)) {
    const next = String(Number(latest) + 1);
    set(next, next);
    return next;
  }
  set(latest, observed?.DefaultVersionNumber);
  return undefined;
}

/**
 * The compute environment with its launch template version token replaced by the number planned
 * for it (or, while that is unknown, the version as the model holds it): what is compared with
 * the existing environment.
 */
export function resolveLaunchTemplateVersion(
  ce: DesiredComputeEnvironment,
  versions: ReadonlyMap<string, string>,
): DesiredComputeEnvironment {
  const link = ce.launchTemplateVersion;
  const lt = ce.spec.computeResources?.launchTemplate;
  if (!link || !lt || !VERSION_ATTRIBUTES.includes(link.attribute)) return ce;
  const version = versions.get(attributeToken(link.key, link.attribute)) ?? link.modelValue;
  const { version: _token, ...rest } = lt;
  const launchTemplate = version === undefined ? rest : { ...rest, version };
  const cr = ce.spec.computeResources;
  return cr ? { ...ce, spec: { ...ce.spec, computeResources: { ...cr, launchTemplate } } } : ce;
}

/**
 * Drops the launch template change of a compute environment that holds the symbolic version its
 * template asks for (`$Latest`, `$Default` or none, as created before batchkit pinned numbers)
 * while the launch template gets no new version in this plan: the environment already runs that
 * version, and pinning the number alone is not worth an infrastructure update or a replacement.
 * `moved` holds the keys of launch templates that get a new default version in this plan.
 */
export function keepSymbolicVersion(
  ce: DesiredComputeEnvironment,
  changes: FieldChange[],
  moved: ReadonlySet<string>,
): FieldChange[] {
  const link = ce.launchTemplateVersion;
  if (!link || moved.has(link.key)) return changes;
  return changes.filter((c) => {
    if (c.field !== 'computeResources.launchTemplate') return true;
    const from = isRecord(c.from) ? c.from : {};
    const to = isRecord(c.to) ? c.to : {};
    const symbolic =
      link.attribute === 'LatestVersionNumber'
        ? from.version === '$Latest'
        : from.version === undefined || from.version === '$Default';
    return !(symbolic && deepEqual(prune({ ...from, version: undefined }), prune({ ...to, version: undefined })));
  });
}

/** A value for a message: references to the app's resources in CloudFormation notation (`{"Ref":"PublicSubnet"}`). */
function show(v: unknown): string {
  if (v === undefined) return '(not set)';
  const readable = (x: unknown): unknown => {
    if (typeof x === 'string') {
      const key = refKeyOf(x);
      return key
        ? { Ref: key.startsWith('Network:') ? key.slice(key.lastIndexOf('/') + 1) : key.slice(key.indexOf(':') + 1) }
        : x;
    }
    if (Array.isArray(x)) return x.map(readable);
    if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, y]) => [k, readable(y)]));
    return x;
  };
  return JSON.stringify(readable(v));
}

/**
 * The blocker for a networking change that needs a new resource: the resource, its template
 * logical id, the field with its old and new value, why EC2 cannot change it, and the fix.
 */
export function networkBlocker(n: DesiredNetwork, realId: string, c: FieldChange): string {
  const kind = n.cfnType.split('::')[2];
  return (
    `${kind} ${realId} (logical id ${n.logicalId} in stack ${n.stack}, ` +
    `${n.cfnType}): ${c.field} would change from ${show(c.from)} to ${show(c.to)}, ` +
    `which needs a new ${kind}: ${c.replacement}. batchkit does not replace networking in place. ` +
    `Fix: keep ${c.field} ${show(c.from)} in the app, or run \`batchkit ` +
    `destroy --stack ${n.stack}\` and then \`batchkit apply\` to recreate the stack with the new value.`
  );
}
