/**
 * Cross-resource rules (`BATCH-X-…`): what no single resource shows and aws-cdk-lib does not check.
 * A queue mixing EC2 and Fargate, or x86 and ARM, environments; a job definition no queue of the
 * application can ever place (it would stay RUNNABLE forever); multi-node jobs on Spot or Fargate;
 * too many security groups on environments that run multi-node jobs. In a multi-stack assembly a job
 * definition is checked against the queues of its own stack and the queues its stack's template
 * refers to, not against every queue of the assembly (see `stack-pairing.ts`).
 * @see https://docs.aws.amazon.com/batch/latest/APIReference/API_CreateJobQueue.html
 * @see https://docs.aws.amazon.com/batch/latest/userguide/multi-node-parallel-jobs.html
 */
import type { BatchModel } from '../model/batch-model';
import type { ComputeEnvironment, LoadedComputeEnvironment } from '../model/compute-environment';
import type { LoadedJobDefinition } from '../model/job-definition';
import type { LoadedJobQueue } from '../model/job-queue';
import { containerResources, definitionContainers } from '../model/resources';
import { isUnresolved } from '../model/unresolved';
import { computeEnvironmentRef } from './compute-environment';
import { finding, type Finding, type ResourceRef } from './finding';
import { resolveInstanceTypes } from './instance-types';
import { jobQueueRef } from './job-queue';
import { gpuQueueRule } from './gpu-queues';
import { LAUNCH_TEMPLATE_RULES } from './launch-template';
import {
  computeEnvironmentOf,
  explainPlacement,
  placementProblems,
  platformOf,
  type PlacementProblem,
} from './placement';
import { whenKnown, type Rule, type RuleContext } from './rule';
import { definitionsWithQueues, rootStackOf } from './stack-pairing';

/** The environments of a queue that are in the model (unresolved or outside references left out). */
export function queueEnvironments(model: BatchModel, q: LoadedJobQueue): LoadedComputeEnvironment[] {
  return (q.computeEnvironmentOrder ?? [])
    .map((o) => computeEnvironmentOf(model, o.computeEnvironment, q.source))
    .filter((ce): ce is LoadedComputeEnvironment => ce !== undefined);
}

/** Every queue of the model with its environments in the model: the loop of the queue-mixing rules. */
function queuesWithEnvironments(model: BatchModel): Array<{ q: LoadedJobQueue; ces: LoadedComputeEnvironment[] }> {
  return model.jobQueues.map((q) => ({ q, ces: queueEnvironments(model, q) }));
}

function definitionRef(jd: LoadedJobDefinition): ResourceRef {
  return { kind: 'JobDefinition', name: jd.jobDefinitionName ?? '(unnamed)', source: jd.source };
}

function list(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}

const platformMixRule: Rule = {
  code: 'BATCH-X-001',
  severity: 'error',
  description:
    'A job queue does not mix EC2/SPOT (or unmanaged) with ' +
    'FARGATE/FARGATE_SPOT environments, nor ECS with EKS ones.',
  check(model: BatchModel, ctx: RuleContext): Finding[] {
    return queuesWithEnvironments(model).flatMap(({ q, ces }) => {
      const by = (p: 'EC2' | 'FARGATE'): string[] =>
        ces.filter((ce) => platformOf(ce) === p).map((ce) => ce.computeEnvironmentName);
      const out: Finding[] = [];
      if (by('EC2').length > 0 && by('FARGATE').length > 0) {
        out.push(
          finding({
            code: ctx.code,
            severity: ctx.severity,
            resource: jobQueueRef(q),
            field: 'computeEnvironmentOrder',
            problem:
              `the queue mixes EC2 environments (${list(by('EC2'))}) with Fargate ` +
              `environments (${list(by('FARGATE'))}); Batch rejects the queue.`,
            allowed: 'only EC2/SPOT environments, or only FARGATE/FARGATE_SPOT environments',
            fix: 'use one queue for the EC2 environments and another for the Fargate ones.',
          }),
        );
      }
      const orchestration = new Set(ces.map((ce) => ce.containerOrchestrationType ?? 'ECS'));
      if (orchestration.size > 1) {
        out.push(
          finding({
            code: ctx.code,
            severity: ctx.severity,
            resource: jobQueueRef(q),
            field: 'computeEnvironmentOrder',
            problem: 'the queue mixes ECS and EKS compute environments; Batch rejects the queue.',
            allowed: 'environments of one orchestration type',
            fix: 'use one queue per orchestration type.',
          }),
        );
      }
      return out;
    });
  },
};

/** Architectures an EC2 environment's instance types use (empty when unknown or Fargate). */
function architecturesOf(ce: ComputeEnvironment): string[] {
  const types = ce.computeResources?.instanceTypes;
  if (platformOf(ce) !== 'EC2' || !types || isUnresolved(types)) return [];
  return [...resolveInstanceTypes(types).architectures];
}

