/**
 * The desired state: what the loaded {@link BatchModel} asks for, as the resources batchkit creates
 * through the SDK, each with a key (`Kind:name`), the stack it belongs to (the value of the
 * `batchkit:stack` tag) and its request spec with references turned into `ref(<key>)`.
 */
import type { BatchModel, DockerImageAssetModel } from '../../core/model/batch-model';
import type { SchedulingPolicy } from '../../core/model/job-queue';
import type { ComputeEnvironmentSpec, JobQueueSpec } from '../clients/batch-map';
import type { JobDefinitionSpec } from '../clients/batch-job-map';
import { describeUnresolved, isUnresolved } from '../../core/model/unresolved';
import type { InlinePolicies } from './iam-reader';
import type { LaunchTemplateVersionReference, NetworkResource } from './network-reader';
import { imageAssetsOf } from './image-desired';
import { attributeToken, mapReferencesIn, refKeyOf, refToken } from './refs';

/** Tag every resource batchkit creates carries: the stack (assembly artifact) it came from. */
export const STACK_TAG = 'batchkit:stack';
/** Tag on compute environments: the model's name, so a replacement (`<name>-2`) is still found. */
export const NAME_TAG = 'batchkit:name';

/** Tag on EC2 resources: their logical id in the stack's template. */
export const LOGICAL_ID_TAG = 'batchkit:logical-id';

/** Kinds of resources the provisioner manages, in the order they are created. */
export type ResourceKind =
  | 'IamRole'
  | 'InstanceProfile'
  | 'Network'
  | 'SchedulingPolicy'
  | 'ComputeEnvironment'
  | 'JobQueue'
  | 'ImageAsset'
  | 'JobDefinition';

/** Creation order of the kinds (destroy runs it backwards). */
export const KIND_ORDER: readonly ResourceKind[] = [
  'IamRole',
  'InstanceProfile',
  'Network',
  'SchedulingPolicy',
  'ComputeEnvironment',
  'JobQueue',
  'ImageAsset',
  'JobDefinition',
];

/** What every desired resource has. */
interface DesiredBase {
  /** `Kind:name`. */
  readonly key: string;
  /** The model's name. */
  readonly name: string;
  /** Stack (tag value). */
  readonly stack: string;
  /** Keys of the desired resources this one refers to. */
  readonly dependsOn: readonly string[];
  /** Where it came from, for messages. */
  readonly origin: string;
}

/** An IAM role. */
export interface DesiredRole extends DesiredBase {
  readonly kind: 'IamRole';
  /** Services trusted (`ecs-tasks.amazonaws.com`, ...). */
  readonly trustedServices: readonly string[];
  /** Managed policies to attach. */
  readonly managedPolicyArns: readonly string[];
  /** Inline policies: name → document (references as `ref(<key>)`). */
  readonly inlinePolicies: Record<string, unknown>;
}

/** An instance profile. */
export interface DesiredInstanceProfile extends DesiredBase {
  readonly kind: 'InstanceProfile';
  /** Roles: `ref(IamRole:x)` or names of roles outside the model. */
  readonly roles: readonly string[];
}

/** An EC2 networking resource or launch template (see `network-reader.ts`). */
export interface DesiredNetwork extends DesiredBase {
  readonly kind: 'Network';
  /** CloudFormation type (`AWS::EC2::Subnet`). */
  readonly cfnType: string;
  /** Logical id in the stack. */
  readonly logicalId: string;
  /** Resolved CloudFormation properties, references as `ref(<key>)`. */
  readonly props: Record<string, unknown>;
}

/** A scheduling policy. */
export interface DesiredSchedulingPolicy extends DesiredBase {
  readonly kind: 'SchedulingPolicy';
  /** Request fields (name, fairsharePolicy). */
  readonly spec: Omit<SchedulingPolicy, 'arn'>;
}

/**
 * A compute environment's launch template version that follows a launch template of the app: its
 * `computeResources.launchTemplate.version` is `ref(<key>).<attribute>`, the version number the
 * template will have once applied, so a new launch template version shows as a change of the
 * environment.
 */
export interface LaunchTemplateVersionLink {
  /** Key of the launch template. */
  readonly key: string;
  /**
   * `LatestVersionNumber` (`Fn::GetAtt …LatestVersionNumber`, `$Latest`) or `DefaultVersionNumber` (`$Default`,
   * no version).
   */
  readonly attribute: 'LatestVersionNumber' | 'DefaultVersionNumber';
  /** The version as the model holds it (`$Latest`, `1` from `Fn::GetAtt`), used while the number is unknown. */
  readonly modelValue?: string;
}

