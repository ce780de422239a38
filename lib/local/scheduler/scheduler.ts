/**
 * The scheduler: owns every job record, moves jobs with {@link transition} only, and runs a
 * scheduling pass whenever something changes (a submission, a job finishing, capacity freeing, a
 * queue or environment changing state). There are no polling loops: the only timers are attempt
 * timeouts and the SIGTERM→SIGKILL grace period.
 */
import type { JobDetail, JobStatus, SubmitJobRequest, SubmitJobResponse } from '../../core/model/job';
import { BatchkitError } from '../../core/errors';
import { REASONS, type AttemptResult, type AttemptRunner } from '../attempt-runner';
import type { FoundContainer, RunningContainer } from '../runtime/container-runtime';
import { countChild, parentOutcome, spawnChildren } from './arrays';
import type { CapacityPool } from './capacity';
import type { JobRecord } from './job-record';
import { MultiNodeRun } from './multi-node';
import type { GroupSpec } from './group-layout';
import { GroupRun } from './group-run';
import { buildSubmission } from './submission';
import { fairShareOrder, vcpusInUseByShare } from './fair-share';
import { attemptVerdict, runAttempt, type AttemptOptions } from './run-attempt';
import { cancelJob, failedElsewhere, terminateJob } from './control';
import { armTimeLimit } from './time-limit';
import { isFinal, transition } from './states';
import { applyBlockedReason, reportBlocked } from './blocked';
import { RunnableIndex, type IndexStats } from './runnable-index';
import type { SchedulerOptions } from './scheduler-options';

export { MAX_RESOURCE } from './blocked';
export type { SchedulerOptions } from './scheduler-options';

/** Reason of an array parent whose children did not all succeed. */
export const ARRAY_CHILD_FAILED = 'Array Child Job failed';

/** Error code of an unknown job id. */
export const JOB_NOT_FOUND = 'BATCHKIT-LOCAL-301';

/** The scheduler. */
export class Scheduler {
  private readonly jobs = new Map<string, JobRecord>();
  private readonly dependents = new Map<string, Set<string>>();
  private readonly runnable: RunnableIndex;
  /** STARTING and RUNNING jobs (fair share counts their vCPUs). */
  private readonly active = new Map<string, JobRecord>();
  private readonly submitted = new Map<string, JobRecord>();
  private readonly runners = new Map<string, AttemptRunner>();
  private readonly multiNode = new Map<string, MultiNodeRun>();
  private readonly groups = new Map<string, GroupRun>();
  private readonly finalWaiters = new Map<string, Array<(d: JobDetail) => void>>();
  private idleWaiters: Array<() => void> = [];
  private passQueued = false;
  private inFlight = 0;
  private seq = 0;
  private closed = false;
  private detached = false;

  constructor(private readonly o: SchedulerOptions) {
    this.runnable = new RunnableIndex(o.topology);
  }

  // ---------------------------------------------------------------- queries

