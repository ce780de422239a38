/**
 * SubmitJob overrides of multi-container job definitions (BATCH-SJ-014): `ecsPropertiesOverride`
 * only for `ecsProperties` definitions and `eksPropertiesOverride` only for `eksProperties` ones,
 * one task override at most, each container override naming a container of the definition, and
 * no `containerOverrides` on either (the API reference: EcsPropertiesOverride, EksPropertiesOverride).
 */
import type { JobDefinition } from '../model/job-definition';
import type { SubmitJobRequest } from '../model/job';
import type { Finding, FindingInput } from './finding';

type Report = (input: Omit<FindingInput, 'code' | 'severity' | 'resource'>) => Finding;

/** The findings of BATCH-SJ-014 for a request and the definition it names. */
export function podOverrideFindings(request: SubmitJobRequest, d: JobDefinition, report: Report): Finding[] {
  const out: Finding[] = [];
  const ecs = request.ecsPropertiesOverride;
  const eks = request.eksPropertiesOverride;
  if (ecs !== undefined && !d.ecsProperties) {
    out.push(
      report({
        field: 'ecsPropertiesOverride',
        problem: `the job definition "${d.jobDefinitionName}" has no ecsProperties.`,
        allowed: 'ecsPropertiesOverride only for job definitions with ecsProperties',
        fix: d.eksProperties ? 'Use eksPropertiesOverride.' : 'Use containerOverrides.',
      }),
    );
  }
  if (eks !== undefined && !d.eksProperties) {
    out.push(
      report({
        field: 'eksPropertiesOverride',
        problem: `the job definition "${d.jobDefinitionName}" has no eksProperties.`,
        allowed: 'eksPropertiesOverride only for job definitions with eksProperties',
        fix: d.ecsProperties ? 'Use ecsPropertiesOverride.' : 'Use containerOverrides.',
      }),
    );
  }
  if (request.containerOverrides !== undefined && (d.ecsProperties || d.eksProperties)) {
    const kind = d.ecsProperties ? 'ecsPropertiesOverride' : 'eksPropertiesOverride';
    out.push(
      report({
        field: 'containerOverrides',
        problem:
          `the job definition "${d.jobDefinitionName}" has ` +
          `${d.ecsProperties ? 'ecsProperties' : 'eksProperties'}; containerOverrides do not apply to it.`,
        allowed: kind,
        fix: `Override its containers by name in ${kind}.`,
      }),
    );
  }
  if (ecs !== undefined && d.ecsProperties) {
    const tasks = ecs.taskProperties ?? [];
    if (tasks.length > 1)
      out.push(
        report({
          field: 'ecsPropertiesOverride.taskProperties',
          problem: `${tasks.length} task overrides were given.`,
          value: tasks.length,
          allowed: 'one (the task of the definition)',
          fix: 'Put every container override in one taskProperties entry.',
        }),
      );
    const names = (d.ecsProperties.taskProperties[0]?.containers ?? []).map((c) => c.name);
    tasks.forEach((t, i) =>
      (t.containers ?? []).forEach((o, j) => {
        const single = names.length === 1 && o.name === undefined;
        if (!single && !names.includes(o.name)) {
          out.push(
            report({
              field: `ecsPropertiesOverride.taskProperties[${i}].containers[${j}].name`,
              problem: 'the override names no container of the job definition.',
              value: o.name,
              allowed: names.filter((n) => n !== undefined).join(', '),
              fix: 'Name a container of the task.',
            }),
          );
        }
      }),
    );
  }
  if (eks !== undefined && d.eksProperties) {
    const pod = d.eksProperties.podProperties ?? {};
    for (const [kind, list] of [
      ['containers', pod.containers ?? []],
      ['initContainers', pod.initContainers ?? []],
    ] as const) {
      const names = list.map((c) => c.name ?? 'Default');
      (eks.podProperties?.[kind] ?? []).forEach((o, j) => {
        const name = o.name ?? (names.length === 1 ? names[0] : undefined);
        if (name === undefined || !names.includes(name)) {
          out.push(
            report({
              field: `eksPropertiesOverride.podProperties.${kind}[${j}].name`,
              problem: `the override names no ${kind === 'containers' ? 'container' : 'init container'} of the pod.`,
              value: o.name,
              allowed: names.join(', ') || 'none declared',
              fix: 'Name a container of the pod.',
            }),
          );
        }
      });
    }
  }
  return out;
}
