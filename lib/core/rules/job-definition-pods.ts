/**
 * Rules of multi-container job definitions (API reference: EcsProperties, EcsTaskProperties,
 * TaskContainerProperties, TaskContainerDependency, EksProperties, EksPodProperties, EksContainer,
 * EksVolume): BATCH-JD-033 the ECS task, BATCH-JD-034 the EKS pod.
 */
import {
  TASK_CONTAINER_CONDITIONS,
  type EksContainer,
  type EksPodProperties,
  type EcsTaskProperties,
} from '../model/job-definition-pods';
import { isUnresolved } from '../model/unresolved';
import type { Finding } from './finding';
import { definitionRule, isObject, type DefinitionCheck } from './job-definition-common';
import type { Rule } from './rule';

/** Most containers in one ECS task or EKS pod ("limited to 10 elements"). */
export const MAX_POD_CONTAINERS = 10;
/** A Kubernetes container name (DNS-1123 label). */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** A Kubernetes volume name (DNS subdomain). */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const EKS_RESOURCES = ['cpu', 'memory', 'nvidia.com/gpu'];
const DNS_POLICIES = ['Default', 'ClusterFirst', 'ClusterFirstWithHostNet'];

type Report = DefinitionCheck['report'];

const known = (v: unknown): boolean => v !== undefined && !isUnresolved(v);

/** The ECS task of `ecsProperties`. */
export function checkEcsTask(task: EcsTaskProperties, base: string, report: Report): Finding[] {
  const out: Finding[] = [];
  const containers = Array.isArray(task.containers) ? task.containers : [];
  if (containers.length < 1 || containers.length > MAX_POD_CONTAINERS) {
    out.push(
      report({
        field: `${base}.containers`,
        problem: `the task has ${containers.length} containers.`,
        value: containers.length,
        allowed: `1 to ${MAX_POD_CONTAINERS} containers`,
        fix:
          containers.length < 1
            ? 'Add at least one container with an image.'
            : 'Split the work over more job definitions.',
      }),
    );
  }
  const names = containers.map((c) => c.name);
  const volumes = new Set((task.volumes ?? []).map((v) => v.name));
  containers.forEach((c, i) => {
    const at = `${base}.containers[${i}]`;
    if (!known(c.image) && !isUnresolved(c.image)) {
      out.push(
        report({
          field: `${at}.image`,
          problem: 'the container has no image.',
          allowed: 'an image reference',
          fix: 'Set image, e.g. "public.ecr.aws/docker/library/busybox:latest".',
        }),
      );
    }
    if (containers.length > 1 && (c.name === undefined || c.name === '')) {
      out.push(
        report({
          field: `${at}.name`,
          problem: 'a container of a task of several containers has no name.',
          allowed: 'a name unique in the task',
          fix: 'Name every container; dependsOn and overrides refer to containers by name.',
        }),
      );
    } else if (known(c.name) && names.indexOf(c.name) !== i) {
      out.push(
        report({
          field: `${at}.name`,
          problem: 'two containers of the task have the same name.',
          value: c.name,
          allowed: 'names unique in the task',
          fix: 'Rename one of them.',
        }),
      );
    }
    for (const [j, d] of (c.dependsOn ?? []).entries()) {
      const dAt = `${at}.dependsOn[${j}]`;
      const target = containers.find((x) => x.name === d.containerName);
      if (known(d.containerName) && (!target || d.containerName === c.name)) {
        out.push(
          report({
            field: `${dAt}.containerName`,
            problem: target ? 'a container depends on itself.' : 'the container it depends on is not in the task.',
            value: d.containerName,
            allowed:
              names.filter((n) => n !== c.name && n !== undefined).join(', ') ||
              'the name of another container of the task',
            fix: 'Name another container of the same task.',
          }),
        );
      }
      if (known(d.condition) && !(TASK_CONTAINER_CONDITIONS as readonly string[]).includes(String(d.condition))) {
        out.push(
          report({
            field: `${dAt}.condition`,
            problem: 'the dependency condition is not known.',
            value: d.condition,
            allowed: TASK_CONTAINER_CONDITIONS.join(', '),
            fix: 'Use START, COMPLETE, SUCCESS or HEALTHY.',
          }),
        );
      }
      if ((d.condition === 'COMPLETE' || d.condition === 'SUCCESS') && target && target.essential !== false) {
        out.push(
          report({
            field: `${dAt}.condition`,
            problem:
              `${d.condition} is set on essential container ` +
              `${String(d.containerName)}; an essential container that exits stops the task.`,
            value: d.condition,
            allowed: 'COMPLETE/SUCCESS only on containers with essential: false; START or HEALTHY on essential ones',
            fix: `Set essential: false on ${String(d.containerName)}, or wait for START instead.`,
          }),
        );
      }
    }
    for (const [j, m] of (c.mountPoints ?? []).entries()) {
      if (known(m.sourceVolume) && !volumes.has(m.sourceVolume as string)) {
        out.push(
          report({
            field: `${at}.mountPoints[${j}].sourceVolume`,
            problem: 'the mount point names a volume the task does not declare.',
            value: m.sourceVolume,
            allowed: [...volumes].join(', ') || 'a volume of taskProperties[].volumes',
            fix: "Declare the volume in the task's volumes, or correct the name.",
          }),
        );
      }
    }
    for (const [j, e] of (c.environment ?? []).entries()) {
      if (typeof e.name === 'string' && e.name.startsWith('AWS_BATCH')) {
        out.push(
          report({
            field: `${at}.environment[${j}].name`,
            problem: 'environment variable names starting with AWS_BATCH are reserved.',
            value: e.name,
            allowed: 'names not starting with AWS_BATCH',
            fix: 'Rename the variable.',
          }),
        );
      }
    }
  });
  if (containers.length > 0 && !containers.some((c) => c.essential !== false)) {
    out.push(
      report({
        field: `${base}.containers`,
        problem: 'no container of the task is essential, so nothing decides when the job ends.',
        allowed: 'at least one container with essential true (the default)',
        fix: 'Mark the main container essential: true.',
      }),
    );
  }
  const cycle = dependencyCycle(
    containers.map((c) => ({ name: c.name, on: (c.dependsOn ?? []).map((d) => d.containerName) })),
  );
  if (cycle) {
    out.push(
      report({
        field: `${base}.containers`,
        problem: `the containers wait for each other in a cycle: ${cycle.join(' -> ')}.`,
        allowed: 'dependsOn without cycles',
        fix: 'Remove one dependsOn entry of the cycle.',
      }),
    );
  }
  const declared = (type: string) =>
    containers.some((c) => (c.resourceRequirements ?? []).some((r) => r.type === type));
  for (const type of ['VCPU', 'MEMORY']) {
    if (containers.length > 0 && !declared(type)) {
      out.push(
        report({
          field: `${base}.containers`,
          problem: `no container of the task reserves ${type}.`,
          allowed: `resourceRequirements with ${type} on the containers (the task reserves their sum)`,
          fix: `Add {"type": "${type}", "value": ...} to the containers' resourceRequirements.`,
        }),
      );
    }
  }
  return out;
}

