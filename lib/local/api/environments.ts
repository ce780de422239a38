/**
 * CreateComputeEnvironment, DescribeComputeEnvironments, UpdateComputeEnvironment and
 * DeleteComputeEnvironment over the {@link ResourceRegistry}, with AWS's rules: MANAGED needs
 * computeResources and UNMANAGED refuses them, a delete needs state DISABLED and no job queue
 * using the environment ("Cannot delete, found existing JobQueue relationship").
 */
import { randomUUID } from 'node:crypto';
import { batchArn } from '../../core/model/arn';
import { emptyBatchModel } from '../../core/model/batch-model';
import { validateModel } from '../../core/rules';
import type {
  ComputeEnvironmentDetail,
  ComputeEnvironmentRef,
  CreateComputeEnvironmentRequest,
  DescribeComputeEnvironmentsRequest,
  DescribeComputeEnvironmentsResponse,
  UpdateComputeEnvironmentRequest,
} from './api-types';
import { clientError } from './errors';
import { begin } from './lifecycle';
import { paginate } from './pagination';
import type { ResourceRegistry } from './registry';

const HEALTHY = { status: 'VALID' as const, statusReason: 'ComputeEnvironment Healthy' };

/** CreateComputeEnvironment. */
export function createComputeEnvironment(
  reg: ResourceRegistry,
  request: CreateComputeEnvironmentRequest,
): ComputeEnvironmentRef {
  const name = request.computeEnvironmentName;
  reg.checkNewName('compute environment', 'computeEnvironmentName', name, reg.findCe(name) !== undefined);
  if (request.type === 'MANAGED' && !request.computeResources) {
    throw clientError(
      `computeResources is required for a MANAGED compute environment (` +
        `${name}). Fix: add computeResources (type, maxvCpus, subnets), or use type UNMANAGED.`,
    );
  }
  if (request.type === 'UNMANAGED' && request.computeResources) {
    throw clientError(
      `computeResources is not allowed for an UNMANAGED compute environment (` +
        `${name}). Fix: remove computeResources, or use type MANAGED.`,
    );
  }
  const detail: ComputeEnvironmentDetail = {
    ...structuredClone(request),
    computeEnvironmentArn: batchArn(reg.env, 'compute-environment', name),
    ecsClusterArn: reg.ecsClusterArn(name),
    state: request.state ?? 'ENABLED',
    tags: request.tags ?? {},
    containerOrchestrationType: request.eksConfiguration ? 'EKS' : 'ECS',
    uuid: randomUUID(),
  };
  checkWithRules(reg, detail);
  const entry = { detail };
  begin(entry, 'CREATING', HEALTHY, reg.now(), reg.settleMs);
  reg.addCe(entry);
  reg.changed();
  return { computeEnvironmentName: name, computeEnvironmentArn: detail.computeEnvironmentArn ?? '' };
}

/** DescribeComputeEnvironments: unknown names are left out. */
export function describeComputeEnvironments(
  reg: ResourceRegistry,
  request: DescribeComputeEnvironmentsRequest,
): DescribeComputeEnvironmentsResponse {
  const wanted = request.computeEnvironments ?? [];
  if (wanted.length > 100) {
    throw clientError(
      `computeEnvironments has ${wanted.length} entries; ` +
        `DescribeComputeEnvironments accepts up to 100. Fix: ask in batches of 100.`,
    );
  }
  let all = reg.liveCes();
  if (wanted.length > 0) {
    const names = new Set(
      wanted.map((w) => reg.findCe(w)?.detail.computeEnvironmentName).filter((n) => n !== undefined),
    );
    all = all.filter((e) => names.has(e.detail.computeEnvironmentName));
  }
  const { maxResults, nextToken, ...query } = request;
  const page = paginate(all, (e) => [e.detail.computeEnvironmentName], {
    operation: 'DescribeComputeEnvironments',
    query,
    maxResults,
    nextToken,
    limit: 100,
  });
  return { computeEnvironments: page.items.map((e) => structuredClone(e.detail)), nextToken: page.nextToken };
}

