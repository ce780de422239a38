/**
 * The resources the local Batch API serves: job definitions (see {@link JobDefinitionStore}),
 * compute environments, job queues and scheduling policies with AWS's life cycle (CREATING →
 * VALID, ENABLED/DISABLED, delete only when DISABLED and unused), names and ARNs as AWS forms
 * them, and tags. Resources of the loaded assembly are registered VALID at start-up.
 */
import { randomUUID } from 'node:crypto';
import type { BatchModel, DeploymentEnvironment } from '../../core/model/batch-model';
import { batchArn, parseBatchArn, type BatchArnResource } from '../../core/model/arn';
import type { Tags } from '../../core/model/common';
import type { JobDefinition } from '../../core/model/job-definition';
import { RESOURCE_NAME_ALLOWED, RESOURCE_NAME_PATTERN } from '../../core/rules/names';
import type {
  ComputeEnvironmentDetail,
  CreateSchedulingPolicyRequest,
  JobQueueDetail,
  ListSchedulingPoliciesResponse,
  SchedulingPolicyDetail,
} from './api-types';
import { clientError } from './errors';
import { JobDefinitionStore } from './job-definitions';
import { settle, type Settling } from './lifecycle';
import { paginate } from './pagination';

/** Options of {@link ResourceRegistry}. */
export interface ResourceRegistryOptions {
  /** Resources to pre-register (VALID at once). */
  readonly model: BatchModel;
  /** Account, region and partition of ARNs. @default - the model's environment */
  readonly env?: DeploymentEnvironment;
  /** Milliseconds a CREATING/UPDATING/DELETING status lasts. @default 100 */
  readonly settleMs?: number;
  /** Clock (epoch ms). @default Date.now */
  readonly now?: () => number;
}

/**
 * Where every API resource lives. Compute environments, queues and policies are kept here; the
 * operations on them are in `resource-operations.ts`.
 */
export class ResourceRegistry {
  /** Account, region, partition. */
  readonly env: DeploymentEnvironment;
  /** Job definitions. */
  readonly jobDefinitions: JobDefinitionStore;
  /** Milliseconds a transitional status lasts. */
  readonly settleMs: number;
  /** Clock. */
  readonly now: () => number;
  /** Compute environments by name. */
  readonly ces = new Map<string, Settling<ComputeEnvironmentDetail>>();
  /** Job queues by name. */
  readonly queues = new Map<string, Settling<JobQueueDetail>>();
  /** Scheduling policies by name. */
  readonly policies = new Map<string, SchedulingPolicyDetail>();
  /**
   * The resources as one model whose arrays and objects are the registry's own: hand it to the
   * executor, and registrations, state and order changes reach its scheduler without a copy.
   */
  readonly live: BatchModel;
  private readonly listeners: Array<() => void> = [];

  constructor(options: ResourceRegistryOptions) {
    this.env = options.env ?? options.model.environment;
    this.settleMs = options.settleMs ?? 100;
    this.now = options.now ?? Date.now;
    this.live = {
      ...options.model,
      environment: this.env,
      jobDefinitions: [],
      jobQueues: [],
      computeEnvironments: [],
      schedulingPolicies: [],
    };
    this.jobDefinitions = new JobDefinitionStore(this.env, options.model.jobDefinitions, this.live.jobDefinitions);
    for (const p of options.model.schedulingPolicies) {
      const { source: _s, ...policy } = p;
      this.addPolicy({
        ...structuredClone(policy),
        arn: batchArn(this.env, 'scheduling-policy', p.name),
        tags: p.tags ?? {},
      });
    }
    for (const c of options.model.computeEnvironments) {
      const { source: _s, ...ce } = c;
      this.addCe({
        detail: {
          ...structuredClone(ce),
          computeEnvironmentArn: batchArn(this.env, 'compute-environment', c.computeEnvironmentName),
          ecsClusterArn: c.ecsClusterArn ?? this.ecsClusterArn(c.computeEnvironmentName),
          state: c.state ?? 'ENABLED',
          status: 'VALID',
          statusReason: 'ComputeEnvironment Healthy',
          tags: c.tags ?? {},
          containerOrchestrationType: c.containerOrchestrationType ?? 'ECS',
          uuid: randomUUID(),
        },
      });
    }
    for (const q of options.model.jobQueues) {
      const { source: _s, ...queue } = q;
      this.addQueue({
        detail: {
          ...structuredClone(queue),
          jobQueueArn: batchArn(this.env, 'job-queue', q.jobQueueName),
          state: q.state ?? 'ENABLED',
          status: 'VALID',
          statusReason: 'JobQueue Healthy',
          computeEnvironmentOrder: q.computeEnvironmentOrder.map((o) => ({
            order: o.order,
            computeEnvironment: this.ceArnOf(o.computeEnvironment),
          })),
          tags: q.tags ?? {},
        },
      });
    }
  }

