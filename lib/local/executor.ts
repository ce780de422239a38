/**
 * The local executor's facade: what `batchkit local` and the local Batch HTTP API call. Jobs are stored as `JobDetail`
 * records in the Batch API's shape; the scheduler moves them through one transition table and runs their containers.
 */
import { randomUUID } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import type { DeploymentEnvironment } from '../core/model/batch-model';
import type { ResourceState } from '../core/model/common';
import { BatchkitError } from '../core/errors';
import type { LoadedComputeEnvironment } from '../core/model/compute-environment';
import type { BatchJobEvent } from '../core/model/events';
import type { LoadedJobDefinition } from '../core/model/job-definition';
import type { LoadedJobQueue } from '../core/model/job-queue';
import type { JobDetail, JobSummary, SubmitJobRequest, SubmitJobResponse } from '../core/model/job';
import { SystemClock, type Clock } from './clock';
import type { JobLogStream, LocalExecutorOptions } from './executor-options';
import { jobQueueBlockedEvent, jobStateChangeEvent, renderJob } from './events/job-event';
import { HostAccess, HostMountRuntime } from './host-access';
import { LABELS } from './runtime/container-runtime';
import type { LogEntry } from './runtime/log-demux';
import { LogBook, type JobLogLine } from './scheduler/attempt-logs';
import { Topology } from './scheduler/capacity';
import { listJobs, type ListJobsQuery } from './scheduler/query';
import { taskLogStreams } from './scheduler/group-run';
import { Scheduler } from './scheduler/scheduler';
import { recountArrays } from './scheduler/reconcile';
import type { IndexStats } from './scheduler/runnable-index';
import { findDefinition } from './scheduler/submission';
import { MemoryJobStore, type JobStore } from './store/job-store';
import { recoverJobs, type RecoveryReport } from './store/recovery';
import { SqliteJobStore } from './store/sqlite-store';
import { buildRunData, poolInfos, selectRecords } from './ui/run-data';
import type { RunData } from './ui/run-data-types';

export type { ListJobsQuery } from './scheduler/query';
export type { JobLogLine } from './scheduler/attempt-logs';
export type { JobLogStream, LocalExecutorOptions } from './executor-options';

/** The local executor. */
export class LocalExecutor {
  /** Pings the runtime, opens the store, re-attaches to running containers and reaps leftovers. */
  static async open(options: LocalExecutorOptions): Promise<LocalExecutor> {
    await options.runtime.ping();
    const dir = options.storeDir ?? '.batchkit';
    const store: JobStore = options.store ?? (dir === ':memory:' ? new MemoryJobStore() : new SqliteJobStore(dir));
    const executor = new LocalExecutor(options, store);
    if (options.passive) {
      executor.scheduler.close();
      for (const r of store.loadAll().sort((a, b) => a.meta.seq - b.meta.seq)) executor.scheduler.restore(r);
      recountArrays(executor.scheduler);
      return executor;
    }
    try {
      executor.recovery = await recoverJobs(executor.scheduler, store.loadAll(), options.runtime);
    } catch (e) {
      store.close();
      throw e;
    }
    executor.scheduler.requestPass();
    return executor;
  }

  /** What the start-up recovery did. */
  recovery: RecoveryReport = { reattached: [], finished: [], vanished: [], reaped: [] };
  /** Run id on this executor's containers. */
  readonly runId: string;
  private readonly scheduler: Scheduler;
  private readonly clock: Clock;
  private readonly env: DeploymentEnvironment;
  private readonly topology: Topology;
  private readonly listeners = new Set<(e: BatchJobEvent) => void>();
  private readonly logListeners = new Set<(line: JobLogLine) => void>();
  private readonly logBook: LogBook;
  private sinkChain: Promise<void> = Promise.resolve();
  private readonly hostAccess: HostAccess;
  private readonly warned = new Set<string>();