  /** A job by id or ARN. */
  get(jobId: string): JobRecord | undefined {
    return this.jobs.get(jobId) ?? this.jobs.get(jobId.replace(/^arn:[^:]+:batch:[^:]*:[^:]*:job\//, ''));
  }

  /** A job or a not-found error. */
  require(jobId: string): JobRecord {
    const r = this.get(jobId);
    if (!r)
      throw new BatchkitError(JOB_NOT_FOUND, 'not-found', `Job "${jobId}" does not exist in this executor's store.`, {
        fix: 'check the id with `batchkit local list`.',
      });
    return r;
  }

  /** Work done by scheduling passes so far (jobs examined, blocked reasons computed). */
  passStats(): IndexStats {
    return this.runnable.stats();
  }

  /** Every job. */
  all(): IterableIterator<JobRecord> {
    return this.jobs.values();
  }

  // ---------------------------------------------------------------- submission

  /** SubmitJob. */
  submit(req: SubmitJobRequest): SubmitJobResponse {
    const { record } = buildSubmission(
      {
        topology: this.o.topology,
        definitions: this.o.definitions,
        env: this.o.env,
        job: (id) => this.get(id),
        newId: this.o.newId,
        nextSeq: () => this.seq++,
        now: this.o.clock.now(),
      },
      req,
    );
    // Durable first: a request the store could not record is answered with the error and leaves nothing behind.
    this.o.store.save(record);
    this.add(record);
    this.submitted.set(record.detail.jobId, record);
    this.requestPass();
    return { jobArn: record.detail.jobArn, jobName: record.detail.jobName, jobId: record.detail.jobId };
  }

  /** Adds records loaded from the store (restart) or spawned. */
  add(record: JobRecord): void {
    this.jobs.set(record.detail.jobId, record);
    this.seq = Math.max(this.seq, record.meta.seq + 1);
    for (const dep of record.meta.waitingOn) {
      let s = this.dependents.get(dep);
      if (!s) this.dependents.set(dep, (s = new Set()));
      s.add(record.detail.jobId);
    }
  }

  /** Re-indexes a record loaded from the store (restart): SUBMITTED ones are re-evaluated, RUNNABLE ones queued. */
  restore(record: JobRecord): void {
    this.add(record);
    if (record.detail.status === 'SUBMITTED') this.submitted.set(record.detail.jobId, record);
    if (record.detail.status === 'RUNNABLE' && record.meta.kind !== 'mnp-node') this.queueRunnable(record);
    if (record.detail.status === 'STARTING' || record.detail.status === 'RUNNING')
      this.active.set(record.detail.jobId, record);
    if (!this.closed) this.reportBlocked(record); // a closed (passive) scheduler writes nothing on its own
  }

  /** Re-examines a PENDING job (restart): an array parent whose children all ended, or a job whose dependencies did. */
  recheck(rec: JobRecord): void {
    if (rec.detail.status !== 'PENDING' || this.closed) return;
    if (rec.meta.kind === 'array-parent') this.maybeFinishParent(rec);
    else if (rec.meta.kind !== 'mnp-node') this.checkDependencies(rec);
  }

  // ---------------------------------------------------------------- transitions

  /** The one place the scheduler changes a status: transition + indexes + array summary + events + store. */
  move(rec: JobRecord, to: JobStatus, reason: string | undefined): void {
    const from = rec.detail.status;
    const change = transition(rec.detail, to, reason, this.o.clock.now());
    (rec.meta.history ??= []).push(
      to === 'STARTING' && rec.meta.ceName
        ? { status: to, at: change.at, ce: rec.meta.ceName }
        : { status: to, at: change.at },
    );
    if (from === 'RUNNABLE') this.runnable.remove(rec);
    if (to === 'STARTING' || to === 'RUNNING') this.active.set(rec.detail.jobId, rec);
    else this.active.delete(rec.detail.jobId);
    if (from === 'SUBMITTED') this.submitted.delete(rec.detail.jobId);
    if (to === 'RUNNABLE' && rec.meta.kind !== 'mnp-node') this.queueRunnable(rec);
    const parent = rec.meta.kind === 'array-child' && rec.meta.parentId ? this.jobs.get(rec.meta.parentId) : undefined;
    if (parent) countChild(parent.detail, from, to);
    // A child's move and its parent's counts are written in one transaction.
    if (parent) this.o.store.saveMany([rec, parent]);
    else this.o.store.save(rec);
    this.o.onTransition(rec, change);
    if (to === 'RUNNABLE') this.reportBlocked(rec);
    if (isFinal(to)) this.onFinal(rec);
    if (parent && isFinal(to)) this.maybeFinishParent(parent);
  }

  private queueRunnable(rec: JobRecord): void {
    const queue = this.o.topology.queue(rec.meta.queueName);
    const reason = this.runnable.add(rec);
    applyBlockedReason(rec, reason);
    if (reason) {
      armTimeLimit(this.o.clock, rec, queue?.jobStateTimeLimitActions ?? [], (reason) => {
        if (this.closed) return;
        rec.detail.isCancelled = true;
        this.move(rec, 'FAILED', reason);
      });
    }
    this.requestPass();
  }

  /** Sends "Batch Job Queue Blocked" for a job newly blocked or blocked for a new reason. */
  private reportBlocked(rec: JobRecord): void {
    if (reportBlocked(rec, (r) => this.o.onBlocked(r, this.o.clock.now()))) this.o.store.save(rec);
  }

  /**
   * A queue or environment changed (state, priority, capacity): blocked reasons are re-evaluated
   * once per queue × demand, and only the jobs whose reason changed are updated; schedule again.
   */
  resourcesChanged(): void {
    this.runnable.refresh((rec, reason) => {
      applyBlockedReason(rec, reason);
      this.reportBlocked(rec);
    });
    this.requestPass();
  }

  private onFinal(rec: JobRecord): void {
    const waiters = this.finalWaiters.get(rec.detail.jobId);
    this.finalWaiters.delete(rec.detail.jobId);
    for (const w of waiters ?? []) w(rec.detail);
    if (rec.meta.kind === 'mnp-parent') {
      for (let i = 0; i < (rec.meta.size ?? 0); i++) {
        const node = this.jobs.get(`${rec.detail.jobId}#${i}`);
        if (node && !isFinal(node.detail.status)) this.move(node, 'FAILED', rec.detail.statusReason);
      }
    }
    for (const id of this.dependents.get(rec.detail.jobId) ?? []) {
      const d = this.jobs.get(id);
      if (d && d.detail.status === 'PENDING') this.checkDependencies(d);
    }
  }

  private maybeFinishParent(parent: JobRecord): void {
    if (parent.detail.status !== 'PENDING') return;
    const outcome = parentOutcome(parent.detail);
    if (outcome === 'SUCCEEDED') this.move(parent, 'SUCCEEDED', undefined);
    else if (outcome === 'FAILED') this.move(parent, 'FAILED', parent.meta.cancelReason ?? ARRAY_CHILD_FAILED);
  }

  /** PENDING job: fail on a failed dependency, go RUNNABLE when all succeeded, else keep waiting. */
  private checkDependencies(rec: JobRecord): void {
    const states = rec.meta.waitingOn.map((id) => this.jobs.get(id)?.detail.status);
    if (states.some((s) => s === 'FAILED' || s === undefined)) {
      this.move(rec, 'FAILED', REASONS.dependencyFailed);
    } else if (states.every((s) => s === 'SUCCEEDED')) {
      if (rec.meta.cancelReason !== undefined) this.move(rec, 'FAILED', rec.meta.cancelReason);
      else this.move(rec, 'RUNNABLE', undefined);
    }
  }

  /** SUBMITTED → PENDING or RUNNABLE (array parents: PENDING and spawn the children). */
  private evaluate(rec: JobRecord): void {
    if (rec.meta.kind === 'array-parent') {
      const children = spawnChildren(rec, this.o.clock.now(), () => this.seq++);
      // Children first: a stop before the parent's PENDING is stored evaluates it again, spawning the same children.
      this.o.store.saveMany(children);
      for (const c of children) {
        this.add(c);
        countChild(rec.detail, undefined, 'PENDING');
      }
      this.move(rec, 'PENDING', undefined);
      for (const c of children) if (c.detail.status === 'PENDING') this.checkDependencies(c);
      return;
    }
    if (rec.meta.waitingOn.length === 0) {
      this.move(rec, 'RUNNABLE', undefined);
      return;
    }
    this.move(rec, 'PENDING', undefined);
    this.checkDependencies(rec);
  }

  // ---------------------------------------------------------------- scheduling pass

  /** Asks for a scheduling pass (coalesced: one pass per turn of the event loop). */
  requestPass(): void {
    if (this.passQueued || this.closed) return;
    this.passQueued = true;
    queueMicrotask(() => this.pass());
  }

  private pass(): void {
    this.passQueued = false;
    if (this.closed) return;
    for (const rec of [...this.submitted.values()]) if (rec.detail.status === 'SUBMITTED') this.evaluate(rec);
    for (const queue of this.o.topology.queuesByPriority()) {
      if (!this.runnable.hasWaiting(queue.jobQueueName)) continue;
      const pools = this.o.topology.poolsOf(queue).filter((p) => p.state === 'ENABLED');
      if (pools.length === 0 || pools.every((p) => p.full())) continue;
      if (!queue.schedulingPolicyArn) {
        // blocked jobs are never walked
        this.runnable.placeFifo(queue.jobQueueName, pools, (rec, pool) => this.place(rec, pool));
        continue;
      }
      const order = fairShareOrder(
        this.runnable.waiting(queue.jobQueueName),
        this.o.topology.fairShare(queue),
        vcpusInUseByShare(this.active.values(), queue.jobQueueName),
      );
      for (const rec of order) {
        if (pools.every((p) => p.full())) break;
        const pool = pools.find((p) => p.fits(rec.meta.demand));
        if (pool) this.place(rec, pool);
      }
    }
    this.checkIdle();
  }

  private place(rec: JobRecord, pool: CapacityPool): void {
    const elsewhere = failedElsewhere(this.o.store, rec); // cancelled through the store by another process
    if (elsewhere !== undefined) return this.move(rec, 'FAILED', elsewhere);
    pool.reserve(rec.meta.demand);
    rec.meta.ceName = pool.name;
    rec.meta.runId = this.o.runId;
    this.move(rec, 'STARTING', undefined);
    if (rec.meta.kind === 'mnp-parent') this.driveMultiNode(rec, (run) => run.start());
    else if (rec.meta.group) this.driveGroup(rec, rec.meta.group, (run) => run.start());
    else this.launch(rec, {});
  }

  /** Runs one attempt of a multi-container job (group-run.ts; started now or resumed), then frees its capacity. */
  private driveGroup(rec: JobRecord, group: GroupSpec, go: (run: GroupRun) => Promise<void>): void {
    const run = new GroupRun(this, rec, group);
    this.groups.set(rec.detail.jobId, run);
    this.inFlight++;
    void go(run)
      .catch((e: unknown) => this.internalFailure(rec, e))
      .finally(() => {
        this.groups.delete(rec.detail.jobId);
        this.inFlight--;
        this.release(rec);
      });
  }

  /** Runs one attempt of a multi-node job (started now or re-attached) and frees its capacity after. */
  private driveMultiNode(rec: JobRecord, go: (run: MultiNodeRun) => Promise<void>): void {
    const run = new MultiNodeRun(this, rec);
    this.multiNode.set(rec.detail.jobId, run);
    this.inFlight++;
    void go(run)
      .catch((e: unknown) => this.internalFailure(rec, e))
      .finally(() => {
        this.multiNode.delete(rec.detail.jobId);
        this.inFlight--;
        this.release(rec);
      });
  }

  /** Gives a job's capacity back and asks for a pass. */
  release(rec: JobRecord): void {
    if (rec.meta.ceName) this.o.topology.pool(rec.meta.ceName)?.release(rec.meta.demand);
    this.requestPass();
    this.checkIdle();
  }

  // ---------------------------------------------------------------- attempts

  /** Context the multi-node orchestration needs. */
  get options(): SchedulerOptions {
    return this.o;
  }

  /** Starts an attempt of a single job or array child (STARTING), and finishes it when the container stops. */
  launch(rec: JobRecord, batchEnv: Record<string, string>, attach?: RunningContainer): void {
    this.inFlight++;
    let exited: RunningContainer | undefined;
    void this.runAttempt(rec, batchEnv, attach, { keep: (c) => (exited = c) })
      .then(async (outcome) => {
        // Stopping: the container and its exit are left for the next start to record.
        if (this.detached) return;
        this.finishAttempt(rec, outcome);
        // The container goes only once its outcome is stored.
        await exited?.remove().catch(() => undefined);
      })
      .catch((e: unknown) => this.internalFailure(rec, e))
      .finally(() => {
        this.inFlight--;
        this.release(rec);
      });
  }

  /** A bug surfaced while driving a job: fail it with the error rather than leave it hanging. */
  private internalFailure(rec: JobRecord, e: unknown): void {
    if (isFinal(rec.detail.status)) return;
    const reason = `Internal error in batchkit: ${e instanceof Error ? e.message : String(e)}`;
    for (const r of [
      rec,
      ...(rec.meta.kind === 'mnp-parent'
        ? Array.from({ length: rec.meta.size ?? 0 }, (_, i) => this.jobs.get(`${rec.detail.jobId}#${i}`))
        : []),
    ]) {
      if (r && !isFinal(r.detail.status) && r.detail.status !== 'SUBMITTED') this.move(r, 'FAILED', reason);
    }
  }

  /**
   * Runs one attempt and records it on the job (attempts[], container fields, logs). Moves the job
   * to RUNNING when the container runs. `attach` follows a container found at restart instead.
   */
  runAttempt(
    rec: JobRecord,
    batchEnv: Record<string, string>,
    attach: RunningContainer | undefined,
    options: AttemptOptions = {},
  ): Promise<AttemptResult> {
    return runAttempt(
      {
        o: this.o,
        runners: this.runners,
        running: (r) => (r.detail.status === 'STARTING' ? this.move(r, 'RUNNING', undefined) : this.o.store.save(r)),
      },
      rec,
      batchEnv,
      attach,
      options,
    );
  }

  /** Decides SUCCEEDED, a retry (RUNNABLE) or FAILED after an attempt. */
  finishAttempt(rec: JobRecord, r: AttemptResult): void {
    const next = attemptVerdict(rec.detail, r);
    this.move(rec, next.status, next.reason);
  }

  // ---------------------------------------------------------------- cancel / terminate

  /** CancelJob (see control.ts). */
  cancel(jobId: string, reason: string): void {
    cancelJob(this, jobId, reason);
  }

  /** TerminateJob (see control.ts). */
  terminate(jobId: string, reason: string): void {
    terminateJob(this, jobId, reason);
  }

  /** Stops a job's running attempt (a multi-node job: its main node, the others follow). */
  stopRun(jobId: string, reason: string): void {
    const mnp = this.multiNode.get(jobId);
    if (mnp) mnp.terminate(reason);
    else if (this.groups.has(jobId)) this.groups.get(jobId)?.terminate(reason);
    else this.runners.get(jobId)?.terminate(reason);
  }

  /** Stops the running attempt of a job without changing its status (multi-node nodes). */
  stopAttempt(jobId: string, reason: string): void {
    this.runners.get(jobId)?.terminate(reason);
  }

  // ---------------------------------------------------------------- waiting

  /** Resolves when the job is final. */
  waitForJob(jobId: string): Promise<JobDetail> {
    const rec = this.require(jobId);
    if (isFinal(rec.detail.status)) return Promise.resolve(rec.detail);
    return new Promise((resolve) => {
      const list = this.finalWaiters.get(rec.detail.jobId) ?? [];
      list.push(resolve);
      this.finalWaiters.set(rec.detail.jobId, list);
    });
  }

  /** Resolves when nothing can make progress: no container runs, no pass is due, nothing is unevaluated. */
  waitForIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.checkIdle();
    });
  }

  /** Whether nothing can make progress now. */
  isIdle(): boolean {
    return !this.passQueued && this.inFlight === 0 && this.submitted.size === 0;
  }

  private checkIdle(): void {
    if (this.idleWaiters.length === 0 || !this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  /** Terminates nothing; stops scheduling (running containers keep running). */
  close(): void {
    this.closed = true;
  }

  /**
   * batchkit stops (a signal, `LocalExecutor.close`): nothing more is scheduled, recorded, signalled
   * or removed; running containers keep running with their labels, as after a SIGKILL, and the next
   * start on the store re-attaches them (or records their exit).
   */
  detach(): void {
    this.closed = true;
    this.detached = true;
    for (const r of this.runners.values()) r.detach();
    for (const g of this.groups.values()) g.detach();
  }

  /** Restart: follows the container of a STARTING/RUNNING job found on the engine. */
  resume(rec: JobRecord, container: RunningContainer): void {
    if (rec.meta.ceName) this.o.topology.pool(rec.meta.ceName)?.reserve(rec.meta.demand);
    this.launch(rec, {}, container);
  }

  /** Restart: resumes a STARTING/RUNNING multi-container job with its containers found on the engine (by name). */
  resumeGroup(rec: JobRecord, group: GroupSpec, containers: ReadonlyMap<string, FoundContainer>): void {
    if (rec.meta.ceName) this.o.topology.pool(rec.meta.ceName)?.reserve(rec.meta.demand);
    this.driveGroup(rec, group, (run) => run.resume(containers));
  }

  /**
   * Restart: drives a STARTING/RUNNING multi-node job again with its nodes' containers found on the engine (by
   * node index).
   */
  resumeMultiNode(rec: JobRecord, containers: ReadonlyMap<number, FoundContainer>): void {
    if (rec.meta.ceName) this.o.topology.pool(rec.meta.ceName)?.reserve(rec.meta.demand);
    this.driveMultiNode(rec, (run) => run.resume(containers));
  }
}
