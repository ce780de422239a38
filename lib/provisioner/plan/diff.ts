/**
 * Field-by-field comparison of a desired resource with what exists, and which changes AWS can make
 * in place. Compute environments follow "Updating compute environments" in the AWS Batch User
 * Guide and the UpdateComputeEnvironment / ComputeResourceUpdate API reference; queues follow
 * UpdateJobQueue; job definitions are immutable (a change is a new revision).
 * @see https://docs.aws.amazon.com/batch/latest/userguide/updating-compute-environments.html
 */
import type { ComputeEnvironmentSpec, JobQueueSpec } from '../clients/batch-map';
import type { SchedulingPolicy } from '../../core/model/job-queue';
import { deepEqual, isRecord, prune, sortedStrings } from './refs';

/** One changed field. */
export interface FieldChange {
  /** API path (`computeResources.maxvCpus`). */
  readonly field: string;
  /** What exists. */
  readonly from?: unknown;
  /** What the app asks for. */
  readonly to?: unknown;
  /** Why this change needs a replacement, when it does. */
  readonly replacement?: string;
  /**
   * What changes, in words, when `from → to` would be unreadable (security group rules, tags).
   * @default - the plan shows `from → to`
   */
  readonly summary?: string;
}

type Obj = Record<string, unknown>;

