/**
 * Batch steps: scheduling policies, compute environments (create, update, replace-then-retire),
 * job queues (create, update, replace) and job definitions (a new revision only on change).
 */
import type * as batch from '@aws-sdk/client-batch';
import type {
  DesiredComputeEnvironment,
  DesiredJobDefinition,
  DesiredJobQueue,
  DesiredSchedulingPolicy,
} from '../plan/desired';
import type { PlanAction } from '../plan/plan';
import {
  createComputeEnvironmentInput,
  createJobQueueInput,
  fairshareToSdk,
  updateComputeEnvironmentInput,
  updateJobQueueInput,
} from '../clients/batch-map';
import { registerJobDefinitionInput } from '../clients/batch-job-map';
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
export async function applySchedulingPolicy(
  ctx: ApplyContext,
  action: PlanAction,
  p: DesiredSchedulingPolicy,
): Promise<void> {
  const spec = materialize(ctx, p.spec);
  if (action.action === 'create') {
    const out = await ctx.clients.batch.createSchedulingPolicy({
      name: p.name,
      ...(spec.fairsharePolicy ? { fairsharePolicy: fairshareToSdk(spec.fairsharePolicy) } : {}),
      ...(spec.tags ? { tags: spec.tags } : {}),
    });
    ctx.resolved.set(p.key, { name: p.name, ...(out.arn ? { arn: out.arn } : {}) });
    ctx.log(`created scheduling policy ${p.name}`);
    return;
  }
  const arn = ctx.resolved.get(p.key)?.arn ?? p.name;
  await ctx.clients.batch.updateSchedulingPolicy({ arn, fairsharePolicy: fairshareToSdk(spec.fairsharePolicy ?? {}) });
  ctx.log(`updated scheduling policy ${p.name}`);
}

async function createEnvironment(ctx: ApplyContext, e: DesiredComputeEnvironment, name: string): Promise<void> {
  const request = createComputeEnvironmentInput(name, materialize(ctx, e.spec));
  const out = await ctx.clients.batch.createComputeEnvironment(request);
  ctx.log(`creating compute environment ${name}`);
  await waitFor(ctx.clients.batch, 'compute environment', name, 'VALID', ctx.wait);
  ctx.resolved.set(e.key, { name, ...(out.computeEnvironmentArn ? { arn: out.computeEnvironmentArn } : {}) });
  ctx.log(`compute environment ${name} is VALID`);
}

/** The UpdateComputeEnvironment request for a plan action's changes. */
export function environmentUpdate(
  ctx: ApplyContext,
  action: PlanAction,
  target: string,
): batch.UpdateComputeEnvironmentCommandInput {
  const desired = action.desired?.kind === 'ComputeEnvironment' ? action.desired : undefined;
  if (!desired) return { computeEnvironment: target };
  // The changed fields take the desired values; a launch template version that follows a template
  // of the app is materialized to the number that template has now.
  return updateComputeEnvironmentInput(
    target,
    materialize(ctx, desired.spec),
    action.changes.map((c) => c.field),
  );
}

/** Creates, updates or (first half of a replacement) creates the replacement of a compute environment. */
export async function applyComputeEnvironment(
  ctx: ApplyContext,
  action: PlanAction,
  e: DesiredComputeEnvironment,
): Promise<void> {
  if (action.action === 'create') return createEnvironment(ctx, e, e.name);
  const current = action.existing?.name ?? e.name;
  if (action.action === 'replace') {
    const name = replacementName(e.name, current);
    ctx.log(
      `replacing compute environment ${current} with ${name}: ` +
        `${action.reasons.filter((r) => r.includes('replacement')).join('; ')}`,
    );
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
  const spec = materialize(ctx, q.spec);
  if (action.action === 'replace') {
    ctx.log(`replacing job queue ${q.name}: ${action.reasons.join('; ')}`);
    await deleteQueue(ctx, q.name, undefined);
  }
  if (action.action === 'create' || action.action === 'replace') {
    const out = await ctx.clients.batch.createJobQueue(createJobQueueInput({ ...spec, jobQueueName: q.name }));
    await waitFor(ctx.clients.batch, 'job queue', q.name, 'VALID', ctx.wait);
    ctx.resolved.set(q.key, { name: q.name, ...(out.jobQueueArn ? { arn: out.jobQueueArn } : {}) });
    ctx.log(`job queue ${q.name} is VALID`);
    return;
  }
  await ctx.clients.batch.updateJobQueue(updateJobQueueInput({ ...spec, jobQueueName: q.name }));
  await waitFor(ctx.clients.batch, 'job queue', q.name, 'VALID', ctx.wait);
  ctx.log(`updated job queue ${q.name}`);
}

/** Registers a job definition revision. */
export async function applyJobDefinition(ctx: ApplyContext, d: DesiredJobDefinition): Promise<void> {
  const input = registerJobDefinitionInput(d.name, materialize(ctx, d.spec));
  const out = await ctx.clients.batch.registerJobDefinition(input);
  ctx.resolved.set(d.key, { name: d.name, ...(out.jobDefinitionArn ? { arn: out.jobDefinitionArn } : {}) });
  ctx.log(`registered job definition ${d.name} revision ${out.revision ?? '?'}`);
}