const architectureMixRule: Rule = {
  code: 'BATCH-X-002',
  severity: 'error',
  description: 'All compute environments of a job queue share one architecture (no x86 and ARM mix).',
  check(model: BatchModel, ctx: RuleContext): Finding[] {
    return queuesWithEnvironments(model).flatMap(({ q, ces }) => {
      const byArch = new Map<string, string[]>();
      for (const ce of ces) {
        for (const a of architecturesOf(ce)) byArch.set(a, [...(byArch.get(a) ?? []), ce.computeEnvironmentName]);
      }
      if (byArch.size < 2) return [];
      const parts = [...byArch.entries()].sort().map(([a, names]) => `${a} (${list(names)})`);
      return [
        finding({
          code: ctx.code,
          severity: ctx.severity,
          resource: jobQueueRef(q),
          field: 'computeEnvironmentOrder',
          problem:
            `the queue mixes architectures: ${parts.join(' and ')}; Batch does not ` +
            `support mixed architectures in one queue.`,
          allowed: 'environments of one architecture',
          fix: 'use one queue per architecture, and submit each job to the queue its image is built for.',
        }),
      ];
    });
  },
};

/** The definition's queues (see `stack-pairing.ts`) and why each cannot run it (empty problems: it can). */
function placements(
  model: BatchModel,
  queues: readonly LoadedJobQueue[],
  jd: LoadedJobDefinition,
): Array<{ q: LoadedJobQueue; problems: PlacementProblem[] }> {
  return queues.map((q) => ({ q, problems: placementProblems(jd, q, model) }));
}

/** True for multi-node parallel definitions. */
function isMultinode(jd: LoadedJobDefinition): boolean {
  return Boolean(jd.nodeProperties);
}

/** True when there are queues and every one has only Fargate environments (multi-node jobs cannot run there). */
function onlyFargateQueues(model: BatchModel, queues: readonly LoadedJobQueue[]): boolean {
  return (
    queues.length > 0 &&
    queues.every((q) => {
      const ces = queueEnvironments(model, q);
      return (
        ces.length > 0 &&
        ces.length === (q.computeEnvironmentOrder ?? []).length &&
        ces.every((ce) => platformOf(ce) === 'FARGATE')
      );
    })
  );
}

/** Info findings for unresolved resource requirements, which the placement check had to skip. */
function unresolvedAsks(jd: LoadedJobDefinition, ctx: RuleContext): Finding[] {
  return definitionContainers(jd).flatMap((dc) => {
    const r = containerResources(dc.container);
    const dims: Array<[string, number | undefined]> = [
      ['VCPU', r.vcpus],
      ['MEMORY', r.memoryMiB],
      ['GPU', r.gpus],
    ];
    return dims
      .filter(([, v]) => v !== undefined && isUnresolved(v))
      .flatMap(([name, v]) =>
        whenKnown(ctx, definitionRef(jd), `${dc.path}.resourceRequirements[${name}]`, v, () => []),
      );
  });
}

/** Info: the definition's stack has no queue and refers to none, so the placement check was skipped. */
function notPaired(model: BatchModel, jd: LoadedJobDefinition, ctx: RuleContext): Finding {
  const stack = rootStackOf(jd.source) ?? '';
  const others = [...new Set(model.jobQueues.map((q) => rootStackOf(q.source) ?? ''))].filter((s) => s !== '');
  return finding({
    code: ctx.code,
    severity: 'info',
    resource: definitionRef(jd),
    problem:
      `rule ${ctx.code} skipped: stack "${stack}" has no job queue and its ` +
      `template refers to none; the queues of other stacks (${list(others)}) are not checked against it.`,
    fix:
      'add a queue to the stack, or refer to the queue its jobs are submitted ' +
      'to (for example pass the queue to a construct of this stack).',
  });
}

const runnableForeverRule: Rule = {
  code: 'BATCH-X-003',
  severity: 'error',
  description:
    'Every job definition can be placed by at least one job queue of the ' +
    'application (platform, vCPUs, memory, GPUs, maxvCpus).',
  check(model: BatchModel, ctx: RuleContext): Finding[] {
    if (model.jobQueues.length === 0) return [];
    return definitionsWithQueues(model).flatMap(({ jd, queues }) => {
      const skipped = unresolvedAsks(jd, ctx);
      if (queues.length === 0) return [...skipped, notPaired(model, jd, ctx)];
      if (jd.nodeProperties && onlyFargateQueues(model, queues)) return skipped;
      const all = placements(model, queues, jd);
      if (all.some((p) => p.problems.length === 0)) return skipped;
      const kinds = new Set(all.flatMap((p) => p.problems.map((x) => x.kind)));
      const fixes: string[] = [];
      if (kinds.has('platform')) fixes.push('add a queue whose environments match the platformCapabilities');
      if (kinds.has('max-vcpus')) fixes.push('raise maxvCpus');
      if (kinds.has('vcpus') || kinds.has('memory') || kinds.has('combination') || kinds.has('instance-type'))
        fixes.push('allow larger instance types');
      if (kinds.has('no-gpu') || kinds.has('gpus')) fixes.push('add GPU instance types (g4dn, g5, p3, ...)');
      fixes.push("or lower the job's resource requirements");
      return [
        ...skipped,
        finding({
          code: ctx.code,
          severity: ctx.severity,
          resource: definitionRef(jd),
          field: all.flatMap((p) => p.problems).find((p) => p.field)?.field,
          problem:
            'no job queue of the application can ever run this job definition: this ' +
            'job would stay RUNNABLE forever.',
          details: all.map(({ q, problems }) => explainPlacement(q.jobQueueName, problems)),
          fix: `${fixes.join(', ')}.`,
        }),
      ];
    });
  },
};

