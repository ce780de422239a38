/**
 * Can a job of this definition ever start on this queue? {@link placementProblems} answers with the
 * reasons it never can (an empty list means it can, or that batchkit cannot tell). The local
 * executor, the provisioner's doctor and the cross-resource rules share it, so it is pure and only
 * reports what is certain: a compute environment outside the model, an unresolved value or an
 * instance type the catalogue does not know makes the check give the job the benefit of the doubt.
 * @see https://docs.aws.amazon.com/batch/latest/userguide/job_stuck_in_runnable.html
 */
import type { BatchModel } from '../model/batch-model';
import { batchArn, parseBatchArn } from '../model/arn';
import type { FindingDetail } from './finding';
import type { SourceLocation } from '../model/common';
import type { ComputeEnvironment, LoadedComputeEnvironment } from '../model/compute-environment';
import type { ContainerProperties, JobDefinition, ResourceRequirement } from '../model/job-definition';
import type { ContainerOverrides, SubmitJobRequest } from '../model/job';
import type { JobQueue } from '../model/job-queue';
import { containerResources, definitionContainers } from '../model/resources';
import { isUnresolved } from '../model/unresolved';
import {
  ECS_AGENT_RESERVED_MIB,
  PLATFORM_MEMORY_OVERHEAD,
  resolveInstanceTypes,
  schedulableMemoryMiB,
  type InstanceTypeInfo,
} from './instance-types';
import { sameStack } from './stack-pairing';

/** Most vCPUs a Fargate task can have. */
export const FARGATE_MAX_VCPUS = 16;
/** Most memory (MiB) a Fargate task can have: 120 GiB. */
export const FARGATE_MAX_MEMORY_MIB = 120 * 1024;

/** Why a job could never start in one compute environment (or on the queue as a whole). */
export type PlacementProblemKind =
  /** The queue lists no compute environment. */
  | 'no-compute-environments'
  /** FARGATE job on an EC2/SPOT environment, or EC2 job on a FARGATE/FARGATE_SPOT one. */
  | 'platform'
  /** ECS job on an EKS environment, or the reverse. */
  | 'orchestration'
  /** A multi-node parallel job on a Fargate environment. */
  | 'multinode-fargate'
  /** More vCPUs than the environment's maxvCpus (all nodes together for multi-node jobs). */
  | 'max-vcpus'
  /** More vCPUs than the largest instance type (or Fargate task). */
  | 'vcpus'
  /** More memory than the largest instance type can give a job (or a Fargate task can have). */
  | 'memory'
  /** GPUs asked for, but no instance type of the environment has any (or Fargate). */
  | 'no-gpu'
  /** More GPUs than the instance type with the most GPUs. */
  | 'gpus'
  /** Each of vCPUs, memory and GPUs fits some instance type, but no single one has them all. */
  | 'combination'
  /** A node's required instance type is not one the environment may launch. */
  | 'instance-type';

/** One reason a job could never start. */
export interface PlacementProblem {
  /** What kind of mismatch. */
  readonly kind: PlacementProblemKind;
  /** The compute environment's name, unless the problem is the queue's. */
  readonly computeEnvironment?: string;
  /** API path of the job definition field at fault (`containerProperties`, a node range, `platformCapabilities`). */
  readonly field?: string;
  /** One sentence naming the environment, what the job asks for and what the environment offers. */
  readonly reason: string;
}

/** Submission-time overrides that change what a job asks for. */
export type PlacementOverrides = Pick<SubmitJobRequest, 'containerOverrides' | 'nodeOverrides'>;

/**
 * The compute environment a queue's `computeEnvironmentOrder[].computeEnvironment` points at, when it
 * is in the model. With `from` (the queue's source), an environment of the queue's own stack wins
 * over a namesake in another stack; one of another stack is found only when none of its own matches.
 */