/** The EKS pod of `eksProperties`. */
export function checkEksPod(pod: EksPodProperties, base: string, report: Report): Finding[] {
  const out: Finding[] = [];
  const containers = pod.containers ?? [];
  const inits = pod.initContainers ?? [];
  if (containers.length < 1 || containers.length > MAX_POD_CONTAINERS) {
    out.push(
      report({
        field: `${base}.containers`,
        problem: `the pod has ${containers.length} containers.`,
        value: containers.length,
        allowed: `1 to ${MAX_POD_CONTAINERS} containers`,
        fix: containers.length < 1 ? 'Add a container with an image.' : 'Split the work over more job definitions.',
      }),
    );
  }
  if (inits.length > MAX_POD_CONTAINERS) {
    out.push(
      report({
        field: `${base}.initContainers`,
        problem: `the pod has ${inits.length} init containers.`,
        value: inits.length,
        allowed: `at most ${MAX_POD_CONTAINERS}`,
        fix: 'Merge init steps.',
      }),
    );
  }
  const volumes = pod.volumes ?? [];
  const volumeNames = new Set<string>();
  volumes.forEach((v, i) => {
    const at = `${base}.volumes[${i}]`;
    if (known(v.name) && (!DNS_SUBDOMAIN.test(v.name) || volumeNames.has(v.name))) {
      out.push(
        report({
          field: `${at}.name`,
          problem: volumeNames.has(v.name)
            ? 'two volumes have the same name.'
            : 'the volume name is not a DNS subdomain name.',
          value: v.name,
          allowed: 'unique lower-case letters, digits, "-" and "." (start and end alphanumeric), up to 253',
          fix: 'Rename the volume.',
        }),
      );
    }
    if (typeof v.name === 'string') volumeNames.add(v.name);
    const kinds = (['emptyDir', 'hostPath', 'secret', 'persistentVolumeClaim'] as const).filter((k) => isObject(v[k]));
    if (kinds.length !== 1) {
      out.push(
        report({
          field: at,
          problem: kinds.length === 0 ? 'the volume has no type.' : `the volume has ${kinds.join(' and ')}.`,
          allowed: 'exactly one of emptyDir, hostPath, secret, persistentVolumeClaim',
          fix: 'Keep one volume type per volume.',
        }),
      );
    }
    if (v.emptyDir?.medium !== undefined && v.emptyDir.medium !== '' && v.emptyDir.medium !== 'Memory') {
      out.push(
        report({
          field: `${at}.emptyDir.medium`,
          problem: 'the emptyDir medium is not known.',
          value: v.emptyDir.medium,
          allowed: '"" (node disk) or "Memory"',
          fix: 'Use "" or "Memory".',
        }),
      );
    }
    if (v.secret !== undefined && !known(v.secret.secretName) && !isUnresolved(v.secret.secretName)) {
      out.push(
        report({
          field: `${at}.secret.secretName`,
          problem: 'the secret volume names no secret.',
          allowed: 'a Kubernetes secret name',
          fix: 'Set secretName.',
        }),
      );
    }
  });
  const all = [
    ...inits.map((c, i) => ({ c, at: `${base}.initContainers[${i}]` })),
    ...containers.map((c, i) => ({ c, at: `${base}.containers[${i}]` })),
  ];
  const seen = new Set<string>();
  for (const { c, at } of all) out.push(...checkEksContainer(c, at, seen, volumeNames, report));
  if (known(pod.dnsPolicy) && !DNS_POLICIES.includes(pod.dnsPolicy as string)) {
    out.push(
      report({
        field: `${base}.dnsPolicy`,
        problem: 'the DNS policy is not known.',
        value: pod.dnsPolicy,
        allowed: DNS_POLICIES.join(', '),
        fix: 'Use one of the allowed policies.',
      }),
    );
  }
  return out;
}