/** A compute environment. */
export interface DesiredComputeEnvironment extends DesiredBase {
  readonly kind: 'ComputeEnvironment';
  /** Request fields of CreateComputeEnvironment. */
  readonly spec: ComputeEnvironmentSpec;
  /**
   * Set when the launch template version follows a launch template of the app.
   * @default - the version is taken as written
   */
  readonly launchTemplateVersion?: LaunchTemplateVersionLink;
}

/** A job queue. */
export interface DesiredJobQueue extends DesiredBase {
  readonly kind: 'JobQueue';
  /** Request fields of CreateJobQueue. */
  readonly spec: JobQueueSpec;
}

/** A docker image asset a job definition uses: built and pushed to its ECR repository as `<repository>:<hash>`. */
export interface DesiredImageAsset extends DesiredBase {
  readonly kind: 'ImageAsset';
  /** The asset as the model has it. */
  readonly asset: DockerImageAssetModel;
  /** ECR repository name (the part of the asset's image URI between the registry and the tag). */
  readonly repositoryName: string;
  /** Tag pushed: the asset hash. */
  readonly tag: string;
}

/** A job definition. */
export interface DesiredJobDefinition extends DesiredBase {
  readonly kind: 'JobDefinition';
  /** RegisterJobDefinition payload. */
  readonly spec: JobDefinitionSpec;
}

/** Any desired resource. */
export type DesiredResource =
  | DesiredRole
  | DesiredInstanceProfile
  | DesiredNetwork
  | DesiredSchedulingPolicy
  | DesiredComputeEnvironment
  | DesiredJobQueue
  | DesiredImageAsset
  | DesiredJobDefinition;

/** The desired state and the problems that stop it from being provisioned. */
export interface DesiredState {
  /** Resources in {@link KIND_ORDER}. */
  readonly resources: DesiredResource[];
  /** Model value (ARN or name) → key. */
  readonly modelRefs: ReadonlyMap<string, string>;
  /** Values that cannot be provisioned (unresolved at synth time), one sentence each with the fix. */
  readonly problems: string[];
}

/** The key of a networking resource: `Network:<stack>/<logical id>`. */
export function networkKey(n: Pick<NetworkResource, 'stack' | 'logicalId'>): string {
  return `Network:${n.stack}/${n.logicalId}`;
}

/** The `Kind:name` key. */
export function resourceKey(kind: ResourceKind, name: string): string {
  return `${kind}:${name}`;
}

function originOf(source: { stack?: string; logicalId?: string; constructPath?: string } | undefined): string {
  if (!source) return 'the template';
  return (
    [source.stack, source.logicalId].filter(Boolean).join('/') +
    (source.constructPath ? ` (${source.constructPath})` : '')
  );
}

function findUnresolved(value: unknown, path: string, out: string[]): void {
  if (isUnresolved(value) && !Array.isArray(value)) {
    out.push(`${path} (${describeUnresolved(value)})`);
    return;
  }
  if (Array.isArray(value)) value.forEach((v, i) => findUnresolved(v, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) findUnresolved(v, path ? `${path}.${k}` : k, out);
  }
}

function withoutSource<T extends { source?: unknown }>(o: T): Omit<T, 'source'> {
  const { source: _source, ...rest } = o;
  return rest;
}

/**
 * Reads the desired state from a model. `defaultStack` names the stack of resources whose source
 * does not say (a single template); `network` and `inlinePolicies` are what the app holds beyond
 * the model; `versionReferences` names the compute environments whose launch template version is
 * `Fn::GetAtt` of a launch template's version number (see {@link LaunchTemplateVersionLink}).
 */