const multinodeFargateRule: Rule = {
  code: 'BATCH-X-005',
  severity: 'error',
  description:
    'Multi-node parallel definitions have a queue that is not only Fargate ' +
    '(multi-node jobs cannot run on Fargate).',
  check(model: BatchModel, ctx: RuleContext): Finding[] {
    return definitionsWithQueues(model, isMultinode).flatMap(({ jd, queues }) => {
      if (!onlyFargateQueues(model, queues)) return [];
      return [
        finding({
          code: ctx.code,
          severity: ctx.severity,
          resource: definitionRef(jd),
          field: 'nodeProperties',
          problem:
            `multi-node parallel jobs cannot run on Fargate, and every queue of the ` +
            `application (${list(queues.map((q) => q.jobQueueName))}) uses only ` +
            `Fargate environments: this job would never start.`,
          fix: 'add a queue with a managed EC2 compute environment (On-Demand, in a cluster placement group).',
        }),
      ];
    });
  },
};

const multinodeSpotRule: Rule = {
  code: 'BATCH-X-006',
  severity: 'warning',
  description:
    'Multi-node parallel definitions can run on a queue that is not only ' +
    'Spot (Batch does not support them on Spot).',
  check(model: BatchModel, ctx: RuleContext): Finding[] {
    return definitionsWithQueues(model, isMultinode).flatMap(({ jd, queues }) => {
      const homes = placements(model, queues, jd).filter((p) => p.problems.length === 0);
      const spotOnly = homes.filter(({ q }) => {
        const ces = queueEnvironments(model, q);
        return ces.length > 0 && ces.every((ce) => ce.computeResources?.type === 'SPOT');
      });
      if (homes.length === 0 || spotOnly.length < homes.length) return [];
      return [
        finding({
          code: ctx.code,
          severity: ctx.severity,
          resource: definitionRef(jd),
          field: 'nodeProperties',
          problem:
            `the only queues that can run this multi-node parallel job (` +
            `${list(spotOnly.map((p) => p.q.jobQueueName))}) use only SPOT ` +
            `environments; Batch does not support multi-node parallel jobs on Spot Instances.`,
          fix: 'add an On-Demand (EC2) compute environment for multi-node jobs.',
        }),
      ];
    });
  },
};

/** Most security groups an environment running multi-node jobs may have. */
export const MNP_MAX_SECURITY_GROUPS = 5;

const mnpSecurityGroupsRule: Rule = {
  code: 'BATCH-X-007',
  severity: 'error',
  description:
    `Compute environments that can run multi-node parallel jobs have at ` +
    `most ${MNP_MAX_SECURITY_GROUPS} security groups.`,
  check(model: BatchModel, ctx: RuleContext): Finding[] {
    const flagged = new Set<LoadedComputeEnvironment>();
    for (const { jd, queues } of definitionsWithQueues(model, isMultinode)) {
      for (const { q, problems } of placements(model, queues, jd)) {
        if (problems.length > 0) continue;
        for (const ce of queueEnvironments(model, q)) {
          const sgs = ce.computeResources?.securityGroupIds;
          if (sgs && !isUnresolved(sgs) && sgs.length > MNP_MAX_SECURITY_GROUPS) flagged.add(ce);
        }
      }
    }
    return [...flagged].map((ce) =>
      finding({
        code: ctx.code,
        severity: ctx.severity,
        resource: computeEnvironmentRef(ce),
        field: 'computeResources.securityGroupIds',
        problem:
          `the environment can run multi-node parallel jobs but has ` +
          `${ce.computeResources?.securityGroupIds?.length} security groups; ` +
          `multi-node jobs use awsvpc networking, which allows ${MNP_MAX_SECURITY_GROUPS}.`,
        value: ce.computeResources?.securityGroupIds,
        allowed: `at most ${MNP_MAX_SECURITY_GROUPS} security groups`,
        fix: "merge the security groups' rules into fewer groups.",
      }),
    );
  },
};

/** Cross-resource rules, launch template rules included. */
export const CROSS_RESOURCE_RULES: readonly Rule[] = [
  platformMixRule,
  architectureMixRule,
  runnableForeverRule,
  gpuQueueRule,
  multinodeFargateRule,
  multinodeSpotRule,
  mnpSecurityGroupsRule,
  ...LAUNCH_TEMPLATE_RULES,
];
