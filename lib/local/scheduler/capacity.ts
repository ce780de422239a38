/**
 * Compute environments as capacity pools and job queues as ordered lists of them. A job reserves
 * its vCPUs, memory and GPUs on one environment from STARTING until its container stops.
 */
import type { ResourceState } from '../../core/model/common';
import type { LoadedComputeEnvironment } from '../../core/model/compute-environment';
import type { LoadedJobQueue, LoadedSchedulingPolicy } from '../../core/model/job-queue';
import { parseBatchArn } from '../../core/model/arn';
import { isUnresolved } from '../../core/model/unresolved';
import type { Demand } from './job-record';

/** This host's limits, applied to every environment. */
export interface HostLimits {
  /** vCPUs. */
  readonly vcpus: number;
  /** Memory in MiB. */
  readonly memoryMiB: number;
  /** GPUs. */
  readonly gpus: number;
}

/** The name in a Batch ARN, or the string itself. */
export function nameOf(nameOrArn: string): string {
  return parseBatchArn(nameOrArn)?.name ?? nameOrArn;
}

/** One compute environment's capacity and what is in use. */
export class CapacityPool {
  /** What the environment can hold at once. */
  readonly capacity: Demand;
  /** Where the limit comes from, for messages. */
  readonly limitNote: string;
  private used = { vcpus: 0, memoryMiB: 0, gpus: 0 };

  constructor(
    readonly ce: LoadedComputeEnvironment,
    host: HostLimits,
  ) {
    const declared = ce.type === 'UNMANAGED' ? ce.unmanagedvCpus : ce.computeResources?.maxvCpus;
    const known = declared !== undefined && !isUnresolved(declared) && declared > 0 ? declared : undefined;
    const vcpus = known === undefined ? host.vcpus : Math.min(known, host.vcpus);
    this.capacity = { vcpus, memoryMiB: host.memoryMiB, gpus: host.gpus };
    this.limitNote =
      known === undefined
        ? `${vcpus} vCPUs (this host)`
        : known > host.vcpus
          ? `${vcpus} vCPUs (maxvCpus ${known} capped by this host's ${host.vcpus})`
          : `${vcpus} vCPUs (maxvCpus)`;
  }

  /** Name. */
  get name(): string {
    return this.ce.computeEnvironmentName;
  }

  /** ENABLED unless set DISABLED. */
  get state(): ResourceState {
    return this.ce.state ?? 'ENABLED';
  }

  /** In use now. */
  inUse(): Demand {
    return { ...this.used };
  }

  /** Whether `d` fits in what is free now. */
  fits(d: Demand): boolean {
    const eps = 1e-9;
    return (
      this.used.vcpus + d.vcpus <= this.capacity.vcpus + eps &&
      this.used.memoryMiB + d.memoryMiB <= this.capacity.memoryMiB + eps &&
      this.used.gpus + d.gpus <= this.capacity.gpus + eps
    );
  }

  /** Whether `d` could ever fit (the environment empty). */
  canEverFit(d: Demand): boolean {
    return (
      d.vcpus <= this.capacity.vcpus + 1e-9 && d.memoryMiB <= this.capacity.memoryMiB && d.gpus <= this.capacity.gpus
    );
  }

  /** Whether nothing more can start (no vCPU or no memory left). */
  full(): boolean {
    return this.used.vcpus >= this.capacity.vcpus - 1e-9 || this.used.memoryMiB >= this.capacity.memoryMiB;
  }

  /** Takes `d`. */
  reserve(d: Demand): void {
    this.used = {
      vcpus: this.used.vcpus + d.vcpus,
      memoryMiB: this.used.memoryMiB + d.memoryMiB,
      gpus: this.used.gpus + d.gpus,
    };
  }

  /** Gives `d` back. */
  release(d: Demand): void {
    this.used = {
      vcpus: Math.max(0, this.used.vcpus - d.vcpus),
      memoryMiB: Math.max(0, this.used.memoryMiB - d.memoryMiB),
      gpus: Math.max(0, this.used.gpus - d.gpus),
    };
  }

