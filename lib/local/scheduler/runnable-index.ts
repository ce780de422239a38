/**
 * The RUNNABLE jobs of every queue, indexed by what decides whether they can start, so that a
 * scheduling pass costs what it places and not what waits:
 *
 * - jobs are grouped per queue by their demand (vCPUs, memory, GPUs). Whether a job can ever run
 *   on its queue (its blocked reason, see blocked.ts) depends on the queue, its environments and
 *   the demand only, so it is computed once per group, not once per job;
 * - blocked groups are never walked by a pass; they are re-examined, one reason per group, only
 *   when a queue or compute environment changes ({@link RunnableIndex.refresh});
 * - jobs AWS itself could never place (`blockedBy`, fixed at submission) are held apart for good;
 * - a pass takes waiting jobs in the order they became RUNNABLE, and once the first job of a
 *   group finds no room, skips the rest of that group (capacity does not grow during a pass).
 */
import { blockedReason } from './blocked';
import type { CapacityPool, Topology } from './capacity';
import type { Demand, JobRecord } from './job-record';

/** A job of the index and when it became RUNNABLE (FIFO across groups). */
interface Entry {
  readonly rec: JobRecord;
  readonly order: number;
}

/**
 * RUNNABLE jobs of one queue with one demand; `reason` is their blocked reason, undefined when they can start
 * some day.
 */
interface Group {
  readonly key: string;
  readonly demand: Demand;
  reason: string | undefined;
  readonly jobs: Map<string, Entry>;
}

/** One queue's RUNNABLE jobs. */
interface QueueJobs {
  readonly groups: Map<string, Group>;
  /** Jobs AWS could never place (reason fixed at submission). */
  readonly fixed: Map<string, JobRecord>;
}

/** Where a job sits in the index. */
type Location = { readonly queue: QueueJobs; readonly group?: Group };

function demandKey(d: Demand): string {
  return `${d.vcpus}/${d.memoryMiB}/${d.gpus}`;
}

/** How much work the index did, for tests and benchmarks. */
export interface IndexStats {
  /** Job records looked at by scheduling passes and by re-examinations after a change. */
  readonly examined: number;
  /** Blocked reasons computed (once per queue × demand, not per job). */
  readonly reasonsComputed: number;
}

/** RUNNABLE jobs by queue, blocked or waiting for capacity. */
export class RunnableIndex {
  private readonly queues = new Map<string, QueueJobs>();
  private readonly where = new Map<string, Location>();
  private order = 0;
  private examinedCount = 0;
  private reasonsCount = 0;

  constructor(private readonly topology: Topology) {}

  /** Work done so far. */
  stats(): IndexStats {
    return { examined: this.examinedCount, reasonsComputed: this.reasonsCount };
  }

  /** Number of RUNNABLE jobs held (blocked or not). */
  get size(): number {
    return this.where.size;
  }

  /** Adds a job that became RUNNABLE. Returns its blocked reason, undefined when it can start some day. */
  add(rec: JobRecord): string | undefined {
    this.remove(rec);
    const queue = this.queueJobs(rec.meta.queueName);
    if (rec.meta.blockedBy?.length) {
      queue.fixed.set(rec.detail.jobId, rec);
      this.where.set(rec.detail.jobId, { queue });
      return blockedReason(this.topology, rec);
    }
    const key = demandKey(rec.meta.demand);
    let group = queue.groups.get(key);
    if (!group) {
      group = { key, demand: rec.meta.demand, reason: this.reasonOf(rec), jobs: new Map() };
      queue.groups.set(key, group);
    }
    group.jobs.set(rec.detail.jobId, { rec, order: this.order++ });
    this.where.set(rec.detail.jobId, { queue, group });
    return group.reason;
  }

  /** Removes a job that left RUNNABLE (no-op for a job not held). */
  remove(rec: JobRecord): void {
    const at = this.where.get(rec.detail.jobId);
    if (!at) return;
    this.where.delete(rec.detail.jobId);
    if (!at.group) {
      at.queue.fixed.delete(rec.detail.jobId);
      return;
    }
    at.group.jobs.delete(rec.detail.jobId);
    if (at.group.jobs.size === 0) at.queue.groups.delete(at.group.key);
  }

  /**
   * Places a FIFO queue's waiting jobs: repeatedly the earliest job, among groups not yet found
   * too big for what is free, is offered to the first pool it fits (`place` must take it out of
   * RUNNABLE). Stops when every pool is full. Cost: O(groups × (placed + 1)).
   */
  placeFifo(
    queueName: string,
    pools: readonly CapacityPool[],
    place: (rec: JobRecord, pool: CapacityPool) => void,
  ): void {
    const queue = this.queues.get(queueName);
    if (!queue) return;
    const skipped = new Set<Group>();
    for (;;) {
      if (pools.every((p) => p.full())) return;
      let head: Entry | undefined;
      let headGroup: Group | undefined;
      for (const g of queue.groups.values()) {
        if (g.reason !== undefined || skipped.has(g)) continue;
        const first = g.jobs.values().next();
        if (!first.done && (head === undefined || first.value.order < head.order)) {
          head = first.value;
          headGroup = g;
        }
      }
      if (!head || !headGroup) return;
      this.examinedCount++;
      const pool = pools.find((p) => p.fits(headGroup.demand));
      if (!pool) {
        skipped.add(headGroup);
        continue;
      }
      place(head.rec, pool);
      // Defensive: a job that stayed RUNNABLE is not offered again in this pass.
      if (this.where.get(head.rec.detail.jobId)?.group === headGroup) skipped.add(headGroup);
    }
  }

  /** A queue's jobs that can start some day (for fair-share ordering); counted as examined. */
  waiting(queueName: string): JobRecord[] {
    const out: JobRecord[] = [];
    for (const g of this.queues.get(queueName)?.groups.values() ?? []) {
      if (g.reason === undefined) for (const e of g.jobs.values()) out.push(e.rec);
    }
    this.examinedCount += out.length;
    return out;
  }

  /** Whether a queue has jobs that can start some day. */
  hasWaiting(queueName: string): boolean {
    for (const g of this.queues.get(queueName)?.groups.values() ?? [])
      if (g.reason === undefined && g.jobs.size > 0) return true;
    return false;
  }

  /**
   * A queue or compute environment changed: recomputes the blocked reason of every group (one per
   * queue × demand) and calls `changed` for each job of a group whose reason changed (blocked,
   * unblocked, or blocked for another reason). Jobs of unchanged groups are not looked at.
   */
  refresh(changed: (rec: JobRecord, reason: string | undefined) => void): void {
    for (const queue of this.queues.values()) {
      for (const g of queue.groups.values()) {
        const first = g.jobs.values().next();
        if (first.done) continue;
        const reason = this.reasonOf(first.value.rec);
        if (reason === g.reason) continue;
        g.reason = reason;
        for (const e of g.jobs.values()) {
          this.examinedCount++;
          changed(e.rec, reason);
        }
      }
    }
  }

  private reasonOf(rec: JobRecord): string | undefined {
    this.reasonsCount++;
    return blockedReason(this.topology, rec);
  }

  private queueJobs(name: string): QueueJobs {
    let q = this.queues.get(name);
    if (!q) this.queues.set(name, (q = { groups: new Map(), fixed: new Map() }));
    return q;
  }
}