export function computeEnvironmentOf(
  model: BatchModel,
  ref: string,
  from?: SourceLocation,
): LoadedComputeEnvironment | undefined {
  if (isUnresolved(ref)) {
    // A Ref to an environment of the same template whose name is known only at deployment
    // (`!Sub spot-${Namespace}`) resolves to exactly that environment's (unresolved) ARN: the link holds.
    const same = (ce: LoadedComputeEnvironment): boolean =>
      ce.computeEnvironmentArn === ref || ce.computeEnvironmentName === ref;
    return from
      ? model.computeEnvironments.find((ce) => sameStack(ce.source, from) && same(ce))
      : model.computeEnvironments.find(same);
  }
  const arnName = parseBatchArn(ref);
  const matches = (ce: LoadedComputeEnvironment): boolean =>
    ce.computeEnvironmentArn === ref ||
    ce.computeEnvironmentName === ref ||
    batchArn(model.environment, 'compute-environment', ce.computeEnvironmentName) === ref ||
    (arnName?.resource === 'compute-environment' && arnName.name === ce.computeEnvironmentName);
  const own = from ? model.computeEnvironments.find((ce) => sameStack(ce.source, from) && matches(ce)) : undefined;
  return own ?? model.computeEnvironments.find(matches);
}

/** EC2 (EC2, SPOT or unmanaged) or FARGATE (FARGATE, FARGATE_SPOT); undefined when unresolved. */
export function platformOf(ce: ComputeEnvironment): 'EC2' | 'FARGATE' | undefined {
  if (ce.type === 'UNMANAGED') return 'EC2';
  const t = ce.computeResources?.type;
  if (t === undefined || isUnresolved(t)) return undefined;
  return t === 'FARGATE' || t === 'FARGATE_SPOT' ? 'FARGATE' : 'EC2';
}

/** The platform a job definition runs on: FARGATE when its capabilities say so, EC2 otherwise. */
export function jobPlatformOf(jd: Pick<JobDefinition, 'platformCapabilities'>): 'EC2' | 'FARGATE' {
  return jd.platformCapabilities?.includes('FARGATE') ? 'FARGATE' : 'EC2';
}

/** Applies container overrides the way SubmitJob does: resource requirements replace by type. */
function applyContainerOverrides(c: ContainerProperties, o: ContainerOverrides | undefined): ContainerProperties {
  if (!o) return c;
  let reqs: ResourceRequirement[] = [...(c.resourceRequirements ?? [])];
  for (const r of o.resourceRequirements ?? []) reqs = [...reqs.filter((x) => x.type !== r.type), r];
  if (o.vcpus !== undefined) reqs = reqs.filter((x) => x.type !== 'VCPU');
  if (o.memory !== undefined) reqs = reqs.filter((x) => x.type !== 'MEMORY');
  return {
    ...c,
    vcpus: o.vcpus ?? c.vcpus,
    memory: o.memory ?? c.memory,
    instanceType: o.instanceType ?? c.instanceType,
    resourceRequirements: reqs,
  };
}

/** The job definition as a submission with these overrides would run it. */
export function effectiveDefinition(jd: JobDefinition, overrides: PlacementOverrides = {}): JobDefinition {
  if (jd.nodeProperties) {
    const no = overrides.nodeOverrides;
    return {
      ...jd,
      nodeProperties: {
        ...jd.nodeProperties,
        numNodes: no?.numNodes ?? jd.nodeProperties.numNodes,
        nodeRangeProperties: (jd.nodeProperties.nodeRangeProperties ?? []).map((r) => {
          const o = no?.nodePropertyOverrides?.find((x) => x.targetNodes === r.targetNodes);
          if (!o) return r;
          return {
            ...r,
            instanceTypes: o.instanceTypes ?? r.instanceTypes,
            container: r.container ? applyContainerOverrides(r.container, o.containerOverrides) : r.container,
          };
        }),
      },
    };
  }
  if (jd.containerProperties && overrides.containerOverrides) {
    return {
      ...jd,
      containerProperties: applyContainerOverrides(jd.containerProperties, overrides.containerOverrides),
    };
  }
  return jd;
}

/** How many nodes a `targetNodes` range covers (`0:3`, `:3`, `4:`, `2`). */
export function nodeCount(targetNodes: string, numNodes: number): number {
  const m = /^\s*(\d*)\s*(?::\s*(\d*))?\s*$/.exec(targetNodes);
  if (!m) return 1;
  if (m[2] === undefined) return 1;
  const start = m[1] === '' ? 0 : Number(m[1]);
  const end = m[2] === '' ? numNodes - 1 : Number(m[2]);
  return Math.max(1, end - start + 1);
}