  /** Subscribes to resource changes (create, update, delete); returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Tells listeners that resources changed (the registry file is written here: it throws when it cannot be). */
  changed(): void {
    for (const l of this.listeners) l();
  }

  /**
   * Runs one API change all or nothing: when `change` throws — a rule refused it, or the registry
   * file could not be written by {@link changed} — every resource is put back as it was, in place
   * (the executor holds the same objects), so memory never runs ahead of what is saved.
   */
  transaction<T>(change: () => T): T {
    const undo = this.checkpoint();
    try {
      return change();
    } catch (e) {
      undo();
      throw e;
    }
  }

  /** Records the resources now; the returned function restores them in place. */
  private checkpoint(): () => void {
    const maps = [this.ces, this.queues, this.policies] as Array<Map<string, unknown>>;
    const mapEntries = maps.map((m) => [...m.entries()]);
    const arrays = [
      this.live.jobDefinitions,
      this.live.jobQueues,
      this.live.computeEnvironments,
      this.live.schedulingPolicies,
    ] as unknown[][];
    const arrayItems = arrays.map((a) => [...a]);
    const objects = new Map<object, Record<string, unknown>>();
    const keep = (o: object): void => {
      if (!objects.has(o)) objects.set(o, { ...o });
    };
    for (const e of [...this.ces.values(), ...this.queues.values()]) {
      keep(e);
      keep(e.detail);
    }
    for (const p of this.policies.values()) keep(p);
    const definitions = this.jobDefinitions.checkpoint();
    return () => {
      maps.forEach((m, i) => {
        m.clear();
        for (const [k, v] of mapEntries[i]) m.set(k, v);
      });
      arrays.forEach((a, i) => a.splice(0, a.length, ...arrayItems[i]));
      for (const [o, fields] of objects) {
        for (const k of Object.keys(o)) if (!(k in fields)) delete (o as Record<string, unknown>)[k];
        Object.assign(o, fields);
      }
      definitions();
    };
  }

  /** The resources that exist now, as a fresh model (for the core rules). */
  toModel(base: BatchModel): BatchModel {
    return {
      ...base,
      environment: this.env,
      jobDefinitions: this.jobDefinitions.all(),
      computeEnvironments: this.liveCes().map((e) => e.detail),
      jobQueues: this.liveQueues().map((e) => e.detail),
      schedulingPolicies: [...this.policies.values()],
    };
  }

  /** Adds a compute environment (also to {@link live}). */
  addCe(entry: Settling<ComputeEnvironmentDetail>): void {
    this.ces.set(entry.detail.computeEnvironmentName, entry);
    this.live.computeEnvironments.push(entry.detail);
  }

  /** Adds a job queue (also to {@link live}). */
  addQueue(entry: Settling<JobQueueDetail>): void {
    this.queues.set(entry.detail.jobQueueName, entry);
    this.live.jobQueues.push(entry.detail);
  }

  /** Adds a scheduling policy (also to {@link live}). */
  addPolicy(policy: SchedulingPolicyDetail): void {
    this.policies.set(policy.name, policy);
    this.live.schedulingPolicies.push(policy);
  }

  /** Compute environments that exist now (settled). */
  liveCes(): Settling<ComputeEnvironmentDetail>[] {
    return this.settled(this.ces);
  }

  /** Job queues that exist now (settled). */
  liveQueues(): Settling<JobQueueDetail>[] {
    return this.settled(this.queues);
  }

  /** The compute environment a name or ARN refers to. */
  findCe(ref: string): Settling<ComputeEnvironmentDetail> | undefined {
    const name = this.nameOf(ref, 'compute-environment');
    const entry = name === undefined ? undefined : this.ces.get(name);
    return entry && this.alive(this.ces, name as string, entry) ? entry : undefined;
  }

  /** The job queue a name or ARN refers to. */
  findQueue(ref: string): Settling<JobQueueDetail> | undefined {
    const name = this.nameOf(ref, 'job-queue');
    const entry = name === undefined ? undefined : this.queues.get(name);
    return entry && this.alive(this.queues, name as string, entry) ? entry : undefined;
  }

  /** The scheduling policy an ARN refers to. */
  findPolicy(arn: string): SchedulingPolicyDetail | undefined {
    const name = this.nameOf(arn, 'scheduling-policy');
    return name === undefined ? undefined : this.policies.get(name);
  }