  private constructor(
    private readonly options: LocalExecutorOptions,
    private readonly store: JobStore,
  ) {
    const model = options.model;
    this.env = { ...model.environment, ...(options.env ?? {}) };
    this.runId = options.runId ?? randomUUID();
    this.hostAccess = new HostAccess(options.hostAccess);
    const clock = (this.clock = options.clock ?? new SystemClock(options.timeScale ?? 1));
    this.topology = new Topology(
      model.jobQueues,
      model.computeEnvironments,
      {
        vcpus: options.maxVcpus ?? cpus().length,
        memoryMiB: options.maxMemoryMiB ?? Math.floor(totalmem() / (1024 * 1024)),
        gpus: options.maxGpus ?? 0,
      },
      model.schedulingPolicies,
    );
    this.logBook = new LogBook(store, (line) => {
      for (const l of this.logListeners) l(line);
    });
    this.scheduler = new Scheduler({
      logs: this.logBook,
      topology: this.topology,
      definitions: model.jobDefinitions,
      runtime: new HostMountRuntime(options.runtime, this.hostAccess),
      clock,
      store,
      runId: this.runId,
      env: this.env,
      secrets: options.secrets ?? {},
      newId: randomUUID,
      onTransition: (record, change) => {
        if (this.hasAudience()) this.emit(jobStateChangeEvent(record, this.env, change.at));
      },
      onBlocked: (record, at) => {
        if (this.hasAudience()) this.emit(jobQueueBlockedEvent(record, this.env, at));
      },
    });
  }

  private closed = false;

  private hasAudience(): boolean {
    return this.listeners.size > 0 || (this.options.eventSinks?.length ?? 0) > 0;
  }

  private emit(event: BatchJobEvent): void {
    if (this.closed) return;
    for (const l of this.listeners) l(event);
    for (const sink of this.options.eventSinks ?? []) {
      this.sinkChain = this.sinkChain
        .then(() => sink.deliver(event))
        .catch((e: unknown) => this.options.onSinkError?.(sink, e));
    }
  }

  /** SubmitJob. Throws a BatchkitError of kind `input` (or `not-found`) saying what is wrong. */
  submitJob(req: SubmitJobRequest): SubmitJobResponse {
    const jd =
      typeof req?.jobDefinition === 'string' ? findDefinition(this.jobDefinitions(), req.jobDefinition) : undefined;
    if (jd) this.checkJobDefinition(jd);
    return this.scheduler.submit(req);
  }

  /**
   * Checks what a job definition's containers reach on this machine (host paths, devices; see
   * {@link LocalExecutorOptions.hostAccess}): throws a BatchkitError `BATCHKIT-LOCAL-601` (input)
   * naming the definition, the volume, the path, the rule and the fix; warns through `onWarning`
   * (once per definition revision, unless `warn` is false) for privileged containers and a
   * mounted Docker socket.
   */
  checkJobDefinition(jd: LoadedJobDefinition, options: { warn?: boolean } = {}): void {
    const warnings = this.hostAccess.check(jd);
    if (options.warn === false) return;
    const key = `${jd.jobDefinitionName}:${jd.revision ?? 1}`;
    if (warnings.length === 0 || this.warned.has(key)) return;
    this.warned.add(key);
    for (const w of warnings) this.options.onWarning?.(`warning: ${w}`);
  }

  /**
   * Work the scheduler has done so far: RUNNABLE job records examined by scheduling passes and
   * after queue or environment changes, and blocked reasons computed (tests and benchmarks check
   * that a pass costs what it places, not what waits).
   */
  schedulerStats(): IndexStats {
    return this.scheduler.passStats();
  }

  /** DescribeJobs: unknown ids are left out, as AWS does. */
  describeJobs(jobIds: string[]): JobDetail[] {
    return jobIds.flatMap((id) => {
      const r = this.scheduler.get(id);
      return r ? [renderJob(r)] : [];
    });
  }

  /** ListJobs (AWS rules: one of jobQueue/arrayJobId/multiNodeJobId; RUNNING by default). */
  listJobs(q: ListJobsQuery): JobSummary[] {
    return listJobs(this.scheduler.all(), q);
  }

  /** CancelJob: fails a job not yet STARTING (a PENDING one once its dependencies complete); later, a no-op. */
  cancelJob(jobId: string, reason: string): void {
    this.scheduler.cancel(jobId, reason);
  }