function get(o: unknown, path: string): unknown {
  let cur: unknown = o;
  for (const p of path.split('.')) {
    if (!isRecord(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}

/** Allocation strategies that allow infrastructure updates. */
export const UPDATABLE_ALLOCATION_STRATEGIES: readonly string[] = [
  'BEST_FIT_PROGRESSIVE',
  'SPOT_CAPACITY_OPTIMIZED',
  'SPOT_PRICE_CAPACITY_OPTIMIZED',
];

/** Fields changed by a scaling update (always in place). */
const SCALING_FIELDS = ['computeResources.minvCpus', 'computeResources.maxvCpus'];
/**
 * Fields changed by an infrastructure update (in place only under the conditions of {@link
 * infrastructureUpdateBlocker}).
 */
const INFRASTRUCTURE_FIELDS = [
  'computeResources.allocationStrategy',
  'computeResources.instanceTypes',
  'computeResources.subnets',
  'computeResources.securityGroupIds',
  'computeResources.ec2KeyPair',
  'computeResources.instanceRole',
  'computeResources.tags',
  'computeResources.placementGroup',
  'computeResources.bidPercentage',
  'computeResources.launchTemplate',
  'computeResources.ec2Configuration',
  'computeResources.imageId',
];
const SORTED = ['computeResources.instanceTypes', 'computeResources.subnets', 'computeResources.securityGroupIds'];

function isFargate(t: unknown): boolean {
  return t === 'FARGATE' || t === 'FARGATE_SPOT';
}

function isServiceLinkedRole(arn: unknown): boolean {
  return arn === undefined || (typeof arn === 'string' && arn.includes('/aws-service-role/batch.amazonaws.com/'));
}

/**
 * Why the existing environment cannot take an infrastructure update, or undefined when it can:
 * it must use BEST_FIT_PROGRESSIVE, SPOT_CAPACITY_OPTIMIZED or SPOT_PRICE_CAPACITY_OPTIMIZED and the
 * Batch service-linked role.
 */
export function infrastructureUpdateBlocker(
  existing: Obj,
  desired: Pick<ComputeEnvironmentSpec, 'computeResources'>,
): string | undefined {
  const strategy = get(existing, 'computeResources.allocationStrategy');
  const from = typeof strategy === 'string' ? strategy : 'BEST_FIT';
  const to = desired.computeResources?.allocationStrategy ?? 'BEST_FIT';
  if (!UPDATABLE_ALLOCATION_STRATEGIES.includes(from)) {
    return (
      `the existing environment uses allocation strategy ${from}, which does ` +
      `not support infrastructure updates (only ${UPDATABLE_ALLOCATION_STRATEGIES.join(', ')} do)`
    );
  }
  if (!UPDATABLE_ALLOCATION_STRATEGIES.includes(to)) return `an update cannot set allocation strategy ${to}`;
  if (!isServiceLinkedRole(existing.serviceRole)) {
    return (
      `the existing environment uses the service role ` +
      `${String(existing.serviceRole)}; infrastructure updates need the Batch ` +
      `service-linked role (AWSServiceRoleForBatch)`
    );
  }
  return undefined;
}

function compare(
  field: string,
  desired: object,
  existing: Obj,
  defaults: Record<string, unknown> = {},
): FieldChange | undefined {
  let to = get(desired, field);
  if (to === undefined) {
    if (!(field in defaults)) return undefined;
    to = defaults[field];
  }
  let from = get(existing, field);
  if (from === undefined && field in defaults) from = defaults[field];
  const a = prune(SORTED.includes(field) ? sortedStrings(to) : to);
  const b = prune(SORTED.includes(field) ? sortedStrings(from) : from);
  return deepEqual(a, b) ? undefined : { field, from, to };
}

/** Differences of a compute environment; `replacement` set on those that force one. */
export function diffComputeEnvironment(desired: ComputeEnvironmentSpec, existing: Obj): FieldChange[] {
  const out: FieldChange[] = [];
  const push = (c: FieldChange | undefined, replacement?: string) => {
    if (c) out.push(replacement ? { ...c, replacement } : c);
  };
  push(compare('type', desired, existing), 'the type (MANAGED/UNMANAGED) of a compute environment cannot be updated');
  const fromType = get(existing, 'computeResources.type');
  const toType = get(desired, 'computeResources.type');
  const fargate = isFargate(toType);
  if (toType !== undefined && fromType !== toType) {
    const cross = isFargate(fromType) !== isFargate(toType);
    push(
      { field: 'computeResources.type', from: fromType, to: toType },
      cross
        ? `computeResources.type cannot change between Fargate (FARGATE, ` +
            `FARGATE_SPOT) and EC2 (EC2, SPOT) resources`
        : undefined,
    );
  }
  push(compare('state', desired, existing, { state: 'ENABLED' }));
  push(compare('unmanagedvCpus', desired, existing));
  const role = compare('serviceRole', desired, existing);
  if (role) {
    const slr = isServiceLinkedRole(role.from) !== isServiceLinkedRole(role.to);
    push(role, slr ? 'serviceRole cannot change between the service-linked role and a regular IAM role' : undefined);
  }
  push(compare('updatePolicy', desired, existing));
  // UpdateComputeEnvironment cannot move an environment to another cluster or namespace (CloudFormation:
  // EksConfiguration "Update requires: Replacement"); adding or removing it changes the orchestration type.
  push(
    compare('eksConfiguration', desired, existing, { eksConfiguration: undefined }),
    'eksConfiguration (EKS cluster and Kubernetes namespace) cannot be updated: a compute environment stays on ' +
      'the cluster and namespace it was created with',
  );
  push(
    compare('computeResources.spotIamFleetRole', desired, existing),
    'computeResources.spotIamFleetRole is not updatable (UpdateComputeEnvironment has no such field)',
  );
  for (const f of SCALING_FIELDS) push(compare(f, desired, existing));
  const infra: FieldChange[] = [];
  for (const f of INFRASTRUCTURE_FIELDS) {
    if (fargate && f === 'computeResources.allocationStrategy') continue;
    const c = compare(
      f,
      desired,
      existing,
      !fargate && f === 'computeResources.allocationStrategy' ? { [f]: 'BEST_FIT' } : {},
    );
    if (!c) continue;
    // On Fargate, subnets and security groups are scaling updates.
    if (fargate && (f === 'computeResources.subnets' || f === 'computeResources.securityGroupIds')) out.push(c);
    else infra.push(c);
  }
  if (!fargate && fromType !== toType && toType !== undefined && !isFargate(fromType)) {
    const moved = out.find((c) => c.field === 'computeResources.type');
    if (moved) {
      out.splice(out.indexOf(moved), 1);
      infra.push(moved);
    }
  }
  if (infra.length > 0) {
    const blocker = infrastructureUpdateBlocker(existing, desired);
    for (const c of infra)
      out.push(blocker ? { ...c, replacement: `${c.field} needs an infrastructure update and ${blocker}` } : c);
  }
  return out;
}

/** Differences of a job queue; adding or removing a scheduling policy forces a replacement. */
export function diffJobQueue(desired: JobQueueSpec, existing: Obj): FieldChange[] {
  const out: FieldChange[] = [];
  const order = (o: unknown) => {
    if (!Array.isArray(o)) return o;
    const entries = o
      .filter(isRecord)
      .map((x) => ({ order: typeof x.order === 'number' ? x.order : 0, computeEnvironment: x.computeEnvironment }));
    return entries.sort((a, b) => a.order - b.order);
  };
  for (const f of ['state', 'priority', 'jobStateTimeLimitActions']) {
    const c = compare(
      f,
      desired,
      existing,
      f === 'state' ? { state: 'ENABLED' } : f === 'jobStateTimeLimitActions' ? { jobStateTimeLimitActions: [] } : {},
    );
    if (c) out.push(c);
  }
  const ceTo = order(desired.computeEnvironmentOrder);
  const ceFrom = order(existing.computeEnvironmentOrder);
  if (!deepEqual(ceTo, ceFrom)) out.push({ field: 'computeEnvironmentOrder', from: ceFrom, to: ceTo });
  const spFrom = existing.schedulingPolicyArn;
  const spTo = desired.schedulingPolicyArn;
  if (spFrom !== spTo) {
    const addRemove = spFrom === undefined || spTo === undefined;
    out.push({
      field: 'schedulingPolicyArn',
      from: spFrom,
      to: spTo,
      ...(addRemove
        ? {
            replacement:
              'a scheduling policy cannot be added to or removed from an existing job ' +
              'queue (FIFO and fair-share queues are different kinds)',
          }
        : {}),
    });
  }
  return out;
}

/** Fields DescribeJobDefinitions adds that RegisterJobDefinition does not take. */
const SERVER_JD_FIELDS = ['jobDefinitionArn', 'revision', 'status', 'containerOrchestrationType'];
/** Values the service fills in when the request leaves them out. */
const JD_DEFAULTS: Record<string, unknown> = { propagateTags: false, platformCapabilities: ['EC2'] };

/** A job definition as registered, without service-added fields and defaults: what to compare. */
export function normalizeJobDefinition(d: object): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(d)) {
    if (SERVER_JD_FIELDS.includes(k)) continue;
    if (k in JD_DEFAULTS && deepEqual(v, JD_DEFAULTS[k])) continue;
    out[k] = v;
  }
  const pruned = prune(out);
  return isRecord(pruned) ? pruned : {};
}

/** Top-level fields of a job definition that differ (any difference means a new revision). */
export function diffJobDefinition(desired: object, existing: Obj): FieldChange[] {
  const a = normalizeJobDefinition(desired);
  const b = normalizeJobDefinition(existing);
  const out: FieldChange[] = [];
  for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    if (!deepEqual(a[k], b[k])) out.push({ field: k, from: b[k], to: a[k] });
  }
  return out;
}

/** Differences of a scheduling policy (fairsharePolicy is updatable). */
export function diffSchedulingPolicy(desired: Pick<SchedulingPolicy, 'fairsharePolicy'>, existing: Obj): FieldChange[] {
  const c = compare('fairsharePolicy', desired, existing, { fairsharePolicy: undefined });
  return c ? [c] : [];
}
