/**
 * CreateJobQueue, DescribeJobQueues, UpdateJobQueue and DeleteJobQueue over the
 * {@link ResourceRegistry}: 1–3 existing compute environments with distinct orders, priority
 * 0–1000, a scheduling policy that exists (and that cannot be added to or removed from an existing
 * queue), and a delete only when the queue is DISABLED.
 */
import { batchArn } from '../../core/model/arn';
import { emptyBatchModel } from '../../core/model/batch-model';
import type { ComputeEnvironmentOrder, JobStateTimeLimitAction } from '../../core/model/job-queue';
import { validateModel } from '../../core/rules';
import type {
  CreateJobQueueRequest,
  DescribeJobQueuesRequest,
  DescribeJobQueuesResponse,
  JobQueueDetail,
  JobQueueRef,
  UpdateJobQueueRequest,
} from './api-types';
import { clientError } from './errors';
import { begin } from './lifecycle';
import { paginate } from './pagination';
import type { ResourceRegistry } from './registry';

const HEALTHY = { status: 'VALID' as const, statusReason: 'JobQueue Healthy' };

/** CreateJobQueue. */
export function createJobQueue(reg: ResourceRegistry, request: CreateJobQueueRequest): JobQueueRef {
  const name = request.jobQueueName;
  reg.checkNewName('job queue', 'jobQueueName', name, reg.findQueue(name) !== undefined);
  checkPriority(request.priority);
  if (request.schedulingPolicyArn !== undefined) reg.requirePolicy(request.schedulingPolicyArn);
  checkTimeLimitActions(request.jobStateTimeLimitActions);
  const detail: JobQueueDetail = {
    ...structuredClone(request),
    jobQueueArn: batchArn(reg.env, 'job-queue', name),
    state: request.state ?? 'ENABLED',
    computeEnvironmentOrder: resolveOrder(
      reg,
      request.computeEnvironmentOrder ?? [],
      request.serviceEnvironmentOrder !== undefined,
    ),
    tags: request.tags ?? {},
  };
  checkWithRules(reg, detail);
  const entry = { detail };
  begin(entry, 'CREATING', HEALTHY, reg.now(), reg.settleMs);
  reg.addQueue(entry);
  reg.changed();
  return { jobQueueName: name, jobQueueArn: detail.jobQueueArn ?? '' };
}

/** DescribeJobQueues: unknown names are left out. */
export function describeJobQueues(reg: ResourceRegistry, request: DescribeJobQueuesRequest): DescribeJobQueuesResponse {
  const wanted = request.jobQueues ?? [];
  if (wanted.length > 100) {
    throw clientError(
      `jobQueues has ${wanted.length} entries; DescribeJobQueues accepts up to 100. Fix: ask in batches of 100.`,
    );
  }
  let all = reg.liveQueues();
  if (wanted.length > 0) {
    const names = new Set(wanted.map((w) => reg.findQueue(w)?.detail.jobQueueName).filter((n) => n !== undefined));
    all = all.filter((e) => names.has(e.detail.jobQueueName));
  }
  const { maxResults, nextToken, ...query } = request;
  const page = paginate(all, (e) => [e.detail.jobQueueName], {
    operation: 'DescribeJobQueues',
    query,
    maxResults,
    nextToken,
    limit: 100,
  });
  return { jobQueues: page.items.map((e) => structuredClone(e.detail)), nextToken: page.nextToken };
}

/** UpdateJobQueue: applies the members given; status UPDATING, then VALID. */
export function updateJobQueue(reg: ResourceRegistry, request: UpdateJobQueueRequest): JobQueueRef {
  const entry = requireQueue(reg, request.jobQueue);
  const d = entry.detail;
  if (d.status === 'DELETING') throw clientError(`Job queue ${d.jobQueueName} is being deleted and cannot be updated.`);
  const next: JobQueueDetail = structuredClone(d);
  if (request.state !== undefined) next.state = request.state;
  if (request.priority !== undefined) {
    checkPriority(request.priority);
    next.priority = request.priority;
  }
  if (request.schedulingPolicyArn !== undefined) {
    if (d.schedulingPolicyArn === undefined) {
      throw clientError(
        `Job queue ${d.jobQueueName} is a FIFO queue; a scheduling policy ` +
          `cannot be added to an existing queue. Fix: create a new job queue with schedulingPolicyArn.`,
      );
    }
    reg.requirePolicy(request.schedulingPolicyArn);
    next.schedulingPolicyArn = request.schedulingPolicyArn;
  }
  if (request.computeEnvironmentOrder !== undefined) {
    next.computeEnvironmentOrder = resolveOrder(reg, request.computeEnvironmentOrder, false);
  }
  if (request.serviceEnvironmentOrder !== undefined)
    next.serviceEnvironmentOrder = structuredClone(request.serviceEnvironmentOrder);
  if (request.jobStateTimeLimitActions !== undefined) {
    checkTimeLimitActions(request.jobStateTimeLimitActions);
    next.jobStateTimeLimitActions = structuredClone(request.jobStateTimeLimitActions);
  }
  checkWithRules(reg, next);
  Object.assign(d, next);
  begin(entry, 'UPDATING', HEALTHY, reg.now(), reg.settleMs);
  reg.changed();
  return { jobQueueName: d.jobQueueName, jobQueueArn: d.jobQueueArn ?? '' };
}

