/**
 * Batch steps: scheduling policies, compute environments (create, update, replace-then-retire),
 * job queues (create, update, replace) and job definitions (a new revision only on change).
 */
import type * as batch from '@aws-sdk/client-batch';
import type { DesiredComputeEnvironment, DesiredJobDefinition, DesiredJobQueue, DesiredSchedulingPolicy } from '../plan/desired';
import type { PlanAction } from '../plan/plan';
import { materialize, type ApplyContext } from './context';
import { waitFor } from './waiters';

/** The name a replacement compute environment gets: `<name>-2`, then `-3`, ... (at most 128 characters). */
export function replacementName(modelName: string, current: string): string {
  const m = new RegExp(`^${modelName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(\\d+)$`).exec(current);
  const next = m ? Number(m[1]) + 1 : 2;
  const suffix = `-${next}`;
  return `${modelName.slice(0, 128 - suffix.length)}${suffix}`;
}

/** Creates or updates a scheduling policy. */
export async function applySchedulingPolicy(ctx: ApplyContext, action: PlanAction, p: DesiredSchedulingPolicy): Promise<void> {
  const spec = materialize(ctx, p.spec);
  if (action.action === 'create') {
    const out = await ctx.clients.batch.createSchedulingPolicy({ name: p.name, fairsharePolicy: spec.fairsharePolicy, tags: spec.tags });
    ctx.resolved.set(p.key, { name: p.name, ...(out.arn ? { arn: out.arn } : {}) });
    ctx.log(`created scheduling policy ${p.name}`);
    return;
  }
  const arn = ctx.resolved.get(p.key)?.arn ?? p.name;
  await ctx.clients.batch.updateSchedulingPolicy({ arn, fairsharePolicy: spec.fairsharePolicy ?? {} });
  ctx.log(`updated scheduling policy ${p.name}`);
}

async function createEnvironment(ctx: ApplyContext, e: DesiredComputeEnvironment, name: string): Promise<void> {
  const spec = materialize(ctx, e.spec);
  const request: batch.CreateComputeEnvironmentCommandInput = {
    computeEnvironmentName: name,
    type: spec.type,
    ...(spec.state ? { state: spec.state } : {}),
    ...(spec.unmanagedvCpus !== undefined ? { unmanagedvCpus: spec.unmanagedvCpus } : {}),
    ...(spec.computeResources ? { computeResources: spec.computeResources as batch.ComputeResource } : {}),
    ...(spec.serviceRole ? { serviceRole: spec.serviceRole } : {}),
    ...(spec.tags ? { tags: spec.tags } : {}),
  };
  const out = await ctx.clients.batch.createComputeEnvironment(request);
  ctx.log(`creating compute environment ${name}`);
  await waitFor(ctx.clients.batch, 'compute environment', name, 'VALID', ctx.wait);
  ctx.resolved.set(e.key, { name, ...(out.computeEnvironmentArn ? { arn: out.computeEnvironmentArn } : {}) });
  ctx.log(`compute environment ${name} is VALID`);
}

/** The UpdateComputeEnvironment request for a plan action's changes. */
export function environmentUpdate(ctx: ApplyContext, action: PlanAction, target: string): batch.UpdateComputeEnvironmentCommandInput {
  const request: Record<string, unknown> = { computeEnvironment: target };
  const resources: Record<string, unknown> = {};
  const desired = action.desired?.kind === 'ComputeEnvironment' ? action.desired : undefined;
  for (const c of action.changes) {
    // A launch template version that follows a template of the app is the number that template has now.
    const value = c.field === 'computeResources.launchTemplate' && desired?.launchTemplateVersion ? materialize(ctx, desired.spec.computeResources?.launchTemplate) : materialize(ctx, c.to);
    if (c.field.startsWith('computeResources.')) resources[c.field.slice('computeResources.'.length)] = value;
    else request[c.field] = value;
  }
  if (Object.keys(resources).length > 0) request.computeResources = resources;
  return request as unknown as batch.UpdateComputeEnvironmentCommandInput;
}