export function desiredState(
  model: BatchModel,
  defaultStack = 'batchkit',
  network: readonly NetworkResource[] = [],
  inlinePolicies: InlinePolicies = new Map(),
  versionReferences: readonly LaunchTemplateVersionReference[] = [],
): DesiredState {
  const modelRefs = new Map<string, string>();
  const problems: string[] = [];
  const stackOf = (s: { source?: { stack?: string } }) => s.source?.stack ?? defaultStack;

  for (const r of model.roles) {
    const key = resourceKey('IamRole', r.roleName);
    modelRefs.set(r.arn, key);
    modelRefs.set(r.roleName, key);
  }
  for (const p of model.instanceProfiles) {
    const key = resourceKey('InstanceProfile', p.instanceProfileName);
    modelRefs.set(p.arn, key);
    modelRefs.set(p.instanceProfileName, key);
  }
  for (const n of network) for (const r of n.refs) modelRefs.set(r, networkKey(n));
  for (const sp of model.schedulingPolicies)
    if (sp.arn) modelRefs.set(sp.arn, resourceKey('SchedulingPolicy', sp.name));
  for (const ce of model.computeEnvironments) {
    const key = resourceKey('ComputeEnvironment', ce.computeEnvironmentName);
    if (ce.computeEnvironmentArn) modelRefs.set(ce.computeEnvironmentArn, key);
    modelRefs.set(ce.computeEnvironmentName, key);
  }
  for (const q of model.jobQueues)
    if (q.jobQueueArn) modelRefs.set(q.jobQueueArn, resourceKey('JobQueue', q.jobQueueName));

  const lookup = (s: string) => {
    const k = modelRefs.get(s);
    return k ? refToken(k) : undefined;
  };
  const canon = <T>(v: T, self: string, found: Set<string>): T => {
    const out = mapReferencesIn(v, lookup, found);
    found.delete(self);
    return out;
  };
  const check = (value: unknown, what: string, origin: string) => {
    const bad: string[] = [];
    findUnresolved(value, '', bad);
    for (const b of bad) {
      problems.push(
        `${what} (${origin}) field ${b} is known only at deployment, so ` +
          `batchkit cannot create it through the SDK. Fix: give the value in the ` +
          `app or pass it as a template parameter, then synthesize again.`,
      );
    }
  };

  const resources: DesiredResource[] = [];
  for (const r of model.roles) {
    const key = resourceKey('IamRole', r.roleName);
    // Policies may name resources created later (queues, definitions): only role ARNs become references.
    const found = new Set<string>();
    const roleOnly = (v: string) => {
      const k = modelRefs.get(v);
      return k?.startsWith('IamRole:') && v.startsWith('arn:') ? refToken(k) : undefined;
    };
    const inline = mapReferencesIn(inlinePolicies.get(r.roleName) ?? {}, roleOnly, found);
    found.delete(key);
    check(
      { roleName: r.roleName, managedPolicyArns: r.managedPolicyArns, inline },
      `IAM role "${r.roleName}"`,
      originOf(r.source),
    );
    resources.push({
      kind: 'IamRole',
      key,
      name: r.roleName,
      stack: stackOf(r),
      dependsOn: [...found],
      origin: originOf(r.source),
      trustedServices: [...r.trustedServices].sort(),
      managedPolicyArns: [...r.managedPolicyArns].sort(),
      inlinePolicies: inline,
    });
  }
  for (const p of model.instanceProfiles) {
    const key = resourceKey('InstanceProfile', p.instanceProfileName);
    const found = new Set<string>();
    const roles = p.roles.map((name) => {
      const k = modelRefs.get(name);
      if (k) found.add(k);
      return k ? refToken(k) : name;
    });
    check(
      { name: p.instanceProfileName, roles: p.roles },
      `instance profile "${p.instanceProfileName}"`,
      originOf(p.source),
    );
    resources.push({
      kind: 'InstanceProfile',
      key,
      name: p.instanceProfileName,
      stack: stackOf(p),
      dependsOn: [...found],
      origin: originOf(p.source),
      roles,
    });
  }
  for (const n of network) {
    const key = networkKey(n);
    const found = new Set<string>();
    const props = canon(n.props, key, found);
    for (const d of n.dependsOn)
      if (network.some((x) => x.stack === n.stack && x.logicalId === d))
        found.add(networkKey({ stack: n.stack, logicalId: d }));
    const origin = `${n.stack}/${n.logicalId}`;
    check(props, n.type, origin);
    resources.push({
      kind: 'Network',
      key,
      name: `${n.type.split('::')[2]} ${n.logicalId}`,
      stack: n.stack,
      dependsOn: [...found],
      origin,
      cfnType: n.type,
      logicalId: n.logicalId,
      props,
    });
  }
  for (const sp of model.schedulingPolicies) {
    const key = resourceKey('SchedulingPolicy', sp.name);
    const { arn: _arn, ...rest } = withoutSource(sp);
    const spec = { ...rest, tags: { ...(sp.tags ?? {}), [STACK_TAG]: stackOf(sp) } };
    check(spec, `scheduling policy "${sp.name}"`, originOf(sp.source));
    resources.push({
      kind: 'SchedulingPolicy',
      key,
      name: sp.name,
      stack: stackOf(sp),
      dependsOn: [],
      origin: originOf(sp.source),
      spec,
    });
  }
  for (const ce of model.computeEnvironments) {
    const key = resourceKey('ComputeEnvironment', ce.computeEnvironmentName);
    const {
      computeEnvironmentArn: _a,
      status: _s,
      statusReason: _r,
      ecsClusterArn: _e,
      containerOrchestrationType: _c,
      replaceComputeEnvironment: _x,
      ...rest
    } = withoutSource(ce);
    const found = new Set<string>();
    const canonical = canon(
      { ...rest, tags: { ...(ce.tags ?? {}), [STACK_TAG]: stackOf(ce), [NAME_TAG]: ce.computeEnvironmentName } },
      key,
      found,
    );
    const link = versionLink(
      canonical.computeResources?.launchTemplate,
      network,
      versionReferences.find((v) => v.stack === ce.source?.stack && v.computeEnvironment === ce.source?.logicalId),
    );
    const spec = link ? withLaunchTemplateVersion(canonical, attributeToken(link.key, link.attribute)) : canonical;
    check(spec, `compute environment "${ce.computeEnvironmentName}"`, originOf(ce.source));
    resources.push({
      kind: 'ComputeEnvironment',
      key,
      name: ce.computeEnvironmentName,
      stack: stackOf(ce),
      dependsOn: [...found],
      origin: originOf(ce.source),
      spec,
      ...(link ? { launchTemplateVersion: link } : {}),
    });
  }
  for (const q of model.jobQueues) {
    const key = resourceKey('JobQueue', q.jobQueueName);
    const { jobQueueArn: _a, status: _s, statusReason: _r, ...rest } = withoutSource(q);
    const found = new Set<string>();
    const spec = canon({ ...rest, tags: { ...(q.tags ?? {}), [STACK_TAG]: stackOf(q) } }, key, found);
    check(spec, `job queue "${q.jobQueueName}"`, originOf(q.source));
    resources.push({
      kind: 'JobQueue',
      key,
      name: q.jobQueueName,
      stack: stackOf(q),
      dependsOn: [...found],
      origin: originOf(q.source),
      spec,
    });
  }
  resources.push(...imageAssetsOf(model, stackOf, modelRefs, problems));
  for (const jd of model.jobDefinitions) {
    const key = resourceKey('JobDefinition', jd.jobDefinitionName);
    const {
      source: _s,
      jobDefinitionArn: _a,
      revision: _r,
      status: _t,
      containerOrchestrationType: _c,
      ...payload
    } = jd;
    const found = new Set<string>();
    const spec = canon({ ...payload, tags: { ...(jd.tags ?? {}), [STACK_TAG]: stackOf(jd) } }, key, found);
    check(spec, `job definition "${jd.jobDefinitionName}"`, originOf(jd.source));
    resources.push({
      kind: 'JobDefinition',
      key,
      name: jd.jobDefinitionName,
      stack: stackOf(jd),
      dependsOn: [...found],
      origin: originOf(jd.source),
      spec,
    });
  }
  return { resources, modelRefs, problems };
}