/** UpdateComputeEnvironment: applies the members given; status UPDATING, then VALID. */
export function updateComputeEnvironment(
  reg: ResourceRegistry,
  request: UpdateComputeEnvironmentRequest,
): ComputeEnvironmentRef {
  const entry = requireCe(reg, request.computeEnvironment);
  const d = entry.detail;
  if (d.status === 'DELETING') {
    throw clientError(`Compute environment ${d.computeEnvironmentName} is being deleted and cannot be updated.`);
  }
  const next: ComputeEnvironmentDetail = structuredClone(d);
  if (request.state !== undefined) next.state = request.state;
  if (request.unmanagedvCpus !== undefined) {
    if (next.type !== 'UNMANAGED') {
      throw clientError(
        `unmanagedvCpus applies only to UNMANAGED compute environments; ` +
          `${d.computeEnvironmentName} is ${d.type}. Fix: remove unmanagedvCpus.`,
      );
    }
    next.unmanagedvCpus = request.unmanagedvCpus;
  }
  if (request.computeResources !== undefined) {
    if (!next.computeResources) {
      throw clientError(
        `computeResources cannot be updated on UNMANAGED compute environment ` +
          `${d.computeEnvironmentName}. Fix: remove computeResources.`,
      );
    }
    const { updateToLatestImageVersion: _latest, ...changes } = request.computeResources;
    next.computeResources = { ...next.computeResources, ...structuredClone(changes) };
  }
  if (request.serviceRole !== undefined) next.serviceRole = request.serviceRole;
  if (request.updatePolicy !== undefined) next.updatePolicy = { ...(next.updatePolicy ?? {}), ...request.updatePolicy };
  if (request.context !== undefined) next.context = request.context;
  checkWithRules(reg, next);
  Object.assign(d, next);
  begin(entry, 'UPDATING', HEALTHY, reg.now(), reg.settleMs);
  reg.changed();
  return { computeEnvironmentName: d.computeEnvironmentName, computeEnvironmentArn: d.computeEnvironmentArn ?? '' };
}

/** DeleteComputeEnvironment: needs DISABLED and no job queue using it. */
export function deleteComputeEnvironment(reg: ResourceRegistry, ref: string): void {
  const entry = requireCe(reg, ref);
  const d = entry.detail;
  if (d.status === 'DELETING') return;
  if (d.state !== 'DISABLED') {
    throw clientError(
      `Cannot delete compute environment ${d.computeEnvironmentName}: its ` +
        `state is ${d.state}; only a DISABLED compute environment can be ` +
        `deleted. Fix: UpdateComputeEnvironment with state DISABLED first.`,
    );
  }
  const users = reg
    .liveQueues()
    .filter((q) => q.detail.computeEnvironmentOrder.some((o) => o.computeEnvironment === d.computeEnvironmentArn));
  if (users.length > 0) {
    throw clientError(
      `Cannot delete, found existing JobQueue relationship: compute ` +
        `environment ${d.computeEnvironmentName} is in the computeEnvironmentOrder of ` +
        `${users.map((q) => q.detail.jobQueueName).join(', ')}. Fix: remove it ` +
        `from those queues (UpdateJobQueue) or delete them first.`,
    );
  }
  begin(entry, 'DELETING', 'removed', reg.now(), reg.settleMs);
  reg.changed();
}

/** The environment a name or ARN refers to, or a ClientException. */
export function requireCe(reg: ResourceRegistry, ref: string): NonNullable<ReturnType<ResourceRegistry['findCe']>> {
  const entry = reg.findCe(ref);
  if (!entry) {
    throw clientError(
      `Compute environment ${ref} does not exist. Fix: check the name or ARN ` +
        `(DescribeComputeEnvironments lists them).`,
    );
  }
  return entry;
}

function checkWithRules(reg: ResourceRegistry, ce: ComputeEnvironmentDetail): void {
  const errors = validateModel({ ...emptyBatchModel(reg.env), computeEnvironments: [ce] }).filter(
    (f) =>
      f.severity === 'error' &&
      f.resource.kind === 'ComputeEnvironment' &&
      f.resource.name === ce.computeEnvironmentName,
  );
  if (errors.length > 0) throw clientError(errors.map((f) => f.message).join(' '));
}
