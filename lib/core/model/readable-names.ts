/**
 * Names and ARNs for front ends that serve or run the model (the local executor and its API): a
 * name built from a value known only at deployment (`!Sub spot-${Namespace}` without a value for
 * `Namespace`) is shown as `spot-<parameter Namespace>`, and every reference to it (a queue's
 * `computeEnvironmentOrder`, its scheduling policy) is rewritten the same way, so links are kept.
 * Other unresolved values (images, commands) are left as they are, for the executor to report.
 */
import type { BatchModel } from './batch-model';
import { displayUnresolved } from './unresolved';

/** A copy of the model whose resource names, ARNs and references between them are readable. */
export function withReadableNames(model: BatchModel): BatchModel {
  const r = <T extends string | undefined>(v: T): T => (typeof v === 'string' ? (displayUnresolved(v) as T) : v);
  return {
    ...model,
    jobDefinitions: model.jobDefinitions.map((d) => ({
      ...d,
      jobDefinitionName: r(d.jobDefinitionName),
      jobDefinitionArn: r(d.jobDefinitionArn),
    })),
    computeEnvironments: model.computeEnvironments.map((c) => ({
      ...c,
      computeEnvironmentName: r(c.computeEnvironmentName),
      computeEnvironmentArn: r(c.computeEnvironmentArn),
    })),
    jobQueues: model.jobQueues.map((q) => ({
      ...q,
      jobQueueName: r(q.jobQueueName),
      jobQueueArn: r(q.jobQueueArn),
      ...(typeof q.schedulingPolicyArn === 'string' ? { schedulingPolicyArn: r(q.schedulingPolicyArn) } : {}),
      computeEnvironmentOrder: q.computeEnvironmentOrder.map((o) => ({
        ...o,
        computeEnvironment: typeof o.computeEnvironment === 'string' ? r(o.computeEnvironment) : o.computeEnvironment,
      })),
    })),
    schedulingPolicies: model.schedulingPolicies.map((p) => ({ ...p, name: r(p.name), arn: r(p.arn) })),
  };
}