/** DeleteJobQueue: needs DISABLED; returns the deleted queue's name (its jobs are then terminated). */
export function deleteJobQueue(reg: ResourceRegistry, ref: string): string | undefined {
  const entry = requireQueue(reg, ref);
  const d = entry.detail;
  if (d.status === 'DELETING') return undefined;
  if (d.state !== 'DISABLED') {
    throw clientError(
      `Cannot delete job queue ${d.jobQueueName}: its state is ${d.state}; ` +
        `only a DISABLED job queue can be deleted. Fix: UpdateJobQueue with state DISABLED first.`,
    );
  }
  begin(entry, 'DELETING', 'removed', reg.now(), reg.settleMs);
  reg.changed();
  return d.jobQueueName;
}

/** The queue a name or ARN refers to, or a ClientException. */
export function requireQueue(
  reg: ResourceRegistry,
  ref: string,
): NonNullable<ReturnType<ResourceRegistry['findQueue']>> {
  const entry = reg.findQueue(ref);
  if (!entry)
    throw clientError(`Job queue ${ref} does not exist. Fix: check the name or ARN (DescribeJobQueues lists them).`);
  return entry;
}

function resolveOrder(
  reg: ResourceRegistry,
  order: readonly ComputeEnvironmentOrder[],
  service: boolean,
): ComputeEnvironmentOrder[] {
  if (order.length === 0 && !service) {
    throw clientError(
      'computeEnvironmentOrder is empty; a job queue needs 1 to 3 compute ' +
        'environments. Fix: add at least one {order, computeEnvironment}.',
    );
  }
  if (order.length > 3) {
    throw clientError(
      `computeEnvironmentOrder has ${order.length} entries; a job queue can ` +
        `have at most 3 compute environments. Fix: keep up to 3.`,
    );
  }
  const out: ComputeEnvironmentOrder[] = [];
  for (const [i, o] of order.entries()) {
    const ce = reg.findCe(o.computeEnvironment);
    if (!ce || ce.detail.status === 'DELETING') {
      throw clientError(
        `computeEnvironmentOrder[${i}].computeEnvironment ` +
          `${o.computeEnvironment} does not exist. Fix: create it first, or check the name or ARN.`,
      );
    }
    const arn = ce.detail.computeEnvironmentArn ?? '';
    if (out.some((x) => x.computeEnvironment === arn)) {
      throw clientError(
        `computeEnvironmentOrder lists compute environment ` +
          `${ce.detail.computeEnvironmentName} twice. Fix: list each environment once.`,
      );
    }
    if (out.some((x) => x.order === o.order)) {
      throw clientError(
        `computeEnvironmentOrder has two entries with order ${o.order}. Fix: ` +
          `give each compute environment a distinct order.`,
      );
    }
    out.push({ order: o.order, computeEnvironment: arn });
  }
  return out;
}

function checkPriority(priority: number): void {
  if (priority < 0 || priority > 1000) {
    throw clientError(
      `priority is ${priority}; allowed 0 to 1000 (higher is scheduled first). Fix: give a value in that range.`,
    );
  }
}

function checkTimeLimitActions(actions: readonly JobStateTimeLimitAction[] | undefined): void {
  for (const [i, a] of (actions ?? []).entries()) {
    if (a.maxTimeSeconds < 600 || a.maxTimeSeconds > 86400) {
      throw clientError(
        `jobStateTimeLimitActions[${i}].maxTimeSeconds is ${a.maxTimeSeconds}; ` +
          `allowed 600 to 86400 (10 minutes to 24 hours). Fix: give a value in that range.`,
      );
    }
  }
}

function checkWithRules(reg: ResourceRegistry, queue: JobQueueDetail): void {
  const model = reg.toModel(emptyBatchModel(reg.env));
  const findings = validateModel({ ...model, jobQueues: [queue] }).filter(
    (f) => f.severity === 'error' && f.resource.kind === 'JobQueue' && f.resource.name === queue.jobQueueName,
  );
  if (findings.length > 0) throw clientError(findings.map((f) => f.message).join(' '));
}
