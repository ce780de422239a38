/**
 * Where a container states its vCPUs and memory: `resourceRequirements` (read first, as Batch
 * does) and the deprecated top-level `vcpus` / `memory`.
 */
import type { ContainerProperties, ResourceType } from '../model/job-definition';
import { isUnresolved } from '../model/unresolved';
import { parseDecimal } from './names';

/** One place a container states a resource amount. */
export interface ResourceSource {
  /** API path of the field, relative to the container (`resourceRequirements[0].value`, `vcpus`). */
  readonly field: string;
  /** The raw value (a string in `resourceRequirements`, a number in `vcpus`/`memory`). */
  readonly raw: unknown;
  /** The number, when known and numeric. */
  readonly amount?: number;
  /** True when the value is known only at deployment. */
  readonly unresolved: boolean;
}

/**
 * Where a container states `type` (VCPU or MEMORY): the `resourceRequirements` entry when there is
 * one (Batch reads it first), else the top-level `vcpus` / `memory`. Undefined when neither is set.
 */
export function resourceSource(
  container: ContainerProperties,
  type: Exclude<ResourceType, 'GPU'>,
): ResourceSource | undefined {
  const reqs = Array.isArray(container.resourceRequirements) ? container.resourceRequirements : [];
  const index = reqs.findIndex((r) => r?.type === type);
  if (index >= 0) {
    const raw = reqs[index].value;
    const unresolved = isUnresolved(raw);
    return {
      field: `resourceRequirements[${index}].value`,
      raw,
      unresolved,
      amount: !unresolved && typeof raw === 'string' ? parseDecimal(raw) : undefined,
    };
  }
  const key = type === 'VCPU' ? 'vcpus' : 'memory';
  const raw = container[key];
  if (raw === undefined || raw === null) return undefined;
  const unresolved = isUnresolved(raw);
  return { field: key, raw, unresolved, amount: !unresolved && typeof raw === 'number' ? raw : undefined };
}
