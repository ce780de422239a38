/**
 * The containers of a multi-container job as the executor runs them: an ECS task's containers
 * (`ecsProperties`, with `essential` and `dependsOn`) or an EKS pod's init containers and
 * containers (`eksProperties`), after parameters and SubmitJob overrides, with their mounts
 * (shared scratch volumes or host paths), the network the group uses and what it reserves.
 */
import type { ContainerDetail, SubmitJobRequest } from '../../core/model/job';
import type { ContainerProperties, JobDefinition } from '../../core/model/job-definition';
import type {
  EcsTaskProperties,
  EksContainer,
  EksContainerOverride,
  EksPodProperties,
} from '../../core/model/job-definition-pods';
import {
  cpuQuantity,
  memoryQuantityMiB,
  type EcsPropertiesDetail,
  type EksPropertiesDetail,
} from '../../core/model/job-pods';
import { containerResources } from '../../core/model/resources';
import { isUnresolved } from '../../core/model/unresolved';
import { BatchkitError } from '../../core/errors';
import { jobPlatformOf } from '../../core/rules/placement';
import { mergeEnvironment, resolveContainer, substituteParameters } from './container-overrides';
import type { Demand } from './job-record';

/** `dependsOn` condition the executor honours. */
export type GroupCondition = 'START' | 'COMPLETE' | 'SUCCESS';

/** A mount of a group container: a shared scratch volume of the attempt or a host path. */
export interface GroupMount {
  /** Scratch volume (ECS volume without host path, EKS emptyDir), by its name in the definition. */
  readonly volume?: string;
  /** Host path (ECS `host.sourcePath`, EKS `hostPath.path`). */
  readonly hostPath?: string;
  /** EKS `secret` volume: the Kubernetes secret's keys as read-only files (lib/local/secret-volumes.ts). */
  readonly secret?: { readonly secretName: string; readonly optional: boolean };
  /** Path in the container. */
  readonly containerPath: string;
  /** Read-only. */
  readonly readOnly: boolean;
}

/** One container of the group. */
export interface GroupMember {
  /** Its name in the task or pod. */
  readonly name: string;
  /** EKS init containers run first, one after another. */
  readonly role: 'init' | 'container';
  /** What runs (image, command, environment, resources, user ...). */
  readonly container: ContainerDetail;
  /** EKS `command` (the entrypoint). */
  readonly entrypoint?: string[];
  /** ECS: the task stops when it exits. EKS: always false. */
  readonly essential: boolean;
  /** ECS: containers to wait for. */
  readonly dependsOn: ReadonlyArray<{ readonly containerName: string; readonly condition: GroupCondition }>;
  /** Mounts. */
  readonly mounts: readonly GroupMount[];
  /** Seconds between SIGTERM and SIGKILL when the task stops. @default 30 */
  readonly stopTimeout?: number;
}

/** The group a job runs. */
export interface GroupSpec {
  /** ECS task or EKS pod. */
  readonly kind: 'ecs' | 'eks';
  /** Containers, init containers first. */
  readonly members: readonly GroupMember[];
  /** `host` (ECS on EC2, EKS hostNetwork) or `none` (a namespace of the group's own). */
  readonly network: 'none' | 'host';
}

/** A group, its DescribeJobs properties and what it reserves. */
export interface GroupLayout {
  readonly group: GroupSpec;
  readonly demand: Demand;
  readonly ecsProperties?: EcsPropertiesDetail;
  readonly eksProperties?: EksPropertiesDetail;
}

function invalid(message: string, fix?: string): BatchkitError {
  return new BatchkitError('BATCHKIT-LOCAL-201', 'input', message, { fix });
}

function positive(total: Demand, where: string): Demand {
  for (const [what, v] of [
    ['VCPU', total.vcpus],
    ['MEMORY', total.memoryMiB],
  ] as const) {
    if (!(v > 0))
      throw invalid(
        `${where}: the containers reserve no ${what}; a job needs a positive total to run.`,
        `set ${what} on at least one container.`,
      );
  }
  return total;
}

function number(v: unknown): number {
  return typeof v === 'number' && !isUnresolved(v) && v > 0 ? v : 0;
}