  /** Why `d` cannot be placed here now, or undefined when it can. */
  whyNot(d: Demand): string | undefined {
    if (this.state === 'DISABLED') return `compute environment ${this.name} is DISABLED: it takes no new jobs.`;
    const parts: string[] = [];
    if (d.vcpus > this.capacity.vcpus)
      parts.push(`needs ${d.vcpus} vCPUs, the environment holds at most ${this.limitNote}`);
    if (d.memoryMiB > this.capacity.memoryMiB)
      parts.push(`needs ${d.memoryMiB} MiB, the environment holds at most ${this.capacity.memoryMiB} MiB`);
    if (d.gpus > this.capacity.gpus) parts.push(`needs ${d.gpus} GPUs, the environment has ${this.capacity.gpus}`);
    if (parts.length) return `compute environment ${this.name} can never run it: ${parts.join('; ')}.`;
    if (!this.fits(d)) {
      const u = this.used;
      return (
        `compute environment ${this.name} is busy: ${u.vcpus}/${this.capacity.vcpus} vCPUs, ${u.memoryMiB}/` +
        `${this.capacity.memoryMiB} MiB, ${u.gpus}/${this.capacity.gpus} GPUs in use; it waits for capacity.`
      );
    }
    return undefined;
  }
}

/** The queues and environments the executor knows, resolved by name or ARN. */
export class Topology {
  private readonly pools = new Map<string, CapacityPool>();
  private readonly queues = new Map<string, LoadedJobQueue>();

  constructor(
    queues: readonly LoadedJobQueue[],
    ces: readonly LoadedComputeEnvironment[],
    private readonly host: HostLimits,
    private readonly policies: readonly LoadedSchedulingPolicy[] = [],
  ) {
    for (const ce of ces) this.pools.set(ce.computeEnvironmentName, new CapacityPool(ce, host));
    for (const q of queues) this.queues.set(q.jobQueueName, q);
  }

  /** Adds a queue registered at run time, or replaces the one of the same name (local Batch API). */
  putQueue(queue: LoadedJobQueue): void {
    this.queues.set(queue.jobQueueName, queue);
  }

  /**
   * Adds an environment registered at run time (local Batch API), or takes the new limits of one
   * already known by this name (UpdateComputeEnvironment changes `maxvCpus` in place): its capacity
   * is computed again and the reservations of its running jobs stay counted.
   */
  putComputeEnvironment(ce: LoadedComputeEnvironment): void {
    const old = this.pools.get(ce.computeEnvironmentName);
    const pool = new CapacityPool(ce, this.host);
    // A replaced environment keeps the capacity its running jobs hold (a lower maxvCpus only stops new placements).
    if (old) pool.reserve(old.inUse());
    this.pools.set(ce.computeEnvironmentName, pool);
  }

  /**
   * The weight of a share identifier in a fair-share queue's policy (`weightFactor`, default 1;
   * an entry ending in `*` matches a prefix; exact entries win over prefixes).
   */
  fairShare(queue: LoadedJobQueue): (share: string) => number {
    const arn = queue.schedulingPolicyArn ?? '';
    const policy = this.policies.find((p) => p.arn === arn || p.name === nameOf(arn));
    const dist = policy?.fairsharePolicy?.shareDistribution ?? [];
    return (share) => {
      const exact = dist.find((d) => d.shareIdentifier === share);
      const prefix = dist.find(
        (d) => d.shareIdentifier.endsWith('*') && share.startsWith(d.shareIdentifier.slice(0, -1)),
      );
      return (exact ?? prefix)?.weightFactor ?? 1;
    };
  }

  /** A queue by name or ARN. */
  queue(nameOrArn: string): LoadedJobQueue | undefined {
    return this.queues.get(nameOf(nameOrArn));
  }

  /** A pool by environment name or ARN. */
  pool(nameOrArn: string): CapacityPool | undefined {
    return this.pools.get(nameOf(nameOrArn));
  }

  /** All queues, highest priority first (ties: name). */
  queuesByPriority(): LoadedJobQueue[] {
    return [...this.queues.values()].sort(
      (a, b) => b.priority - a.priority || a.jobQueueName.localeCompare(b.jobQueueName),
    );
  }

  /** All pools. */
  allPools(): CapacityPool[] {
    return [...this.pools.values()];
  }

  /** A queue's environments in ascending `order` (unknown names are skipped). */
  poolsOf(queue: LoadedJobQueue): CapacityPool[] {
    return [...queue.computeEnvironmentOrder]
      .sort((a, b) => a.order - b.order)
      .map((o) => this.pool(o.computeEnvironment))
      .filter((p): p is CapacityPool => p !== undefined);
  }

  /**
   * Why `demand` can never start in `queue` (AWS: `MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE`),
   * one line per environment, or an empty list when some environment could hold it.
   */
  neverFits(queue: LoadedJobQueue, demand: Demand): string[] {
    const pools = this.poolsOf(queue);
    if (pools.length === 0) return [`job queue ${queue.jobQueueName} has no compute environment batchkit knows.`];
    if (pools.some((p) => p.canEverFit(demand))) return [];
    return pools.map((p) => p.whyNot({ ...demand }) ?? `compute environment ${p.name} can never run it.`);
  }
}