/** A known, finite number, or undefined (absent, unresolved, not a number). */
function known(n: number | undefined): number | undefined {
  return n === undefined || isUnresolved(n) || !Number.isFinite(n) ? undefined : n;
}

interface Ask {
  readonly path: string;
  readonly vcpus?: number;
  readonly memoryMiB?: number;
  readonly gpus?: number;
  /** Instance types the node is pinned to (multi-node `instanceType` / `instanceTypes`). */
  readonly pinned?: readonly string[];
  /** Nodes this container serves (1 for container jobs). */
  readonly nodes: number;
}

function asksOf(jd: JobDefinition): Ask[] {
  const numNodes = known(jd.nodeProperties?.numNodes) ?? 1;
  const ranges = jd.nodeProperties?.nodeRangeProperties ?? [];
  return definitionContainers(jd).map((dc) => {
    const r = containerResources(dc.container);
    const range = ranges.find((x) => x.targetNodes === dc.targetNodes && x.container === dc.container);
    const pinnedList = dc.container.instanceType ? [dc.container.instanceType] : range?.instanceTypes;
    return {
      path: dc.path,
      vcpus: known(r.vcpus),
      memoryMiB: known(r.memoryMiB),
      gpus: known(r.gpus),
      pinned: pinnedList && !isUnresolved(pinnedList) ? pinnedList : undefined,
      nodes: dc.targetNodes === undefined ? 1 : nodeCount(dc.targetNodes, numNodes),
    };
  });
}

function describeCe(ce: ComputeEnvironment): string {
  const t = ce.type === 'UNMANAGED' ? 'UNMANAGED' : (ce.computeResources?.type ?? 'MANAGED');
  return `compute environment "${ce.computeEnvironmentName}" (${t})`;
}

const memoryNote =
  `less ${PLATFORM_MEMORY_OVERHEAD * 100}% platform overhead and ` + `${ECS_AGENT_RESERVED_MIB} MiB for the ECS agent`;

function fits(t: InstanceTypeInfo, a: Ask): boolean {
  return (
    (a.vcpus === undefined || a.vcpus <= t.vcpus) &&
    (a.memoryMiB === undefined || a.memoryMiB <= schedulableMemoryMiB(t)) &&
    (a.gpus === undefined || a.gpus <= t.gpus)
  );
}

function maxBy(types: readonly InstanceTypeInfo[], f: (t: InstanceTypeInfo) => number): InstanceTypeInfo {
  return types.reduce((best, t) => (f(t) > f(best) ? t : best));
}

/** Instance-size problems of one container on a managed EC2/SPOT environment. */
function instanceProblems(ce: ComputeEnvironment, a: Ask, types: readonly InstanceTypeInfo[]): PlacementProblem[] {
  const base = { computeEnvironment: ce.computeEnvironmentName, field: a.path };
  const where = describeCe(ce);
  if (types.some((t) => fits(t, a))) return [];
  const mostVcpus = maxBy(types, (t) => t.vcpus);
  const mostMemory = maxBy(types, schedulableMemoryMiB);
  const mostGpus = maxBy(types, (t) => t.gpus);
  const out: PlacementProblem[] = [];
  if (a.vcpus !== undefined && a.vcpus > mostVcpus.vcpus) {
    out.push({
      ...base,
      kind: 'vcpus',
      reason:
        `${where}: the job needs ${a.vcpus} vCPUs but its largest instance type ` +
        `${mostVcpus.name} has ${mostVcpus.vcpus}.`,
    });
  }
  if (a.memoryMiB !== undefined && a.memoryMiB > schedulableMemoryMiB(mostMemory)) {
    out.push({
      ...base,
      kind: 'memory',
      reason:
        `${where}: the job needs ${a.memoryMiB} MiB of memory but at most ` +
        `${schedulableMemoryMiB(mostMemory)} MiB can be reserved, ` +
        `on ${mostMemory.name} (${mostMemory.memoryMiB} MiB installed, ${memoryNote}).`,
    });
  }
  if (a.gpus !== undefined && a.gpus > 0 && mostGpus.gpus === 0) {
    out.push({
      ...base,
      kind: 'no-gpu',
      reason: `${where}: the job needs ${a.gpus} GPU(s) but none of its instance types has a GPU.`,
    });
  } else if (a.gpus !== undefined && a.gpus > mostGpus.gpus) {
    out.push({
      ...base,
      kind: 'gpus',
      reason:
        `${where}: the job needs ${a.gpus} GPUs but the most any of its ` +
        `instance types has is ${mostGpus.gpus} (${mostGpus.name}).`,
    });
  }
  if (out.length === 0) {
    out.push({
      ...base,
      kind: 'combination',
      reason:
        `${where}: no single instance type has ${a.vcpus ?? 0} vCPUs, ` +
        `${a.memoryMiB ?? 0} MiB and ${a.gpus ?? 0} GPU(s) at once ` +
        `(most vCPUs: ${mostVcpus.name}, most memory: ${mostMemory.name}).`,
    });
  }
  return out;
}

