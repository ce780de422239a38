/**
 * Turns resolved CloudFormation property objects (PascalCase) into the Batch API's shapes
 * (camelCase): `ContainerProperties.ResourceRequirements[].Type` → `containerProperties.resourceRequirements[].type`.
 * User maps (`Parameters`, `Tags`, `LogConfiguration.Options`, ...) keep their keys. Fields the API
 * types as numbers or booleans are converted from the strings templates often carry; an
 * unresolved string in a number field becomes {@link UNRESOLVED_NUMBER}. Every other scalar is a
 * string to the API, so numbers and booleans there are turned into strings the way CloudFormation
 * passes them on (`Command: [stress-ng, --cpu, 2]` → `["stress-ng", "--cpu", "2"]`, an environment
 * value `true` → `"true"`, user map values, tags, parameters).
 */
import { isUnresolved, UNRESOLVED_NUMBER } from '../model/unresolved';
import { isJsonObject, type Json } from './json';

/** Keys whose value is a user map: its keys are kept as written. */
const USER_MAP_KEYS = new Set([
  'Parameters',
  'Tags',
  'Options',
  'DockerLabels',
  'Labels',
  'Annotations',
  'Limits',
  'Requests',
]);

/** Keys the Batch API types as numbers. */
const NUMBER_KEYS = new Set([
  'Priority',
  'Order',
  'MaxvCpus',
  'MinvCpus',
  'DesiredvCpus',
  'BidPercentage',
  'UnmanagedvCpus',
  'JobExecutionTimeoutMinutes',
  'Attempts',
  'AttemptDurationSeconds',
  'NumNodes',
  'MainNode',
  'HardLimit',
  'SoftLimit',
  'Size',
  'SharedMemorySize',
  'MaxSwap',
  'Swappiness',
  'SizeInGiB',
  'TransitEncryptionPort',
  'Vcpus',
  'Memory',
  'SchedulingPriority',
  'ShareDecaySeconds',
  'ComputeReservation',
  'WeightFactor',
  'MaxTimeSeconds',
  'Quantity',
  'ContainerPort',
  'HostPort',
  'RunAsUser',
  'RunAsGroup',
]);

/** Keys the Batch API types as booleans. */
const BOOLEAN_KEYS = new Set([
  'Privileged',
  'ReadonlyRootFilesystem',
  'ReadOnly',
  'InitProcessEnabled',
  'PropagateTags',
  'TerminateJobsOnUpdate',
  'ReplaceComputeEnvironment',
  'EnableExecuteCommand',
  'UpdateToLatestImageVersion',
  'Essential',
  'HostNetwork',
  'ShareProcessNamespace',
  'RunAsNonRoot',
  'ReadOnlyRootFilesystem',
  'AllowPrivilegeEscalation',
  'Optional',
]);

/** `ResourceRequirements` → `resourceRequirements`. */
export function camel(key: string): string {
  return key.length === 0 ? key : key[0].toLowerCase() + key.slice(1);
}

function toNumber(v: Json): Json | number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (isUnresolved(v)) return UNRESOLVED_NUMBER;
    const n = Number(v);
    if (v.trim() !== '' && Number.isFinite(n)) return n;
  }
  return v;
}

function toBoolean(v: Json): Json {
  if (v === 'true' || v === 'false') return v === 'true';
  return v;
}

/** A number or boolean as the string CloudFormation passes on; lists element by element; anything else as is. */
function scalarToString(v: Json): Json {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map(scalarToString);
  return v;
}

/** Converts a resolved CloudFormation value to the API shape; `key` is the CloudFormation key it sits under. */
export function toApiShape(value: Json, key?: string): unknown {
  if (Array.isArray(value)) return value.map((v) => toApiShape(v, key));
  if (isJsonObject(value)) {
    if (key !== undefined && USER_MAP_KEYS.has(key)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = scalarToString(v);
      return out;
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[camel(k)] = toApiShape(v, k);
    return out;
  }
  if (key === undefined || value === null) return value;
  if (NUMBER_KEYS.has(key)) return toNumber(value);
  if (BOOLEAN_KEYS.has(key)) return toBoolean(value);
  // Every other field is a string (or a list of strings) to the API.
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value;
}

/** Upper-cases a string value (CloudFormation accepts `managed`, the API reports `MANAGED`). */
export function upper(v: unknown): unknown {
  return typeof v === 'string' && !isUnresolved(v) ? v.toUpperCase() : v;
}

/** Lower-cases a string value (`Container` → `container`). */
export function lower(v: unknown): unknown {
  return typeof v === 'string' && !isUnresolved(v) ? v.toLowerCase() : v;
}
