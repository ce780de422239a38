/**
 * IAM steps: roles (trust policy, managed policies) and instance profiles. Creates are idempotent:
 * `EntityAlreadyExists` after a lost response or a concurrent run is read back and converged.
 */
import { BatchkitError } from '../../core/errors';
import { errorName } from '../clients/retry';
import { STACK_TAG, type DesiredInstanceProfile, type DesiredRole } from '../plan/desired';
import type { PlanAction } from '../plan/plan';
import { materialize, type ApplyContext } from './context';
import { PROVISION_ERRORS } from './waiters';

/** The trust policy document for a set of services. */
export function trustPolicy(services: readonly string[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: services.length === 1 ? services[0] : [...services] },
        Action: 'sts:AssumeRole',
      },
    ],
  });
}

function ownedOrThrow(
  kind: string,
  name: string,
  tags: ReadonlyArray<{ Key?: string; Value?: string }> | undefined,
  stack: string,
): void {
  const tag = tags?.find((t) => t.Key === STACK_TAG)?.Value;
  if (tag !== stack) {
    throw new BatchkitError(
      PROVISION_ERRORS.notOwned,
      'environment',
      `${kind} "${name}" already exists and is not tagged ${STACK_TAG}=` +
        `${stack}; batchkit does not take over resources it did not create.`,
      {
        fix: `Delete or rename the existing ${kind}, or tag it ${STACK_TAG}=${stack}.`,
      },
    );
  }
}

/** Creates or updates a role. */
export async function applyRole(ctx: ApplyContext, action: PlanAction, r: DesiredRole): Promise<void> {
  const iam = ctx.clients.iam;
  const document = trustPolicy(r.trustedServices);
  let arn: string | undefined;
  let trustChanged =
    action.action !== 'create' && action.changes.some((c) => c.field.startsWith('AssumeRolePolicyDocument'));
  if (action.action === 'create') {
    try {
      const out = await iam.createRole({
        RoleName: r.name,
        AssumeRolePolicyDocument: document,
        Tags: [{ Key: STACK_TAG, Value: r.stack }],
      });
      arn = out.Role?.Arn;
      ctx.log(`created IAM role ${r.name}`);
    } catch (e) {
      if (errorName(e) !== 'EntityAlreadyExists' && errorName(e) !== 'EntityAlreadyExistsException') throw e;
      const got = (await iam.getRole({ RoleName: r.name })).Role;
      ownedOrThrow('IAM role', r.name, got?.Tags, r.stack);
      arn = got?.Arn;
      trustChanged = true;
      ctx.log(`IAM role ${r.name} already exists (created by an earlier run); converging it`);
    }
  } else {
    arn = ctx.resolved.get(r.key)?.arn;
  }
  if (trustChanged) await iam.updateAssumeRolePolicy({ RoleName: r.name, PolicyDocument: document });
  const attached =
    action.action === 'create' && !trustChanged
      ? []
      : ((await iam.listAttachedRolePolicies({ RoleName: r.name })).AttachedPolicies ?? []).map(
          (p) => p.PolicyArn ?? '',
        );
  for (const p of r.managedPolicyArns) {
    if (!attached.includes(p)) await iam.attachRolePolicy({ RoleName: r.name, PolicyArn: p });
  }
  for (const p of attached) {
    if (p && !r.managedPolicyArns.includes(p)) await iam.detachRolePolicy({ RoleName: r.name, PolicyArn: p });
  }
  ctx.resolved.set(r.key, { name: r.name, ...(arn ? { arn } : {}) });
  const inlineChanged = action.action === 'create' || action.changes.some((c) => c.field.startsWith('Policies.'));
  if (inlineChanged) {
    const current =
      action.action === 'create' && !trustChanged
        ? []
        : ((await iam.listRolePolicies({ RoleName: r.name })).PolicyNames ?? []);
    for (const [name, doc] of Object.entries(materialize(ctx, r.inlinePolicies))) {
      await iam.putRolePolicy({ RoleName: r.name, PolicyName: name, PolicyDocument: JSON.stringify(doc) });
    }
    for (const name of current)
      if (!(name in r.inlinePolicies)) await iam.deleteRolePolicy({ RoleName: r.name, PolicyName: name });
  }
  if (action.action === 'create' && ctx.iamSettleMs > 0)
    await (ctx.wait.sleep ?? ((ms: number) => new Promise<void>((res) => setTimeout(res, ms))))(ctx.iamSettleMs);
}

/** Creates or updates an instance profile. */
export async function applyInstanceProfile(
  ctx: ApplyContext,
  action: PlanAction,
  p: DesiredInstanceProfile,
): Promise<void> {
  const iam = ctx.clients.iam;
  const wanted = materialize(ctx, p.roles, 'name');
  let arn: string | undefined;
  let current: string[] = [];
  if (action.action === 'create') {
    try {
      arn = (
        await iam.createInstanceProfile({ InstanceProfileName: p.name, Tags: [{ Key: STACK_TAG, Value: p.stack }] })
      ).InstanceProfile?.Arn;
      ctx.log(`created instance profile ${p.name}`);
    } catch (e) {
      if (errorName(e) !== 'EntityAlreadyExists' && errorName(e) !== 'EntityAlreadyExistsException') throw e;
      const got = (await iam.getInstanceProfile({ InstanceProfileName: p.name })).InstanceProfile;
      ownedOrThrow('instance profile', p.name, got?.Tags, p.stack);
      arn = got?.Arn;
      current = (got?.Roles ?? []).map((x) => x.RoleName ?? '');
    }
  } else {
    arn = ctx.resolved.get(p.key)?.arn;
    current = ((await iam.getInstanceProfile({ InstanceProfileName: p.name })).InstanceProfile?.Roles ?? []).map(
      (x) => x.RoleName ?? '',
    );
  }
  for (const role of current) {
    if (!wanted.includes(role))
      await iam.removeRoleFromInstanceProfile({ InstanceProfileName: p.name, RoleName: role });
  }
  for (const role of wanted) {
    if (!current.includes(role)) await iam.addRoleToInstanceProfile({ InstanceProfileName: p.name, RoleName: role });
  }
  ctx.resolved.set(p.key, { name: p.name, ...(arn ? { arn } : {}) });
}