/** Problems of one container on a Fargate environment: no GPUs, at most 16 vCPUs and 120 GiB. */
function fargateProblems(ce: ComputeEnvironment, a: Ask): PlacementProblem[] {
  const where = describeCe(ce);
  const base = { computeEnvironment: ce.computeEnvironmentName, field: a.path };
  const out: PlacementProblem[] = [];
  if (a.gpus !== undefined && a.gpus > 0) {
    out.push({ ...base, kind: 'no-gpu', reason: `${where}: the job needs ${a.gpus} GPU(s) but Fargate has no GPUs.` });
  }
  if (a.vcpus !== undefined && a.vcpus > FARGATE_MAX_VCPUS) {
    out.push({
      ...base,
      kind: 'vcpus',
      reason: `${where}: the job needs ${a.vcpus} vCPUs but a Fargate task has at most ${FARGATE_MAX_VCPUS}.`,
    });
  }
  if (a.memoryMiB !== undefined && a.memoryMiB > FARGATE_MAX_MEMORY_MIB) {
    out.push({
      ...base,
      kind: 'memory',
      reason:
        `${where}: the job needs ${a.memoryMiB} MiB but a Fargate task has at ` + `most ${FARGATE_MAX_MEMORY_MIB} MiB.`,
    });
  }
  return out;
}

