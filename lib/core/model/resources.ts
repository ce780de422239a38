/**
 * What a container asks for, read the way Batch reads it: `resourceRequirements` first, then the
 * deprecated top-level `vcpus`/`memory`.
 */
import type { ContainerProperties, JobDefinition, ResourceRequirement } from './job-definition';
import { UNRESOLVED_NUMBER, isUnresolved } from './unresolved';

/** vCPUs, memory and GPUs of one container. Undefined when the definition does not say. */
export interface ContainerResources {
  /** vCPUs (fractional on Fargate). */
  readonly vcpus?: number;
  /** Memory in MiB. */
  readonly memoryMiB?: number;
  /** GPUs. 0 when none are requested. */
  readonly gpus: number;
}

function requirement(
  reqs: readonly ResourceRequirement[] | undefined,
  type: ResourceRequirement['type'],
): number | undefined {
  const r = reqs?.find((x) => x.type === type);
  if (!r) return undefined;
  if (isUnresolved(r.value)) return UNRESOLVED_NUMBER;
  const n = Number(r.value);
  return Number.isFinite(n) ? n : Number.NaN;
}

/** The resources a container requests. */
export function containerResources(c: ContainerProperties | undefined): ContainerResources {
  if (!c) return { gpus: 0 };
  return {
    vcpus: requirement(c.resourceRequirements, 'VCPU') ?? c.vcpus,
    memoryMiB: requirement(c.resourceRequirements, 'MEMORY') ?? c.memory,
    gpus: requirement(c.resourceRequirements, 'GPU') ?? 0,
  };
}

/** A container of a job definition with the node range it serves (multi-node) or none. */
export interface DefinitionContainer {
  /** `containerProperties` or `nodeRangeProperties[i].container`. */
  readonly container: ContainerProperties;
  /** API path of the container, for messages. */
  readonly path: string;
  /** The node range (`0:3`) for multi-node definitions. */
  readonly targetNodes?: string;
}

/** Every container a job definition declares. */
export function definitionContainers(jd: JobDefinition): DefinitionContainer[] {
  if (jd.nodeProperties) {
    return (jd.nodeProperties.nodeRangeProperties ?? []).flatMap((r, i) =>
      r.container
        ? [
            {
              container: r.container,
              path: `nodeProperties.nodeRangeProperties[${i}].container`,
              targetNodes: r.targetNodes,
            },
          ]
        : [],
    );
  }
  return jd.containerProperties ? [{ container: jd.containerProperties, path: 'containerProperties' }] : [];
}