  /** The ARN of a compute environment given by name or ARN (unknown names keep their text). */
  ceArnOf(ref: string): string {
    return ref.startsWith('arn:') ? ref : batchArn(this.env, 'compute-environment', ref);
  }

  /** Checks a new resource name and that it is free. */
  checkNewName(kind: string, field: string, name: string, taken: boolean): void {
    if (!RESOURCE_NAME_PATTERN.test(name)) {
      throw clientError(
        `${field} ${JSON.stringify(name)} is not a valid ${kind} name. Allowed: ` +
          `${RESOURCE_NAME_ALLOWED}. Fix: rename it, e.g. replace spaces and dots with hyphens.`,
      );
    }
    if (taken) {
      throw clientError(
        `Object already exists: a ${kind} named ${JSON.stringify(name)} exists. ` +
          `Fix: choose another ${field}, or delete the existing one first.`,
      );
    }
  }

  /** ECS cluster ARN Batch creates for an environment. */
  ecsClusterArn(name: string): string {
    return (
      `arn:${this.env.partition}:ecs:${this.env.region}:${this.env.account}:cluster/${name}_Batch_` +
      `${randomUUID().replace(/-/g, '').slice(0, 32)}`
    );
  }

  // ---------------------------------------------------------------- scheduling policies

  /** CreateSchedulingPolicy. */
  createSchedulingPolicy(request: CreateSchedulingPolicyRequest): { name: string; arn: string } {
    this.checkNewName('scheduling policy', 'name', request.name, this.policies.has(request.name));
    checkFairshare(request.fairsharePolicy);
    const arn = batchArn(this.env, 'scheduling-policy', request.name);
    this.addPolicy({ ...structuredClone(request), arn, tags: request.tags ?? {} });
    this.changed();
    return { name: request.name, arn };
  }

  /** DescribeSchedulingPolicies: unknown ARNs are left out. */
  describeSchedulingPolicies(arns: string[]): { schedulingPolicies: SchedulingPolicyDetail[] } {
    if (arns.length > 100) {
      throw clientError(
        `arns has ${arns.length} entries; DescribeSchedulingPolicies accepts up ` +
          `to 100. Fix: ask in batches of 100.`,
      );
    }
    const out: SchedulingPolicyDetail[] = [];
    for (const arn of arns) {
      const p = this.findPolicy(arn);
      if (p) out.push(structuredClone(p));
    }
    return { schedulingPolicies: out };
  }

  /** ListSchedulingPolicies. */
  listSchedulingPolicies(maxResults?: number, nextToken?: string): ListSchedulingPoliciesResponse {
    const page = paginate([...this.policies.values()], (p) => [p.arn ?? ''], {
      operation: 'ListSchedulingPolicies',
      query: {},
      maxResults,
      nextToken,
      limit: 1000,
    });
    return { schedulingPolicies: page.items.map((p) => ({ arn: p.arn ?? '' })), nextToken: page.nextToken };
  }

  /** UpdateSchedulingPolicy. */
  updateSchedulingPolicy(
    arn: string,
    fairsharePolicy?: SchedulingPolicyDetail['fairsharePolicy'],
    quotaSharePolicy?: SchedulingPolicyDetail['quotaSharePolicy'],
  ): void {
    const p = this.requirePolicy(arn);
    checkFairshare(fairsharePolicy);
    if (fairsharePolicy !== undefined) p.fairsharePolicy = structuredClone(fairsharePolicy);
    if (quotaSharePolicy !== undefined) p.quotaSharePolicy = structuredClone(quotaSharePolicy);
    this.changed();
  }

  /** DeleteSchedulingPolicy: refused while a job queue uses it. */
  deleteSchedulingPolicy(arn: string): void {
    const p = this.requirePolicy(arn);
    const users = this.liveQueues().filter((q) => q.detail.schedulingPolicyArn === p.arn);
    if (users.length > 0) {
      throw clientError(
        `Cannot delete, found existing JobQueue relationship: scheduling policy ${p.arn} is used by job queue ` +
          `${users.map((q) => q.detail.jobQueueName).join(', ')}. Fix: delete those job queues first.`,
      );
    }
    this.policies.delete(p.name);
    removeFrom(this.live.schedulingPolicies, p);
    this.changed();
  }

  /** The policy an ARN names, or a ClientException. */
  requirePolicy(arn: string): SchedulingPolicyDetail {
    const p = this.findPolicy(arn);
    if (!p) {
      throw clientError(
        `Scheduling policy ${arn} does not exist. Fix: pass the ARN ` +
          `CreateSchedulingPolicy returned (ListSchedulingPolicies lists them).`,
      );
    }
    return p;
  }

  // ---------------------------------------------------------------- tags

