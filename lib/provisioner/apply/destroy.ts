/**
 * `destroy`: removes what batchkit created for a stack, found by the `batchkit:stack` tag (IAM
 * roles and instance profiles by the model's names, each checked for the tag), in the order AWS
 * requires: disable queues → wait → delete queues → disable environments → wait → delete
 * environments → scheduling policies → deregister job definitions → the ECR repositories of the
 * app's image assets that batchkit created → launch templates, security
 * groups, NAT gateways (waiting until deleted), Elastic IPs, subnets, route tables, internet
 * gateways, VPCs → instance profiles → roles. EC2 deletes are retried while AWS answers
 * `DependencyViolation` (ENIs and NAT gateways drain asynchronously). With `confirm`, a dry run
 * comes first and the user is asked before anything is deleted.
 */
import type { BatchModel } from '../../core/model/batch-model';
import type { ProvisionerClients } from '../clients/interfaces';
import { errorName, realSleep, retrying, type RetryPolicy } from '../clients/retry';
import { STACK_TAG } from '../plan/desired';
import {
  activeRevisions,
  allComputeEnvironments,
  allJobQueues,
  allSchedulingPolicyArns,
  describePolicies,
} from '../plan/observe';
import { BatchkitError } from '../../core/errors';
import type { Confirm } from './apply';
import { destroyRepositories } from './destroy-ecr';
import { PROVISION_ERRORS, waitFor, type WaitOptions } from './waiters';

/** Options of {@link destroy}. */
export interface DestroyOptions {
  /** Stack tag values whose resources are removed. */
  readonly stacks: readonly string[];
  /**
   * The app's model, for the names of IAM roles, instance profiles (IAM cannot be searched by tag)
   * and the ECR repositories of its docker image assets.
   * @default - IAM resources and ECR repositories are left alone
   */
  readonly model?: BatchModel;
  /**
   * Leave EC2 alone (for a Batch-only endpoint such as `batchkit local serve`).
   * @default false
   */
  readonly skipEc2?: boolean;
  /**
   * Only list what would be removed.
   * @default false
   */
  readonly dryRun?: boolean;
  /**
   * Waiting for queues, environments and NAT gateways.
   * @default - poll every 5 s for up to 30 min
   */
  readonly wait?: WaitOptions;
  /**
   * Retries of EC2 deletes answered with `DependencyViolation`.
   * @default - 60 attempts, 5 s doubling to 30 s
   */
  readonly dependencyRetry?: RetryPolicy;
  /**
   * Progress messages.
   * @default - none
   */
  readonly onProgress?: (message: string) => void;
  /**
   * Asked (`Destroy these resources?`) after a dry run found something to delete and before the
   * first change; declining deletes nothing (the report has `declined: true`). Not asked with
   * `dryRun` or when there is nothing to delete.
   * @default - nothing is asked
   */
  readonly confirm?: Confirm;
  /**
   * Given the dry run's report just before `confirm` is asked, to show the user what would go.
   * @default - nothing
   */
  readonly onPreview?: (preview: DestroyReport) => void;
}

/** One thing destroy did (or, with dry run, would do). */
export interface DestroyStep {
  /** `disable`, `delete`, `deregister`, `release`, `detach`, `disassociate`, `remove-role`. */
  readonly action: string;
  /** `JobQueue q1`, `Subnet subnet-0abc`, ... */
  readonly resource: string;
}

/** What destroy did. */
export interface DestroyReport {
  /** True with dry run. */
  readonly dryRun: boolean;
  /** True when the confirmation was declined: nothing was deleted. */
  readonly declined: boolean;
  /** Steps done (or planned), in order. */
  readonly steps: DestroyStep[];
  /** Resources left alone because they are not tagged for the stack. */
  readonly skipped: string[];
}

/** Errors EC2 answers while something still depends on the resource. */
export const DEPENDENCY_ERRORS: readonly string[] = ['DependencyViolation', 'InvalidIPAddress.InUse', 'AuthFailure'];

function isDependencyError(e: unknown): boolean {
  const n = errorName(e);
  return n !== undefined && DEPENDENCY_ERRORS.includes(n);
}

/** Removes the stacks' resources (with `confirm`: lists them, asks, then removes them). */
export async function destroy(clients: ProvisionerClients, options: DestroyOptions): Promise<DestroyReport> {
  if (!options.confirm || options.dryRun) return destroyOnce(clients, options);
  const preview = await destroyOnce(clients, { ...options, dryRun: true });
  if (preview.steps.length === 0) return { ...preview, dryRun: false };
  options.onPreview?.(preview);
  if (!(await options.confirm('Destroy these resources?')))
    return { dryRun: false, declined: true, steps: [], skipped: preview.skipped };
  return destroyOnce(clients, options);
}