  /** TerminateJob: fails a job in any non-final state, stopping its container (SIGTERM, SIGKILL 30 s later). */
  terminateJob(jobId: string, reason: string): void {
    this.scheduler.terminate(jobId, reason);
  }

  /**
   * Re-attaches to the container of a STARTING or RUNNING job's current attempt and follows it to
   * its end, recording the outcome (a passive executor's TerminateJob on a job another process
   * runs, or one a killed `batchkit` left running). False when there is no such container.
   */
  async follow(jobId: string): Promise<boolean> {
    const rec = this.scheduler.require(jobId);
    const live = rec.detail.status === 'STARTING' || rec.detail.status === 'RUNNING';
    // A group is followed only by the process that runs it (see stopGroup).
    if (!live || rec.meta.kind === 'mnp-parent' || rec.meta.group) return false;
    const attempt = String((rec.detail.attempts?.length ?? 0) + 1);
    const found = (await this.options.runtime.list()).find(
      (c) => c.labels[LABELS.jobId] === rec.detail.jobId && c.labels[LABELS.attempt] === attempt,
    );
    if (!found) return false;
    this.scheduler.resume(rec, found.attach());
    return true;
  }

  /**
   * SIGTERM to every container of a STARTING or RUNNING multi-container job's current attempt (a
   * passive executor's TerminateJob on a group another process runs: that process sees them stop
   * and records the job FAILED with the stored reason). Returns how many containers were signalled.
   */
  async stopGroup(jobId: string): Promise<number> {
    const rec = this.scheduler.require(jobId);
    if (!rec.meta.group || (rec.detail.status !== 'STARTING' && rec.detail.status !== 'RUNNING')) return 0;
    const attempt = String((rec.detail.attempts?.length ?? 0) + 1);
    const mine = (await this.options.runtime.list()).filter(
      (c) => c.running && c.labels[LABELS.jobId] === rec.detail.jobId && c.labels[LABELS.attempt] === attempt,
    );
    await Promise.all(
      mine.map((c) =>
        c
          .attach()
          .kill('SIGTERM')
          .catch(() => undefined),
      ),
    );
    return mine.length;
  }

  /** Resolves when the job is SUCCEEDED or FAILED. */
  async waitForJob(jobId: string): Promise<JobDetail> {
    await this.scheduler.waitForJob(jobId);
    return renderJob(this.scheduler.require(jobId));
  }

  /** Resolves when no job can make progress any more (and every event reached the sinks). */
  async waitForIdle(): Promise<void> {
    await this.scheduler.waitForIdle();
    await this.sinkChain;
  }

  /** Stored stdout/stderr of an attempt (1-based; default the last finished one); '' when none is stored. */
  logs(jobId: string, attempt?: number): string {
    const rec = this.scheduler.require(jobId);
    const n = attempt ?? rec.detail.attempts?.length ?? 0;
    return n > 0 ? (this.store.loadLogs(rec.detail.jobId, n) ?? '') : '';
  }

  /**
   * Stored log events of an attempt (1-based; default the last finished one), in order, read from
   * the store as they are iterated; a line longer than one event (256 KiB) is several events.
   */
  logEvents(jobId: string, attempt?: number): Iterable<LogEntry> {
    const rec = this.scheduler.require(jobId);
    const n = attempt ?? rec.detail.attempts?.length ?? 0;
    return n > 0 ? this.store.logEntries(rec.detail.jobId, n) : [];
  }

  /** Output so far of the attempt running now, else the stored output of the last attempt. */
  async currentLogs(jobId: string): Promise<string> {
    const rec = this.scheduler.require(jobId);
    this.logBook.flush(rec.detail.jobId);
    const running = this.logBook.running(rec.detail.jobId);
    return running ? (this.store.loadLogs(running.jobId, running.attempt) ?? '') : this.logs(jobId);
  }

  /**
   * Subscribes to the output of every job as it is written: `listener` receives each line of each
   * running attempt (re-attached ones included) when the engine delivers it, before the attempt is
   * recorded as finished. Returns the unsubscribe function.
   */
  onLog(listener: (line: JobLogLine) => void): () => void {
    this.logListeners.add(listener);
    return () => this.logListeners.delete(listener);
  }

