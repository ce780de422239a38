/**
 * What a job's container looks like after SubmitJob: the job definition's container with
 * `Ref::` parameters substituted into `command` and the submit-time overrides applied.
 * @see https://docs.aws.amazon.com/batch/latest/userguide/job_definition_parameters.html#parameters
 */
import type { KeyValuePair } from '../../core/model/common';
import type { ContainerOverrides, ContainerDetail } from '../../core/model/job';
import type { ContainerProperties, ResourceRequirement, ResourceType } from '../../core/model/job-definition';

/**
 * Replaces every `Ref::name` in each command element with `parameters[name]`; placeholders
 * without a parameter stay as written (as Batch leaves them).
 */
export function substituteParameters(
  command: readonly string[],
  parameters: Readonly<Record<string, string>>,
): string[] {
  return command.map((arg) =>
    arg.replace(/Ref::([A-Za-z0-9_-]+)/g, (whole, name: string) =>
      Object.prototype.hasOwnProperty.call(parameters, name) ? parameters[name] : whole,
    ),
  );
}

/** Environment with the override's variables added or replacing those of the same name. */
export function mergeEnvironment(
  base: readonly KeyValuePair[] | undefined,
  extra: readonly KeyValuePair[] | undefined,
): KeyValuePair[] {
  const out = new Map<string, KeyValuePair>();
  for (const kv of [...(base ?? []), ...(extra ?? [])])
    if (kv.name !== undefined) out.set(kv.name, { name: kv.name, value: kv.value ?? '' });
  return [...out.values()];
}

function setRequirement(reqs: ResourceRequirement[], type: ResourceType, value: string): void {
  const i = reqs.findIndex((r) => r.type === type);
  if (i >= 0) reqs[i] = { type, value };
  else reqs.push({ type, value });
}

/**
 * The container as DescribeJobs reports it for a new job: definition + parameters + overrides.
 * Legacy `vcpus`/`memory` overrides apply to `resourceRequirements` when the definition uses them.
 */
export function resolveContainer(
  definition: ContainerProperties,
  parameters: Readonly<Record<string, string>>,
  overrides: ContainerOverrides | undefined,
): ContainerDetail {
  const c: ContainerDetail = JSON.parse(JSON.stringify(definition)) as ContainerDetail;
  const command = overrides?.command ?? definition.command;
  if (command) c.command = substituteParameters(command, parameters);
  c.environment = mergeEnvironment(definition.environment, overrides?.environment);
  const reqs: ResourceRequirement[] = [...(definition.resourceRequirements ?? [])];
  const usesRequirements = reqs.some((r) => r.type === 'VCPU' || r.type === 'MEMORY');
  if (overrides?.vcpus !== undefined) {
    if (usesRequirements) setRequirement(reqs, 'VCPU', String(overrides.vcpus));
    else c.vcpus = overrides.vcpus;
  }
  if (overrides?.memory !== undefined) {
    if (usesRequirements) setRequirement(reqs, 'MEMORY', String(overrides.memory));
    else c.memory = overrides.memory;
  }
  for (const r of overrides?.resourceRequirements ?? []) {
    setRequirement(reqs, r.type, r.value);
    if (r.type === 'VCPU') delete c.vcpus;
    if (r.type === 'MEMORY') delete c.memory;
  }
  if (reqs.length > 0) c.resourceRequirements = reqs;
  if (overrides?.instanceType !== undefined) c.instanceType = overrides.instanceType;
  c.volumes ??= [];
  c.mountPoints ??= [];
  c.ulimits ??= [];
  c.secrets ??= [];
  c.networkInterfaces = [];
  return c;
}