async function destroyOnce(clients: ProvisionerClients, options: DestroyOptions): Promise<DestroyReport> {
  const stacks = new Set(options.stacks);
  const steps: DestroyStep[] = [];
  const skipped: string[] = [];
  const log = options.onProgress ?? (() => undefined);
  const wait: WaitOptions = { ...options.wait, onProgress: options.wait?.onProgress ?? log };
  const sleep = wait.sleep ?? realSleep;
  const dep: RetryPolicy = {
    maxAttempts: 60,
    baseDelayMs: 5000,
    maxDelayMs: 30000,
    sleep,
    onRetry: (e, attempt) => log(`waiting for dependencies to drain (${errorName(e)}), retry ${attempt}`),
    ...options.dependencyRetry,
  };
  const dry = options.dryRun === true;
  const step = async (
    action: string,
    resource: string,
    call?: () => Promise<unknown>,
    retryDependencies = false,
  ): Promise<void> => {
    steps.push({ action, resource });
    if (dry || !call) return;
    log(`${action} ${resource}`);
    if (retryDependencies) await retrying(call, dep, isDependencyError);
    else await call();
  };
  const owned = (tags: Record<string, string> | undefined) =>
    tags?.[STACK_TAG] !== undefined && stacks.has(tags[STACK_TAG]);
  const ec2Filter = [{ Name: `tag:${STACK_TAG}`, Values: [...stacks] }];
  const batch = clients.batch;

  // Queues: disable all, wait, delete all, wait.
  const queues = (await allJobQueues(clients))
    .filter((q) => owned(q.tags) && q.status !== 'DELETED' && q.status !== 'DELETING')
    .flatMap((q) => (q.jobQueueName ? [{ name: q.jobQueueName, state: q.state }] : []));
  for (const q of queues.filter((x) => x.state !== 'DISABLED')) {
    await step('disable', `JobQueue ${q.name}`, () => batch.updateJobQueue({ jobQueue: q.name, state: 'DISABLED' }));
  }
  if (!dry) for (const q of queues) await waitFor(batch, 'job queue', q.name, 'VALID', wait);
  for (const q of queues) await step('delete', `JobQueue ${q.name}`, () => batch.deleteJobQueue({ jobQueue: q.name }));
  if (!dry) for (const q of queues) await waitFor(batch, 'job queue', q.name, 'GONE', wait);

  // Compute environments: same dance.
  const envs = (await allComputeEnvironments(clients))
    .filter((c) => owned(c.tags) && c.status !== 'DELETED' && c.status !== 'DELETING')
    .flatMap((c) => (c.computeEnvironmentName ? [{ name: c.computeEnvironmentName, state: c.state }] : []));
  for (const c of envs.filter((x) => x.state !== 'DISABLED')) {
    const disable = () => batch.updateComputeEnvironment({ computeEnvironment: c.name, state: 'DISABLED' });
    await step('disable', `ComputeEnvironment ${c.name}`, disable);
  }
  if (!dry) for (const c of envs) await waitFor(batch, 'compute environment', c.name, 'VALID', wait);
  for (const c of envs) {
    const remove = () => batch.deleteComputeEnvironment({ computeEnvironment: c.name });
    await step('delete', `ComputeEnvironment ${c.name}`, remove);
  }
  if (!dry) for (const c of envs) await waitFor(batch, 'compute environment', c.name, 'GONE', wait);

  const policyArns = await allSchedulingPolicyArns(clients);
  if (policyArns.length > 0) {
    const policies = await describePolicies(clients, policyArns);
    for (const p of policies.filter((x) => owned(x.tags))) {
      const arn = p.arn;
      if (arn) await step('delete', `SchedulingPolicy ${p.name}`, () => batch.deleteSchedulingPolicy({ arn }));
    }
  }
  for (const d of (await activeRevisions(clients))
    .filter((x) => owned(x.tags))
    .sort((a, b) => (a.jobDefinitionArn ?? '').localeCompare(b.jobDefinitionArn ?? ''))) {
    const jobDefinition = d.jobDefinitionArn;
    if (!jobDefinition) continue;
    const deregister = () => batch.deregisterJobDefinition({ jobDefinition });
    await step('deregister', `JobDefinition ${d.jobDefinitionName}:${d.revision}`, deregister);
  }
  await destroyRepositories(clients, options.model, owned, step, skipped);

  if (!options.skipEc2) await destroyEc2(clients, ec2Filter, step, dry, wait);
  await destroyIam(clients, options.model, owned, step, skipped);
  return { dryRun: dry, declined: false, steps, skipped };
}