  /**
   * Follows one job's output: `listener` first receives the lines already stored for its running
   * attempt (or, when none runs, its last attempt), then every new line of it and of its later
   * attempts, with no line missed or repeated. Returns the unsubscribe function.
   */
  tailLogs(jobId: string, listener: (line: JobLogLine) => void): () => void {
    const rec = this.scheduler.require(jobId);
    const id = rec.detail.jobId;
    this.logBook.flush(id);
    const attempts = rec.detail.attempts ?? [];
    const running = this.logBook.running(id);
    const past =
      running ??
      (attempts.length > 0
        ? {
            jobId: id,
            attempt: attempts.length,
            logStreamName: attempts[attempts.length - 1].container?.logStreamName ?? '',
          }
        : undefined);
    if (past) {
      for (const e of this.store.logEntries(past.jobId, past.attempt))
        listener({ ...past, stream: e.stream, message: e.message, timestamp: e.timestamp });
    }
    return this.onLog((line) => {
      if (line.jobId === id) listener(line);
    });
  }

  /**
   * The log stream of every attempt that started, finished or running (what the CloudWatch Logs
   * API lists). Array and multi-node parents have none; their children and nodes do.
   */
  logStreams(): JobLogStream[] {
    const out: JobLogStream[] = [];
    for (const rec of this.scheduler.all()) {
      const d = rec.detail;
      (d.attempts ?? []).forEach((a, i) => {
        if (a.container?.logStreamName) {
          out.push({
            logStreamName: a.container.logStreamName,
            jobId: d.jobId,
            attempt: i + 1,
            jobDefinition: d.jobDefinition,
            startedAt: a.startedAt ?? d.createdAt ?? 0,
          });
        }
      });
      for (const t of taskLogStreams(d)) {
        out.push({ ...t, jobId: d.jobId, jobDefinition: d.jobDefinition, startedAt: t.startedAt ?? d.createdAt ?? 0 });
      }
      const running = d.container?.logStreamName;
      if ((d.status === 'RUNNING' || d.status === 'STARTING') && running) {
        out.push({
          logStreamName: running,
          jobId: d.jobId,
          attempt: (d.attempts?.length ?? 0) + 1,
          jobDefinition: d.jobDefinition,
          startedAt: d.startedAt ?? d.createdAt ?? 0,
        });
      }
    }
    return out;
  }

  /** The stored lines of a log stream, with the buffered lines of running attempts written first. */
  logStreamLines(logStreamName: string): LogEntry[] {
    this.logBook.flushAll();
    return this.store.loadLogStream(logStreamName);
  }

  /** Why a RUNNABLE job cannot start; empty when it is not RUNNABLE. */
  whyRunnable(jobId: string): string[] {
    const rec = this.scheduler.require(jobId);
    if (rec.detail.status !== 'RUNNABLE') return [];
    const queue = this.topology.queue(rec.meta.queueName);
    if (!queue) return [`job queue ${rec.meta.queueName} is no longer registered.`];
    if (rec.meta.blockedBy?.length)
      return [
        `no compute environment of job queue ${queue.jobQueueName} could ever run this job, on AWS either:`,
        ...rec.meta.blockedBy,
      ];
    const never = this.topology.neverFits(queue, rec.meta.demand);
    if (never.length)
      return [
        `MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE: no compute ` +
          `environment of job queue ${queue.jobQueueName} can ever run this job.`,
        ...never,
      ];
    const reasons = this.topology.poolsOf(queue).flatMap((p) => p.whyNot(rec.meta.demand) ?? []);
    return reasons.length
      ? reasons
      : ['waiting for the next scheduling pass (jobs ahead of it in the queue take the free capacity first).'];
  }