/**
 * How a compute environment's launch template version follows a launch template of the app: by
 * `Fn::GetAtt` of its version number, or as `$Latest` / `$Default` / no version (which Batch reads
 * as `$Default`). A literal version number is the user's pin and is left alone.
 */
function versionLink(
  spec: { launchTemplateId?: string; launchTemplateName?: string; version?: string } | undefined,
  network: readonly NetworkResource[],
  reference: LaunchTemplateVersionReference | undefined,
): LaunchTemplateVersionLink | undefined {
  const key = refKeyOf(spec?.launchTemplateId ?? spec?.launchTemplateName ?? '');
  const lt = key ? network.find((n) => networkKey(n) === key && n.type === 'AWS::EC2::LaunchTemplate') : undefined;
  if (!spec || !key || !lt) return undefined;
  const modelValue = spec.version !== undefined ? { modelValue: spec.version } : {};
  if (reference && networkKey({ stack: reference.stack, logicalId: reference.launchTemplate }) === key)
    return { key, attribute: reference.attribute, ...modelValue };
  if (spec.version === '$Latest') return { key, attribute: 'LatestVersionNumber', ...modelValue };
  if (spec.version === undefined || spec.version === '$Default')
    return { key, attribute: 'DefaultVersionNumber', ...modelValue };
  return undefined;
}

function withLaunchTemplateVersion<T extends { computeResources?: { launchTemplate?: object } }>(
  spec: T,
  version: string,
): T {
  const cr = spec.computeResources;
  return cr ? { ...spec, computeResources: { ...cr, launchTemplate: { ...cr.launchTemplate, version } } } : spec;
}