/** Creates, updates or (first half of a replacement) creates the replacement of a compute environment. */
export async function applyComputeEnvironment(ctx: ApplyContext, action: PlanAction, e: DesiredComputeEnvironment): Promise<void> {
  if (action.action === 'create') return createEnvironment(ctx, e, e.name);
  const current = action.existing?.name ?? e.name;
  if (action.action === 'replace') {
    const name = replacementName(e.name, current);
    ctx.log(`replacing compute environment ${current} with ${name}: ${action.reasons.filter((r) => r.includes('replacement')).join('; ')}`);
    return createEnvironment(ctx, e, name);
  }
  await ctx.clients.batch.updateComputeEnvironment(environmentUpdate(ctx, action, current));
  ctx.log(`updating compute environment ${current}`);
  await waitFor(ctx.clients.batch, 'compute environment', current, 'VALID', ctx.wait);
}

/** Second half of a replacement, once every queue points at the new environment: disable, wait, delete, wait. */
export async function retireComputeEnvironment(ctx: ApplyContext, oldName: string): Promise<void> {
  await ctx.clients.batch.updateComputeEnvironment({ computeEnvironment: oldName, state: 'DISABLED' });
  await waitFor(ctx.clients.batch, 'compute environment', oldName, 'VALID', ctx.wait);
  await ctx.clients.batch.deleteComputeEnvironment({ computeEnvironment: oldName });
  await waitFor(ctx.clients.batch, 'compute environment', oldName, 'GONE', ctx.wait);
  ctx.log(`deleted replaced compute environment ${oldName}`);
}

function queueFields(ctx: ApplyContext, q: DesiredJobQueue) {
  const spec = materialize(ctx, q.spec);
  return {
    ...(spec.state ? { state: spec.state } : {}),
    priority: spec.priority,
    computeEnvironmentOrder: spec.computeEnvironmentOrder.map((o) => ({ order: o.order, computeEnvironment: o.computeEnvironment })),
    ...(spec.schedulingPolicyArn ? { schedulingPolicyArn: spec.schedulingPolicyArn } : {}),
    ...(spec.jobStateTimeLimitActions ? { jobStateTimeLimitActions: spec.jobStateTimeLimitActions } : {}),
    tags: spec.tags,
  };
}

/** Deletes a queue the way AWS requires: disable, wait, delete, wait until gone. */
export async function deleteQueue(ctx: ApplyContext, name: string, state: string | undefined): Promise<void> {
  if (state !== 'DISABLED') {
    await ctx.clients.batch.updateJobQueue({ jobQueue: name, state: 'DISABLED' });
    await waitFor(ctx.clients.batch, 'job queue', name, 'VALID', ctx.wait);
  }
  await ctx.clients.batch.deleteJobQueue({ jobQueue: name });
  await waitFor(ctx.clients.batch, 'job queue', name, 'GONE', ctx.wait);
}

/** Creates, updates or replaces a job queue. */
export async function applyJobQueue(ctx: ApplyContext, action: PlanAction, q: DesiredJobQueue): Promise<void> {
  const fields = queueFields(ctx, q);
  if (action.action === 'replace') {
    ctx.log(`replacing job queue ${q.name}: ${action.reasons.join('; ')}`);
    await deleteQueue(ctx, q.name, undefined);
  }
  if (action.action === 'create' || action.action === 'replace') {
    const out = await ctx.clients.batch.createJobQueue({ jobQueueName: q.name, ...fields });
    await waitFor(ctx.clients.batch, 'job queue', q.name, 'VALID', ctx.wait);
    ctx.resolved.set(q.key, { name: q.name, ...(out.jobQueueArn ? { arn: out.jobQueueArn } : {}) });
    ctx.log(`job queue ${q.name} is VALID`);
    return;
  }
  const { tags: _tags, ...update } = fields;
  await ctx.clients.batch.updateJobQueue({ jobQueue: q.name, ...update });
  await waitFor(ctx.clients.batch, 'job queue', q.name, 'VALID', ctx.wait);
  ctx.log(`updated job queue ${q.name}`);
}

/** Registers a job definition revision. */
export async function applyJobDefinition(ctx: ApplyContext, d: DesiredJobDefinition): Promise<void> {
  const spec = materialize(ctx, d.spec) as unknown as batch.RegisterJobDefinitionCommandInput;
  const out = await ctx.clients.batch.registerJobDefinition({ ...spec, jobDefinitionName: d.name });
  ctx.resolved.set(d.key, { name: d.name, ...(out.jobDefinitionArn ? { arn: out.jobDefinitionArn } : {}) });
  ctx.log(`registered job definition ${d.name} revision ${out.revision ?? '?'}`);
}