/** Lays out the task of an ECS job definition. */
function ecsLayout(
  jd: JobDefinition,
  task: EcsTaskProperties,
  parameters: Record<string, string>,
  req: SubmitJobRequest,
): GroupLayout {
  const where = `job definition ${jd.jobDefinitionName} ecsProperties.taskProperties[0]`;
  const overrides = req.ecsPropertiesOverride?.taskProperties?.[0]?.containers ?? [];
  const volumes = new Map((task.volumes ?? []).map((v) => [v.name ?? '', v]));
  const single = task.containers.length === 1;
  const details = task.containers.map((tc, i) => {
    const name = tc.name ?? `container-${i}`;
    const o = overrides.find((x) => x.name === tc.name || (single && x.name === undefined));
    const props: ContainerProperties = { ...tc, volumes: [] };
    delete (props as { name?: string }).name;
    const c = resolveContainer(props, parameters, o);
    for (const [j, d] of (tc.dependsOn ?? []).entries()) {
      if (d.condition === 'HEALTHY') {
        throw invalid(
          `${where}.containers[${i}].dependsOn[${j}].condition: HEALTHY needs a container health check, ` +
            `which Batch task containers cannot declare, so container "${name}" could never start. ` +
            'Allowed: START, COMPLETE, SUCCESS.',
          'use START (the dependency started) or SUCCESS (it exited 0).',
        );
      }
    }
    return { tc, name, c };
  });
  const members: GroupMember[] = details.map(({ tc, name, c }) => ({
    name,
    role: 'container',
    container: c,
    essential: tc.essential ?? true,
    dependsOn: (tc.dependsOn ?? []).map((d) => ({
      containerName: d.containerName ?? '',
      condition: (d.condition ?? 'START') as GroupCondition,
    })),
    mounts: (tc.mountPoints ?? []).flatMap((mp) => {
      if (!mp.containerPath) return [];
      const v = volumes.get(mp.sourceVolume ?? '');
      const hostPath = v?.host?.sourcePath || undefined;
      return [
        hostPath
          ? { hostPath, containerPath: mp.containerPath, readOnly: mp.readOnly ?? false }
          : { volume: mp.sourceVolume ?? '', containerPath: mp.containerPath, readOnly: mp.readOnly ?? false },
      ];
    }),
    stopTimeout: tc.stopTimeout,
  }));
  const demand = members
    .map((m) => containerResources(m.container))
    .reduce<Demand>(
      (a, r) => ({
        vcpus: a.vcpus + number(r.vcpus),
        memoryMiB: a.memoryMiB + number(r.memoryMiB),
        gpus: a.gpus + number(r.gpus),
      }),
      { vcpus: 0, memoryMiB: 0, gpus: 0 },
    );
  const ecsProperties: EcsPropertiesDetail = {
    taskProperties: [
      {
        ...JSON.parse(JSON.stringify(task)),
        containers: details.map(({ tc, c }) => ({
          ...JSON.parse(JSON.stringify(tc)),
          command: c.command,
          environment: c.environment,
          resourceRequirements: c.resourceRequirements,
        })),
      },
    ],
  };
  const network = jobPlatformOf(jd) === 'FARGATE' ? 'none' : 'host';
  return { group: { kind: 'ecs', members, network }, demand: positive(demand, where), ecsProperties };
}

function applyEksOverride(c: EksContainer, o: EksContainerOverride | undefined): EksContainer {
  const out: EksContainer = JSON.parse(JSON.stringify(c));
  if (!o) return out;
  if (o.image !== undefined) out.image = o.image;
  if (o.command !== undefined) out.command = [...o.command];
  if (o.args !== undefined) out.args = [...o.args];
  if (o.env !== undefined) {
    const merged = mergeEnvironment(
      (c.env ?? []).map((e) => ({ name: e.name, value: e.value })),
      o.env.map((e) => ({ name: e.name, value: e.value })),
    );
    out.env = merged.map((e) => ({ name: e.name ?? '', value: e.value }));
  }
  if (o.resources !== undefined)
    out.resources = { ...(out.resources ?? {}), ...JSON.parse(JSON.stringify(o.resources)) };
  return out;
}

/** Requests as Kubernetes schedules them (a missing request defaults to the limit). */
function requestsOf(c: EksContainer): { vcpus: number; memoryMiB: number; gpus: number } {
  const r = c.resources ?? {};
  const get = (k: string): string | undefined => r.requests?.[k] ?? r.limits?.[k];
  return {
    vcpus: cpuQuantity(get('cpu')) ?? 0,
    memoryMiB: memoryQuantityMiB(get('memory')) ?? 0,
    gpus: Number(get('nvidia.com/gpu') ?? 0) || 0,
  };
}