  /** Tags of a queue, environment, policy or job definition; undefined for other ARNs. */
  tagsOf(arn: string): Tags | undefined {
    const target = this.tagTarget(arn);
    return target ? { ...(target.tags ?? {}) } : undefined;
  }

  /** Adds or replaces tags of a non-job resource; false when the ARN names none. */
  tag(arn: string, tags: Tags): boolean {
    const target = this.tagTarget(arn);
    if (!target) return false;
    const merged = { ...(target.tags ?? {}), ...tags };
    checkTagCount(arn, merged);
    target.tags = merged;
    this.changed();
    return true;
  }

  /** Removes tags of a non-job resource; false when the ARN names none. */
  untag(arn: string, keys: readonly string[]): boolean {
    const target = this.tagTarget(arn);
    if (!target) return false;
    const rest = { ...(target.tags ?? {}) };
    for (const k of keys) delete rest[k];
    target.tags = rest;
    this.changed();
    return true;
  }

  private tagTarget(arn: string): { tags?: Tags } | JobDefinition | undefined {
    const parsed = parseBatchArn(arn);
    if (!parsed || !this.isOurs(parsed)) return undefined;
    switch (parsed.resource) {
      case 'job-definition':
        return this.jobDefinitions.byArn(arn);
      case 'compute-environment':
        return this.findCe(arn)?.detail;
      case 'job-queue':
        return this.findQueue(arn)?.detail;
      case 'scheduling-policy':
        return this.findPolicy(arn);
      default:
        return undefined;
    }
  }

  private isOurs(p: { partition: string; region: string; account: string }): boolean {
    return p.partition === this.env.partition && p.region === this.env.region && p.account === this.env.account;
  }

  private nameOf(ref: string, resource: BatchArnResource): string | undefined {
    if (!ref.startsWith('arn:')) return ref;
    const parsed = parseBatchArn(ref);
    if (!parsed || parsed.resource !== resource || !this.isOurs(parsed)) return undefined;
    return parsed.name;
  }

  private settled<T extends { status?: ComputeEnvironmentDetail['status']; statusReason?: string }>(
    map: Map<string, Settling<T>>,
  ): Settling<T>[] {
    const out: Settling<T>[] = [];
    for (const [name, entry] of [...map.entries()]) {
      if (this.alive(map, name, entry)) out.push(entry);
    }
    return out;
  }

  private alive<T extends { status?: ComputeEnvironmentDetail['status']; statusReason?: string }>(
    map: Map<string, Settling<T>>,
    name: string,
    entry: Settling<T>,
  ): boolean {
    if (settle(entry, this.now())) return true;
    map.delete(name);
    removeFrom(this.live.jobQueues, entry.detail);
    removeFrom(this.live.computeEnvironments, entry.detail);
    return false;
  }
}

function checkFairshare(policy: SchedulingPolicyDetail['fairsharePolicy']): void {
  if (!policy) return;
  if (policy.shareDecaySeconds !== undefined && (policy.shareDecaySeconds < 0 || policy.shareDecaySeconds > 604800)) {
    throw clientError(
      `fairsharePolicy.shareDecaySeconds is ${policy.shareDecaySeconds}; ` +
        `allowed 0 to 604800 (one week). Fix: give a value in that range.`,
    );
  }
  if (policy.computeReservation !== undefined && (policy.computeReservation < 0 || policy.computeReservation > 99)) {
    throw clientError(
      `fairsharePolicy.computeReservation is ${policy.computeReservation}; ` +
        `allowed 0 to 99 (percent). Fix: give a value in that range.`,
    );
  }
  const shares = policy.shareDistribution ?? [];
  if (shares.length > 500) {
    throw clientError(
      `fairsharePolicy.shareDistribution has ${shares.length} entries; at ` +
        `most 500 are allowed. Fix: merge share identifiers with a trailing * prefix.`,
    );
  }
  for (const [i, s] of shares.entries()) {
    if (s.weightFactor !== undefined && (s.weightFactor < 0.0001 || s.weightFactor > 999.9999)) {
      throw clientError(
        `fairsharePolicy.shareDistribution[${i}].weightFactor is ` +
          `${s.weightFactor}; allowed 0.0001 to 999.9999. Fix: give a value in that range (lower gets more).`,
      );
    }
  }
}

function checkTagCount(arn: string, tags: Tags): void {
  const n = Object.keys(tags).length;
  if (n > 50) {
    throw clientError(
      `${arn} would have ${n} tags; a resource can have at most 50. Fix: remove tags with UntagResource first.`,
    );
  }
}

function removeFrom<T>(array: T[], item: unknown): void {
  const i = array.indexOf(item as T);
  if (i >= 0) array.splice(i, 1);
}
