/**
 * Batch resources batchkit created for a planned stack that the app no longer declares (found by
 * the `batchkit:stack` tag): queues, compute environments, scheduling policies and job definitions
 * become `delete` actions, ordered so that no queue is left pointing at a deleted environment.
 * IAM and EC2 leftovers are left to `batchkit destroy`.
 */
import type { ProvisionerClients } from '../clients/interfaces';
import { STACK_TAG, type DesiredState } from './desired';
import {
  activeRevisions,
  allComputeEnvironments,
  allJobQueues,
  allSchedulingPolicyArns,
  describePolicies,
  type ObservedState,
} from './observe';
import type { PlanAction } from './plan';

/** Key of a delete action. */
export function orphanKey(kind: string, name: string): string {
  return `Orphan:${kind}:${name}`;
}

/** Delete actions for the stacks' resources that no desired resource matched. */
export async function findOrphans(
  clients: ProvisionerClients,
  desired: DesiredState,
  observed: ObservedState,
  planned: readonly PlanAction[],
): Promise<PlanAction[]> {
  const stacks = new Set(desired.resources.map((r) => r.stack));
  if (stacks.size === 0) return [];
  const mine = (tags: Record<string, string> | undefined) =>
    tags?.[STACK_TAG] !== undefined && stacks.has(tags[STACK_TAG]);
  const known = new Set([...observed.byKey.values()].map((o) => o.arn ?? o.name));
  const out: PlanAction[] = [];
  const action = (
    kind: PlanAction['kind'],
    name: string,
    stack: string,
    arn: string | undefined,
    dependsOn: string[],
  ): PlanAction => ({
    key: orphanKey(kind, name),
    kind,
    name,
    stack,
    action: 'delete',
    reasons: ['no longer in the app'],
    changes: [],
    dependsOn,
    existing: { name, ...(arn ? { arn } : {}) },
  });
  const queueSteps = planned.filter((a) => a.kind === 'JobQueue' && a.action !== 'no-op').map((a) => a.key);

  const queues = (await allJobQueues(clients)).filter(
    (q) => mine(q.tags) && q.status !== 'DELETED' && q.status !== 'DELETING' && !known.has(q.jobQueueArn ?? ''),
  );
  for (const q of queues) {
    const stack = q.tags?.[STACK_TAG];
    if (q.jobQueueName && stack) out.push(action('JobQueue', q.jobQueueName, stack, q.jobQueueArn, []));
  }
  const afterQueues = [...queueSteps, ...out.map((a) => a.key)];
  const envs = (await allComputeEnvironments(clients)).filter(
    (c) =>
      mine(c.tags) && c.status !== 'DELETED' && c.status !== 'DELETING' && !known.has(c.computeEnvironmentArn ?? ''),
  );
  // A replaced environment's old copy is retired by its replacement step, not here.
  const retiring = new Set(
    planned.filter((a) => a.action === 'replace' && a.kind === 'ComputeEnvironment').map((a) => a.existing?.name),
  );
  for (const c of envs.filter((x) => !retiring.has(x.computeEnvironmentName))) {
    const stack = c.tags?.[STACK_TAG];
    if (c.computeEnvironmentName && stack) {
      out.push(action('ComputeEnvironment', c.computeEnvironmentName, stack, c.computeEnvironmentArn, afterQueues));
    }
  }
  const arns = (await allSchedulingPolicyArns(clients)).filter((a) => !known.has(a));
  for (const p of (await describePolicies(clients, arns)).filter((x) => mine(x.tags))) {
    const stack = p.tags?.[STACK_TAG];
    if (p.name && stack) out.push(action('SchedulingPolicy', p.name, stack, p.arn, afterQueues));
  }
  const desiredNames = new Set(desired.resources.filter((r) => r.kind === 'JobDefinition').map((r) => r.name));
  const seen = new Set<string>();
  for (const d of (await activeRevisions(clients)).filter(
    (x) => mine(x.tags) && !desiredNames.has(x.jobDefinitionName ?? ''),
  )) {
    const name = d.jobDefinitionName;
    const stack = d.tags?.[STACK_TAG];
    if (!name || !stack || seen.has(name)) continue;
    seen.add(name);
    out.push(action('JobDefinition', name, stack, undefined, []));
  }
  return out;
}