/** Every reason a job could never start in one compute environment. */
export function computeEnvironmentProblems(jd: JobDefinition, ce: ComputeEnvironment): PlacementProblem[] {
  const name = ce.computeEnvironmentName;
  const where = describeCe(ce);
  const out: PlacementProblem[] = [];
  const cePlatform = platformOf(ce);
  const jobPlatform = jobPlatformOf(jd);
  if (
    jd.containerOrchestrationType &&
    ce.containerOrchestrationType &&
    jd.containerOrchestrationType !== ce.containerOrchestrationType
  ) {
    out.push({
      kind: 'orchestration',
      computeEnvironment: name,
      field: 'containerOrchestrationType',
      reason:
        `${where} runs ${ce.containerOrchestrationType} jobs but the job ` +
        `definition is for ${jd.containerOrchestrationType}.`,
    });
  }
  if (cePlatform === undefined) return out;
  if (cePlatform !== jobPlatform) {
    out.push({
      kind: 'platform',
      computeEnvironment: name,
      field: 'platformCapabilities',
      reason: `${where} runs ${cePlatform} jobs but the job definition's platformCapabilities is ${jobPlatform}.`,
    });
    return out;
  }
  if (jd.nodeProperties && cePlatform === 'FARGATE') {
    out.push({
      kind: 'multinode-fargate',
      computeEnvironment: name,
      field: 'nodeProperties',
      reason: `${where}: multi-node parallel jobs cannot run on Fargate.`,
    });
    return out;
  }
  if (ce.type === 'UNMANAGED' || !ce.computeResources) return out;
  const cr = ce.computeResources;
  const asks = asksOf(jd);
  const maxvCpus = known(cr.maxvCpus);
  const totalVcpus = asks.some((a) => a.vcpus === undefined)
    ? undefined
    : asks.reduce((sum, a) => sum + (a.vcpus ?? 0) * a.nodes, 0);
  if (maxvCpus !== undefined && totalVcpus !== undefined && totalVcpus > maxvCpus) {
    out.push({
      kind: 'max-vcpus',
      computeEnvironment: name,
      field: jd.nodeProperties ? 'nodeProperties' : asks[0]?.path,
      reason:
        `${where}: the job needs ${totalVcpus} vCPUs` +
        `${jd.nodeProperties ? ' across all its nodes' : ''} but maxvCpus is ${maxvCpus}.`,
    });
  }
  for (const a of asks) {
    if (cePlatform === 'FARGATE') {
      out.push(...fargateProblems(ce, a));
      continue;
    }
    if (!cr.instanceTypes || isUnresolved(cr.instanceTypes)) continue;
    const resolved = resolveInstanceTypes(cr.instanceTypes);
    if (resolved.unknown.length > 0 || resolved.invalid.length > 0 || resolved.types.length === 0) continue;
    let types = resolved.types;
    if (a.pinned) {
      const pinned = resolveInstanceTypes(a.pinned);
      if (pinned.unknown.length > 0 || pinned.invalid.length > 0) continue;
      const allowed = new Set(types.map((t) => t.name));
      const usable = pinned.types.filter((t) => allowed.has(t.name));
      if (usable.length === 0) {
        out.push({
          kind: 'instance-type',
          computeEnvironment: name,
          field: a.path,
          reason:
            `${where}: the node requires instance type ${a.pinned.join(', ')}, ` +
            `which the environment's instanceTypes (${cr.instanceTypes.join(', ')}) do not include.`,
        });
        continue;
      }
      types = usable;
    }
    out.push(...instanceProblems(ce, a, types));
  }
  return out;
}

/**
 * The reasons a job of this definition (with these submission overrides) could never start on this
 * queue: for each compute environment of the queue, why it cannot run the job. Empty when at least
 * one environment can, when one is not in the model, or when the queue cannot be checked.
 */
export function placementProblems(
  jd: JobDefinition,
  queue: JobQueue & { readonly source?: SourceLocation },
  model: BatchModel,
  overrides?: PlacementOverrides,
): PlacementProblem[] {
  const order = queue.computeEnvironmentOrder ?? [];
  if (order.length === 0) {
    return [
      { kind: 'no-compute-environments', reason: `job queue "${queue.jobQueueName}" has no compute environment.` },
    ];
  }
  const effective = effectiveDefinition(jd, overrides);
  const out: PlacementProblem[] = [];
  for (const o of [...order].sort((a, b) => a.order - b.order)) {
    const ce = computeEnvironmentOf(model, o.computeEnvironment, queue.source);
    if (!ce) return [];
    const problems = computeEnvironmentProblems(effective, ce);
    if (problems.length === 0) return [];
    out.push(...problems);
  }
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Why a queue cannot run a job, as a nested explanation: the queue, under it each compute
 * environment and under that its reasons (an environment with one reason is one line).
 */
export function explainPlacement(queueName: string, problems: readonly PlacementProblem[]): FindingDetail {
  const children: FindingDetail[] = [];
  const byEnvironment = new Map<string, PlacementProblem[]>();
  for (const p of problems) {
    if (p.computeEnvironment === undefined) children.push({ text: p.reason });
    else byEnvironment.set(p.computeEnvironment, [...(byEnvironment.get(p.computeEnvironment) ?? []), p]);
  }
  for (const [name, list] of byEnvironment) {
    if (list.length === 1) {
      children.push({ text: list[0].reason });
      continue;
    }
    const heading = new RegExp(`^(compute environment "${escapeRegExp(name)}" \\([^)]*\\)):\\s*`);
    const head = heading.exec(list[0].reason)?.[1] ?? `compute environment "${name}"`;
    children.push({ text: head, children: list.map((p) => ({ text: p.reason.replace(heading, '') })) });
  }
  return { text: `queue "${queueName}"`, children };
}