type Step = (
  action: string,
  resource: string,
  call?: () => Promise<unknown>,
  retryDependencies?: boolean,
) => Promise<void>;

async function destroyEc2(
  clients: ProvisionerClients,
  ec2Filter: Array<{ Name: string; Values: string[] }>,
  step: Step,
  dry: boolean,
  wait: WaitOptions,
): Promise<void> {
  const ec2 = clients.ec2;
  for (const lt of (await ec2.describeLaunchTemplates({ Filters: ec2Filter })).LaunchTemplates ?? []) {
    await step('delete', `LaunchTemplate ${lt.LaunchTemplateName ?? lt.LaunchTemplateId}`, () =>
      ec2.deleteLaunchTemplate({ LaunchTemplateId: lt.LaunchTemplateId }),
    );
  }
  for (const sg of ((await ec2.describeSecurityGroups({ Filters: ec2Filter })).SecurityGroups ?? []).filter(
    (g) => g.GroupName !== 'default',
  )) {
    await step('delete', `SecurityGroup ${sg.GroupId}`, () => ec2.deleteSecurityGroup({ GroupId: sg.GroupId }), true);
  }
  const nats = ((await ec2.describeNatGateways({ Filter: ec2Filter })).NatGateways ?? []).filter(
    (n) => n.State !== 'deleted',
  );
  for (const n of nats.filter((x) => x.State !== 'deleting'))
    await step('delete', `NatGateway ${n.NatGatewayId}`, () => ec2.deleteNatGateway({ NatGatewayId: n.NatGatewayId }));
  const natIds = nats.flatMap((n) => (n.NatGatewayId ? [n.NatGatewayId] : []));
  if (!dry && natIds.length > 0) await waitNatGatewaysDeleted(clients, natIds, wait);
  for (const a of (await ec2.describeAddresses({ Filters: ec2Filter })).Addresses ?? []) {
    await step(
      'release',
      `ElasticIp ${a.AllocationId}`,
      () => ec2.releaseAddress({ AllocationId: a.AllocationId }),
      true,
    );
  }
  for (const s of (await ec2.describeSubnets({ Filters: ec2Filter })).Subnets ?? []) {
    await step('delete', `Subnet ${s.SubnetId}`, () => ec2.deleteSubnet({ SubnetId: s.SubnetId }), true);
  }
  for (const rt of (await ec2.describeRouteTables({ Filters: ec2Filter })).RouteTables ?? []) {
    if ((rt.Associations ?? []).some((x) => x.Main)) continue;
    for (const assoc of (rt.Associations ?? []).filter((x) => x.RouteTableAssociationId)) {
      await step('disassociate', `RouteTable ${rt.RouteTableId} (${assoc.RouteTableAssociationId})`, () =>
        ec2.disassociateRouteTable({ AssociationId: assoc.RouteTableAssociationId }),
      );
    }
    await step(
      'delete',
      `RouteTable ${rt.RouteTableId}`,
      () => ec2.deleteRouteTable({ RouteTableId: rt.RouteTableId }),
      true,
    );
  }
  for (const igw of (await ec2.describeInternetGateways({ Filters: ec2Filter })).InternetGateways ?? []) {
    for (const att of igw.Attachments ?? []) {
      await step(
        'detach',
        `InternetGateway ${igw.InternetGatewayId} from ${att.VpcId}`,
        () => ec2.detachInternetGateway({ InternetGatewayId: igw.InternetGatewayId, VpcId: att.VpcId }),
        true,
      );
    }
    await step(
      'delete',
      `InternetGateway ${igw.InternetGatewayId}`,
      () => ec2.deleteInternetGateway({ InternetGatewayId: igw.InternetGatewayId }),
      true,
    );
  }
  for (const v of (await ec2.describeVpcs({ Filters: ec2Filter })).Vpcs ?? []) {
    await step('delete', `Vpc ${v.VpcId}`, () => ec2.deleteVpc({ VpcId: v.VpcId }), true);
  }
}