/** Lays out the pod of an EKS job definition. */
function eksLayout(
  jd: JobDefinition,
  pod: EksPodProperties,
  parameters: Record<string, string>,
  req: SubmitJobRequest,
): GroupLayout {
  const where = `job definition ${jd.jobDefinitionName} eksProperties.podProperties`;
  const po = req.eksPropertiesOverride?.podProperties;
  const volumes = new Map((pod.volumes ?? []).map((v) => [v.name, v]));
  const pick = (list: EksContainer[], os: EksContainerOverride[] | undefined): EksContainer[] =>
    list.map((c) =>
      applyEksOverride(
        c,
        (os ?? []).find(
          (o) => (o.name ?? (list.length === 1 ? (c.name ?? 'Default') : undefined)) === (c.name ?? 'Default'),
        ),
      ),
    );
  const inits = pick(pod.initContainers ?? [], po?.initContainers);
  const containers = pick(pod.containers ?? [], po?.containers);
  const member = (c: EksContainer, role: 'init' | 'container', at: string): GroupMember => {
    const r = c.resources ?? {};
    const limit = (k: string): string | undefined => r.limits?.[k] ?? r.requests?.[k];
    const cpu = cpuQuantity(limit('cpu'));
    const mem = memoryQuantityMiB(limit('memory'));
    const sc = c.securityContext;
    const user =
      sc?.runAsUser !== undefined
        ? `${sc.runAsUser}${sc.runAsGroup !== undefined ? `:${sc.runAsGroup}` : ''}`
        : undefined;
    const container: ContainerDetail = {
      image: c.image,
      command: c.args ? substituteParameters(c.args, parameters) : undefined,
      environment: (c.env ?? []).map((e) => ({ name: e.name, value: e.value ?? '' })),
      resourceRequirements: [
        ...(cpu !== undefined ? [{ type: 'VCPU' as const, value: String(cpu) }] : []),
        ...(mem !== undefined ? [{ type: 'MEMORY' as const, value: String(mem) }] : []),
      ],
      user,
      privileged: sc?.privileged,
      readonlyRootFilesystem: sc?.readOnlyRootFilesystem,
    };
    const mounts = (c.volumeMounts ?? []).flatMap((vm, j): GroupMount[] => {
      const v = volumes.get(vm.name ?? '');
      if (!vm.mountPath || !v) return [];
      const readOnly = vm.readOnly ?? false;
      const field = `${where}.${at}.volumeMounts[${j}]`;
      if (v.hostPath?.path)
        return [
          {
            hostPath: vm.subPath ? `${v.hostPath.path}/${vm.subPath}` : v.hostPath.path,
            containerPath: vm.mountPath,
            readOnly,
          },
        ];
      if (vm.subPath)
        throw invalid(
          `${field}.subPath: the local executor mounts emptyDir and secret volumes whole; ` +
            `subPath "${vm.subPath}" is not supported.`,
          'mount the volume without subPath.',
        );
      if (v.emptyDir) return [{ volume: v.name, containerPath: vm.mountPath, readOnly }];
      // Kubernetes mounts secret volumes read-only, whatever the mount says.
      if (v.secret)
        return [
          {
            volume: v.name,
            secret: { secretName: v.secret.secretName, optional: v.secret.optional ?? false },
            containerPath: vm.mountPath,
            readOnly: true,
          },
        ];
      throw invalid(
        `${field}: volume "${v.name}" is a persistentVolumeClaim volume; the local executor runs emptyDir, ` +
          'hostPath and secret volumes only (allowed: emptyDir, hostPath, secret).',
        'use an emptyDir or hostPath volume locally.',
      );
    });
    const entrypoint = c.command ? substituteParameters(c.command, parameters) : undefined;
    return {
      name: c.name ?? 'Default',
      role,
      container,
      ...(entrypoint ? { entrypoint } : {}),
      essential: false,
      dependsOn: [],
      mounts,
    };
  };
  const members = [
    ...inits.map((c, i) => member(c, 'init', `initContainers[${i}]`)),
    ...containers.map((c, i) => member(c, 'container', `containers[${i}]`)),
  ];
  // Kubernetes: the pod requests the larger of its containers' sum and its largest init container.
  const sum = containers
    .map(requestsOf)
    .reduce((a, b) => ({ vcpus: a.vcpus + b.vcpus, memoryMiB: a.memoryMiB + b.memoryMiB, gpus: a.gpus + b.gpus }), {
      vcpus: 0,
      memoryMiB: 0,
      gpus: 0,
    });
  const demand = inits.map(requestsOf).reduce(
    (a, b) => ({
      vcpus: Math.max(a.vcpus, b.vcpus),
      memoryMiB: Math.max(a.memoryMiB, b.memoryMiB),
      gpus: Math.max(a.gpus, b.gpus),
    }),
    sum,
  );
  const metadata =
    pod.metadata || po?.metadata
      ? {
          ...(pod.metadata ?? {}),
          ...(po?.metadata ?? {}),
          labels: { ...(pod.metadata?.labels ?? {}), ...(po?.metadata?.labels ?? {}) },
        }
      : undefined;
  const eksProperties: EksPropertiesDetail = {
    podProperties: {
      ...JSON.parse(JSON.stringify(pod)),
      containers,
      ...(inits.length ? { initContainers: inits } : {}),
      ...(metadata ? { metadata } : {}),
    },
  };
  return {
    group: { kind: 'eks', members, network: pod.hostNetwork === false ? 'none' : 'host' },
    demand: positive(demand, where),
    eksProperties,
  };
}

/** The group of an `ecsProperties` or `eksProperties` job definition. */
export function groupLayout(jd: JobDefinition, parameters: Record<string, string>, req: SubmitJobRequest): GroupLayout {
  const task = jd.ecsProperties?.taskProperties?.[0];
  if (task) return ecsLayout(jd, task, parameters, req);
  return eksLayout(jd, jd.eksProperties?.podProperties ?? {}, parameters, req);
}
