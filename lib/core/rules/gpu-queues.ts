/**
 * `BATCH-X-004`: a GPU job definition that no queue of its stack is known to place. A stack commonly
 * has CPU queues and a GPU queue; a GPU job belongs on the GPU queue and the CPU queues say nothing
 * about it. When no queue can place the job at all, `BATCH-X-003` reports the error (with each
 * queue's reason). This rule covers what `BATCH-X-003` cannot decide: none of the job's queues has
 * a GPU instance type batchkit knows, but some of them have instance types it cannot check (known
 * only at deployment, not in its catalogue, an unmanaged environment, an environment outside the
 * template), so the job may well stay RUNNABLE forever. One finding per job definition.
 */
import type { BatchModel } from '../model/batch-model';
import type { LoadedComputeEnvironment } from '../model/compute-environment';
import type { LoadedJobDefinition } from '../model/job-definition';
import type { LoadedJobQueue } from '../model/job-queue';
import { containerResources, definitionContainers } from '../model/resources';
import { isUnresolved } from '../model/unresolved';
import { finding, type Finding } from './finding';
import { resolveInstanceTypes } from './instance-types';
import { computeEnvironmentOf, computeEnvironmentProblems, placementProblems, platformOf } from './placement';
import type { Rule, RuleContext } from './rule';
import { definitionsWithQueues } from './stack-pairing';

/** Why an environment's GPU capacity cannot be checked; undefined when it can. */
function uncheckable(ce: LoadedComputeEnvironment | undefined): string | undefined {
  if (!ce) return 'is not in the template';
  if (ce.type === 'UNMANAGED') return 'is unmanaged (its instances are yours)';
  if (platformOf(ce) === undefined) return 'has a type known only at deployment';
  if (platformOf(ce) === 'FARGATE') return undefined;
  const types = ce.computeResources?.instanceTypes;
  if (!types || isUnresolved(types)) return 'has instance types known only at deployment';
  const unknown = resolveInstanceTypes(types).unknown;
  if (unknown.length > 0) return `has instance types batchkit's catalogue does not know (${unknown.join(', ')})`;
  return undefined;
}

/** The queue's environments and, for each, whether it certainly runs the job and why it could not be checked. */
function examine(
  model: BatchModel,
  q: LoadedJobQueue,
  jd: LoadedJobDefinition,
): { proven: boolean; unknown: string[] } {
  const order = q.computeEnvironmentOrder ?? [];
  if (isUnresolved(order.map((o) => o.computeEnvironment)))
    return { proven: false, unknown: ['its compute environments are known only at deployment'] };
  let proven = false;
  const unknown: string[] = [];
  for (const o of order) {
    const ce = computeEnvironmentOf(model, o.computeEnvironment, q.source);
    const why = uncheckable(ce);
    if (why) unknown.push(`compute environment "${ce?.computeEnvironmentName ?? o.computeEnvironment}" ${why}`);
    else if (ce && computeEnvironmentProblems(jd, ce).length === 0) proven = true;
  }
  return { proven, unknown };
}

/** The job's largest GPU count (0 when it asks for none or only unresolved counts) and the field that asks. */
function gpuAsk(jd: LoadedJobDefinition): { gpus: number; field?: string } {
  let best: { gpus: number; field?: string } = { gpus: 0 };
  for (const dc of definitionContainers(jd)) {
    const g = containerResources(dc.container).gpus;
    if (g !== undefined && !isUnresolved(g) && g > best.gpus)
      best = { gpus: g, field: `${dc.path}.resourceRequirements[GPU]` };
  }
  return best;
}

/** `BATCH-X-004`; see the module comment. */
export const gpuQueueRule: Rule = {
  code: 'BATCH-X-004',
  severity: 'warning',
  description:
    'A GPU job definition has a queue of its stack known to have GPU ' +
    'instance types for it (one finding per job, when none is and BATCH-X-003 cannot decide).',
  check(model: BatchModel, ctx: RuleContext): Finding[] {
    return definitionsWithQueues(model).flatMap(({ jd, queues }) => {
      const { gpus, field } = gpuAsk(jd);
      if (!(gpus > 0)) return [];
      if (queues.length === 0) return [];
      // No queue can place it at all: BATCH-X-003 reports that as an error.
      if (queues.every((q) => placementProblems(jd, q, model).length > 0)) return [];
      const seen = queues.map((q) => ({ q, ...examine(model, q, jd) }));
      if (seen.some((s) => s.proven)) return [];
      const names = seen.map((s) => `"${s.q.jobQueueName}"`).join(', ');
      const unknown = seen.flatMap((s) => s.unknown.map((u) => `queue "${s.q.jobQueueName}": ${u}`));
      return [
        finding({
          code: ctx.code,
          severity: ctx.severity,
          resource: { kind: 'JobDefinition', name: jd.jobDefinitionName ?? '(unnamed)', source: jd.source },
          field,
          problem:
            `the job needs ${gpus} GPU(s) but none of its queues (the queues of its ` +
            `stack and those its template refers to: ${names}) is known to have a GPU instance type for it; ` +
            `if none has, a job submitted there stays RUNNABLE forever. Not checkable: ${unknown.join('; ')}.`,
          allowed: 'a queue with a compute environment whose instance types have GPUs (g4dn, g5, g6, p3, p4d, ...)',
          fix:
            'give a queue of the stack an environment with GPU instance types ' +
            'written in the template, or exclude BATCH-X-004 if the deployed environments have them.',
        }),
      ];
    });
  },
};