  /**
   * Subscribes to the executor's events: "Batch Job State Change" on every status change after
   * submission and "Batch Job Queue Blocked" when a RUNNABLE job blocks its queue (tell them apart
   * by `detail-type`, e.g. with `isJobStateChangeEvent`). Returns the unsubscribe function.
   */
  onEvent(listener: (e: BatchJobEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * What the run report and dashboard draw: every job with its attempts and waits, capacity in use
   * per compute environment, the critical path (see `ui/run-data.ts`). `jobIds` keeps those jobs and
   * their children; `since` (epoch ms) keeps jobs created from then on; `tails` picks the jobs whose
   * log tails are included (default: all); arrays above `aggregateAbove` children (default 50) are slot lanes.
   */
  runData(options: {
    title: string;
    jobIds?: readonly string[];
    since?: number;
    tails?: (jobId: string) => boolean;
    aggregateAbove?: number;
  }): RunData {
    const records = selectRecords([...this.scheduler.all()], options);
    return buildRunData({
      records,
      pools: poolInfos(this.topology),
      title: options.title,
      now: this.clock.now(),
      aggregateAbove: options.aggregateAbove,
      logs: (jobId, attempt) =>
        options.tails && !options.tails(jobId) ? undefined : this.store.logEntries(jobId, attempt),
    });
  }

  /** Registered job definitions. */
  jobDefinitions(): LoadedJobDefinition[] {
    return this.options.model.jobDefinitions;
  }

  /** Registered job queues. */
  jobQueues(): LoadedJobQueue[] {
    return this.options.model.jobQueues;
  }

  /** Registered compute environments. */
  computeEnvironments(): LoadedComputeEnvironment[] {
    return this.options.model.computeEnvironments;
  }

  /** Registers a job queue created at run time (local Batch API CreateJobQueue), or replaces one of the same name. */
  putJobQueue(queue: LoadedJobQueue): void {
    this.topology.putQueue(queue);
    this.scheduler.resourcesChanged();
  }

  /** Registers a compute environment created at run time (local Batch API CreateComputeEnvironment). */
  putComputeEnvironment(ce: LoadedComputeEnvironment): void {
    this.topology.putComputeEnvironment(ce);
    this.scheduler.resourcesChanged();
  }

  /**
   * UpdateJobQueue: state (a DISABLED queue takes no new jobs; queued ones still run) and priority.
   * Throws a not-found BatchkitError for an unknown queue.
   */
  updateJobQueue(jobQueue: string, update: { state?: ResourceState; priority?: number }): LoadedJobQueue {
    const q = this.topology.queue(jobQueue);
    if (!q)
      throw new BatchkitError('BATCHKIT-LOCAL-202', 'not-found', `Job queue "${jobQueue}" does not exist.`, {
        fix:
          `use one of: ` +
          `${
            this.jobQueues()
              .map((x) => x.jobQueueName)
              .join(', ') || '(none)'
          }.`,
      });
    if (update.state !== undefined) q.state = update.state;
    if (update.priority !== undefined) q.priority = update.priority;
    this.scheduler.resourcesChanged();
    return q;
  }

  /**
   * UpdateComputeEnvironment: state (a DISABLED environment starts nothing new; running jobs finish).
   * Throws a not-found BatchkitError for an unknown environment.
   */
  updateComputeEnvironment(computeEnvironment: string, update: { state?: ResourceState }): LoadedComputeEnvironment {
    const pool = this.topology.pool(computeEnvironment);
    if (!pool)
      throw new BatchkitError(
        'BATCHKIT-LOCAL-205',
        'not-found',
        `Compute environment "${computeEnvironment}" does not exist.`,
        {
          fix:
            `use one of: ` +
            `${
              this.computeEnvironments()
                .map((x) => x.computeEnvironmentName)
                .join(', ') || '(none)'
            }.`,
        },
      );
    if (update.state !== undefined) pool.ce.state = update.state;
    this.scheduler.resourcesChanged();
    return pool.ce;
  }

  /**
   * Detaches: stops scheduling, flushes and closes sinks and the store. Running containers keep
   * running (nothing is signalled, removed or recorded after this) and the next open re-attaches them
   * or records their exit.
   */
  async close(): Promise<void> {
    this.scheduler.detach();
    this.closed = true;
    await this.sinkChain;
    for (const sink of this.options.eventSinks ?? []) await sink.close?.();
    this.logBook.flushAll();
    this.store.close();
  }
}