/** IAM, by the model's names, only when tagged for the stack. */
async function destroyIam(
  clients: ProvisionerClients,
  model: BatchModel | undefined,
  owned: (tags: Record<string, string> | undefined) => boolean,
  step: Step,
  skipped: string[],
): Promise<void> {
  const iam = clients.iam;
  const missing = (e: unknown) => errorName(e) === 'NoSuchEntity' || errorName(e) === 'NoSuchEntityException';
  const tagMap = (tags: ReadonlyArray<{ Key?: string; Value?: string }> | undefined) =>
    Object.fromEntries((tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
  for (const p of model?.instanceProfiles ?? []) {
    const name = p.instanceProfileName;
    const got = await iam
      .getInstanceProfile({ InstanceProfileName: name })
      .catch((e: unknown) => (missing(e) ? undefined : Promise.reject(e)));
    if (!got?.InstanceProfile) continue;
    if (!owned(tagMap(got.InstanceProfile.Tags))) {
      skipped.push(`InstanceProfile ${name}`);
      continue;
    }
    for (const r of got.InstanceProfile.Roles ?? []) {
      await step('remove-role', `InstanceProfile ${name} (${r.RoleName})`, () =>
        iam.removeRoleFromInstanceProfile({ InstanceProfileName: name, RoleName: r.RoleName }),
      );
    }
    await step('delete', `InstanceProfile ${name}`, () => iam.deleteInstanceProfile({ InstanceProfileName: name }));
  }
  for (const r of model?.roles ?? []) {
    const name = r.roleName;
    const got = await iam
      .getRole({ RoleName: name })
      .catch((e: unknown) => (missing(e) ? undefined : Promise.reject(e)));
    if (!got?.Role) continue;
    if (!owned(tagMap(got.Role.Tags))) {
      skipped.push(`IamRole ${name}`);
      continue;
    }
    for (const p of (await iam.listAttachedRolePolicies({ RoleName: name })).AttachedPolicies ?? []) {
      await step('detach', `IamRole ${name} (${p.PolicyArn})`, () =>
        iam.detachRolePolicy({ RoleName: name, PolicyArn: p.PolicyArn }),
      );
    }
    for (const policyName of (await iam.listRolePolicies({ RoleName: name })).PolicyNames ?? []) {
      await step('delete', `IamRole ${name} inline policy ${policyName}`, () =>
        iam.deleteRolePolicy({ RoleName: name, PolicyName: policyName }),
      );
    }
    await step('delete', `IamRole ${name}`, () => iam.deleteRole({ RoleName: name }));
  }
}

async function waitNatGatewaysDeleted(clients: ProvisionerClients, ids: string[], wait: WaitOptions): Promise<void> {
  const sleep = wait.sleep ?? realSleep;
  const pollMs = wait.pollMs ?? 5000;
  const timeoutMs = wait.timeoutMs ?? 1_800_000;
  for (let waited = 0; ; waited += pollMs) {
    const states = ((await clients.ec2.describeNatGateways({ NatGatewayIds: ids })).NatGateways ?? []).map(
      (n) => n.State,
    );
    if (states.every((s) => s === 'deleted')) return;
    if (waited >= timeoutMs) {
      throw new BatchkitError(
        PROVISION_ERRORS.timeout,
        'environment',
        `NAT gateways ${ids.join(', ')} were not deleted within ` +
          `${Math.round(timeoutMs / 1000)} s (states: ${states.join(', ')}).`,
        {
          fix: 'Run `batchkit destroy` again later; it continues with what is left.',
        },
      );
    }
    wait.onProgress?.(`NAT gateways ${ids.join(', ')}: ${states.join(', ')}`);
    await sleep(pollMs);
  }
}

/** The report as text. */
export function renderDestroyReport(report: DestroyReport): string {
  if (report.declined) return 'Destroy cancelled: nothing was changed.\n';
  let out = '';
  for (const s of report.steps) out += `${report.dryRun ? 'would ' : ''}${s.action.padEnd(12)} ${s.resource}\n`;
  for (const s of report.skipped) out += `skipped      ${s} (not tagged ${STACK_TAG} for this stack)\n`;
  out += report.dryRun
    ? `Dry run: ${report.steps.length} step(s) would run; nothing was changed.\n`
    : `Destroy complete: ${report.steps.length} step(s).\n`;
  return out;
}

/** A dry run's report as the list shown before the confirmation question. */
export function renderDestroyPreview(preview: DestroyReport): string {
  let out = '';
  for (const s of preview.steps) out += `${s.action.padEnd(12)} ${s.resource}\n`;
  for (const s of preview.skipped) out += `skipped      ${s} (not tagged ${STACK_TAG} for this stack)\n`;
  return `${out}Destroy: ${preview.steps.length} step(s) to run.\n`;
}