function checkEksContainer(
  c: EksContainer,
  at: string,
  seen: Set<string>,
  volumes: ReadonlySet<string>,
  report: Report,
): Finding[] {
  const out: Finding[] = [];
  if (!known(c.image) && !isUnresolved(c.image))
    out.push(
      report({
        field: `${at}.image`,
        problem: 'the container has no image.',
        allowed: 'an image reference',
        fix: 'Set image.',
      }),
    );
  const name = c.name ?? 'Default';
  if (c.name !== undefined && known(c.name) && !DNS_LABEL.test(c.name)) {
    out.push(
      report({
        field: `${at}.name`,
        problem: 'the container name is not a DNS label.',
        value: c.name,
        allowed: 'lower-case letters, digits and "-", starting and ending alphanumeric, up to 63',
        fix: 'Rename the container.',
      }),
    );
  }
  if (seen.has(name)) {
    out.push(
      report({
        field: `${at}.name`,
        problem: 'two containers of the pod (init containers included) have the same name.',
        value: name,
        allowed: 'names unique in the pod',
        fix: 'Give each container its own name (an unnamed one is "Default").',
      }),
    );
  }
  seen.add(name);
  for (const [j, e] of (c.env ?? []).entries()) {
    if (typeof e.name === 'string' && e.name.startsWith('AWS_BATCH')) {
      out.push(
        report({
          field: `${at}.env[${j}].name`,
          problem: 'environment variable names starting with AWS_BATCH are reserved.',
          value: e.name,
          allowed: 'names not starting with AWS_BATCH',
          fix: 'Rename the variable.',
        }),
      );
    }
  }
  for (const [j, m] of (c.volumeMounts ?? []).entries()) {
    if (known(m.name) && !volumes.has(m.name as string)) {
      out.push(
        report({
          field: `${at}.volumeMounts[${j}].name`,
          problem: 'the volume mount names a volume the pod does not declare.',
          value: m.name,
          allowed: [...volumes].join(', ') || 'a volume of podProperties.volumes',
          fix: 'Declare the volume in podProperties.volumes, or correct the name.',
        }),
      );
    }
    if (m.mountPath === undefined)
      out.push(
        report({
          field: `${at}.volumeMounts[${j}].mountPath`,
          problem: 'the volume mount has no mountPath.',
          allowed: 'an absolute path in the container',
          fix: 'Set mountPath.',
        }),
      );
  }
  const limits = c.resources?.limits ?? {};
  const requests = c.resources?.requests ?? {};
  for (const [kind, map] of [
    ['limits', limits],
    ['requests', requests],
  ] as const) {
    for (const key of Object.keys(map)) {
      if (!EKS_RESOURCES.includes(key)) {
        out.push(
          report({
            field: `${at}.resources.${kind}`,
            problem: `the resource ${JSON.stringify(key)} is not one Batch schedules.`,
            value: key,
            allowed: EKS_RESOURCES.join(', '),
            fix: 'Use cpu, memory or nvidia.com/gpu.',
          }),
        );
      }
    }
  }
  for (const key of ['memory', 'nvidia.com/gpu']) {
    if (
      limits[key] !== undefined &&
      requests[key] !== undefined &&
      limits[key] !== requests[key] &&
      !isUnresolved(limits[key]) &&
      !isUnresolved(requests[key])
    ) {
      out.push(
        report({
          field: `${at}.resources`,
          problem: `limits and requests of ${key} differ (${limits[key]} vs ${requests[key]}).`,
          allowed: `equal limits and requests for ${key}`,
          fix: `Give only limits.${key}, or the same value in both.`,
        }),
      );
    }
  }
  return out;
}

/** A cycle among `dependsOn` (names in order), or undefined. */
function dependencyCycle(
  nodes: ReadonlyArray<{ name?: string; on: ReadonlyArray<string | undefined> }>,
): string[] | undefined {
  const byName = new Map(nodes.filter((n) => n.name !== undefined).map((n) => [n.name as string, n]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done') return undefined;
    if (state.get(name) === 'visiting') return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, 'visiting');
    stack.push(name);
    for (const next of byName.get(name)?.on ?? []) {
      if (next === undefined || !byName.has(next) || next === name) continue;
      const found = visit(next);
      if (found) return found;
    }
    stack.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const name of byName.keys()) {
    const found = visit(name);
    if (found) return found;
  }
  return undefined;
}

const ecsTask = definitionRule(
  'BATCH-JD-033',
  'error',
  'ecsProperties: one task of 1-10 containers with images and unique ' +
    'names, at least one essential, dependsOn naming other containers with ' +
    'START/COMPLETE/SUCCESS/HEALTHY (COMPLETE/SUCCESS only on non-essential ' +
    'ones), no cycles, mount points on declared volumes, VCPU and MEMORY reserved.',
  (c) => {
    const ecs = c.jd.ecsProperties;
    if (!isObject(ecs)) return [];
    const tasks = Array.isArray(ecs.taskProperties) ? ecs.taskProperties : [];
    if (tasks.length !== 1) {
      return [
        c.report({
          field: 'ecsProperties.taskProperties',
          problem: `ecsProperties has ${tasks.length} tasks.`,
          value: tasks.length,
          allowed: 'exactly one task (the API limits taskProperties to one element)',
          fix: 'Put every container in one taskProperties entry.',
        }),
      ];
    }
    return checkEcsTask(tasks[0], 'ecsProperties.taskProperties[0]', c.report);
  },
);

const eksPod = definitionRule(
  'BATCH-JD-034',
  'error',
  'eksProperties: a pod of 1-10 containers (and init containers) with ' +
    'images and unique DNS-label names, volumes of exactly one type ' +
    '(emptyDir, hostPath, secret, persistentVolumeClaim) with unique names, ' +
    'mounts of declared volumes, resources cpu/memory/nvidia.com/gpu, not on Fargate.',
  (c) => {
    const eks = c.jd.eksProperties;
    if (!isObject(eks)) return [];
    const out: Finding[] = [];
    if (!isObject(eks.podProperties)) {
      return [
        c.report({
          field: 'eksProperties.podProperties',
          problem: 'eksProperties has no podProperties.',
          allowed: 'podProperties with at least one container',
          fix: 'Add podProperties.containers.',
        }),
      ];
    }
    out.push(...checkEksPod(eks.podProperties, 'eksProperties.podProperties', c.report));
    if (c.jd.platformCapabilities?.includes('FARGATE')) {
      out.push(
        c.report({
          field: 'platformCapabilities',
          problem: 'EKS jobs do not run on Fargate in AWS Batch.',
          value: 'FARGATE',
          allowed: 'EC2 (or no platformCapabilities)',
          fix: 'Remove platformCapabilities or set it to ["EC2"].',
        }),
      );
    }
    return out;
  },
);

/** The multi-container rules. */
export const POD_RULES: readonly Rule[] = [ecsTask, eksPod];
