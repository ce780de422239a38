/**
 * One attempt of a multi-container job (an ECS task or an EKS pod) as a group of containers that
 * share one network namespace: the host's (ECS on EC2, EKS `hostNetwork`), or, for a group of its
 * own (Fargate, `hostNetwork: false`), the namespace of a small holder container started first from
 * the group's first image (Docker `NetworkMode: container:<id>`, the role of Kubernetes' pause
 * container). Scratch volumes are named Docker volumes of the attempt, removed after it.
 *
 * - EKS: init containers run one after another, each must exit 0; then the containers run together
 *   and the pod ends when all of them exited. The job succeeds when every container exited 0; its
 *   exit code is the first non-zero one.
 * - ECS: a container starts once its `dependsOn` conditions hold (START, COMPLETE, SUCCESS); when an
 *   essential container exits, the others are stopped (SIGTERM, SIGKILL after their `stopTimeout`,
 *   30 s by default). The job's exit code is the first non-zero exit code of an essential container
 *   that exited by itself, else 0.
 *
 * The timeout and TerminateJob stop every container. A restart does not re-attach a group: its
 * containers are stopped and the attempt fails (see recovery.ts), so no partial group runs on.
 */
import type { JobDetail } from '../../core/model/job';
import type { TimerHandle } from '../clock';
import { AttemptRunner, attemptIds, REASONS, type AttemptIds, type AttemptResult } from '../attempt-runner';
import type { RunningContainer, RuntimeMount, RuntimeNetwork } from '../runtime/container-runtime';
import { withTerminate } from './control';
import type { GroupMember, GroupSpec } from './group-layout';
import type { JobRecord } from './job-record';
import { attemptVerdict } from './run-attempt';
import type { Scheduler } from './scheduler';
import { removeSecretVolumes, secretVolumeDir, type SecretVolumeMount } from '../secret-volumes';

/** Reason of containers stopped because an essential container of the task exited. */
export const TASK_STOPPING = 'Essential container in task exited';
/** Reason of a container that never started because the task stopped first or a dependency failed. */
export const NOT_STARTED = 'The container did not start: the task stopped or a dependsOn condition can no longer hold';
/** Label value of the container that holds a group's network namespace. */
export const NETNS_MEMBER = '.netns';

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(v: T): void;
}

function deferred<T>(): Deferred<T> {
  let resolve: (v: T) => void = () => undefined;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** How one container of the group ended (undefined result: it never started). */
interface MemberEnd {
  readonly member: GroupMember;
  readonly result?: AttemptResult;
  /** Stopped by the executor (task stopping, timeout, TerminateJob). */
  readonly stopped: boolean;
}

/** The log streams of a multi-container ECS job's containers: of each attempt, then of the running one. */
export function taskLogStreams(
  d: JobDetail,
): Array<{ readonly logStreamName: string; readonly attempt: number; readonly startedAt?: number }> {
  const out: Array<{ logStreamName: string; attempt: number; startedAt?: number }> = [];
  (d.attempts ?? []).forEach((a, i) => {
    for (const c of a.taskProperties?.[0]?.containers ?? []) {
      if (c.logStreamName) out.push({ logStreamName: c.logStreamName, attempt: i + 1, startedAt: a.startedAt });
    }
  });
  if (d.status === 'RUNNING' || d.status === 'STARTING') {
    for (const c of d.ecsProperties?.taskProperties[0]?.containers ?? []) {
      if (c.logStreamName)
        out.push({ logStreamName: c.logStreamName, attempt: (d.attempts?.length ?? 0) + 1, startedAt: d.startedAt });
    }
  }
  return out;
}

/** The name of an attempt's scratch volume. */
export function scratchVolumeName(jobId: string, attempt: number, volume: string): string {
  return `batchkit-${jobId}-a${attempt}-${volume}`.replace(/[^a-zA-Z0-9_.-]/g, '_');
}

/** Status reason of a pod whose container failed. */
function podFailure(bad: MemberEnd): string {
  const r = bad.result;
  if (!r?.started) return `Pod failed: container ${bad.member.name} did not start`;
  return `Pod failed: container ${bad.member.name} exited with code ${r.exitCode}`;
}

/** Drives one attempt of a multi-container job. */
export class GroupRun {
  private readonly runners = new Map<string, AttemptRunner>();
  private readonly started = new Map<string, Deferred<boolean>>();
  private readonly exited = new Map<string, Deferred<MemberEnd>>();
  private readonly stopSignal = deferred<void>();
  private stopReason?: string;
  private timedOut = false;
  private detached = false;
  private timer?: TimerHandle;
  private holder?: RunningContainer;

  constructor(
    private readonly s: Scheduler,
    private readonly rec: JobRecord,
    private readonly group: GroupSpec,
  ) {}

  /** TerminateJob: stops every container (and those not started yet never start). */
  terminate(reason: string): void {
    this.stop(reason);
  }

  /** batchkit stops: containers keep running; the next start stops them and fails the attempt. */
  detach(): void {
    this.detached = true;
    this.timer?.cancel();
    for (const r of this.runners.values()) r.detach();
    this.stopSignal.resolve();
  }

  /** Runs the attempt to its end and moves the job on. */
  async start(): Promise<void> {
    const { s, rec } = this;
    const o = s.options;
    const d = rec.detail;
    const attempt = (d.attempts?.length ?? 0) + 1;
    const ids = attemptIds(rec.meta.definitionName, rec.meta.ceName ?? '', o.env);
    this.resetDetail(ids);
    o.store.save(rec);
    if (rec.meta.terminateReason !== undefined) this.stop(rec.meta.terminateReason);
    for (const m of this.group.members) {
      this.started.set(m.name, deferred());
      this.exited.set(m.name, deferred());
    }
    let network: RuntimeNetwork = this.group.network;
    let failure: string | undefined;
    if (network === 'none' && this.stopReason === undefined) {
      const holder = await this.startHolder(attempt);
      if (typeof holder === 'string') failure = holder;
      else network = `container:${holder.id}`;
    }
    const ends: MemberEnd[] = [];
    if (failure === undefined) {
      for (const m of this.group.members.filter((x) => x.role === 'init')) {
        const end = await this.runMember(m, attempt, ids, network);
        ends.push(end);
        // Terminated: the stop, not the init container, is the reason.
        if (this.stopReason !== undefined || this.detached) break;
        if (!end.result?.started) {
          const why = end.result?.containerReason ?? end.result?.statusReason ?? NOT_STARTED;
          failure = `Init container ${m.name} failed to start: ${why}`;
        } else if (end.result.exitCode !== 0) {
          failure = `Init container ${m.name} exited with code ${end.result.exitCode}`;
        }
        if (failure !== undefined) break;
      }
    }
    if (failure === undefined && this.stopReason === undefined) {
      const main = this.group.members.filter((x) => x.role === 'container');
      ends.push(...(await Promise.all(main.map((m) => this.launchMember(m, attempt, ids, network)))));
    }
    this.timer?.cancel();
    await this.cleanUp(attempt);
    if (this.detached) return;
    this.finish(ends, ids, failure);
  }

  /** Every container of the task stops; those waiting to start never start. */
  private stop(reason: string): void {
    if (this.stopReason !== undefined) return;
    this.stopReason = reason;
    this.stopSignal.resolve();
    for (const r of this.runners.values()) r.terminate(reason);
  }

  private resetDetail(ids: AttemptIds): void {
    const d = this.rec.detail;
    const task = d.ecsProperties?.taskProperties[0];
    if (task) {
      task.taskArn = ids.taskArn;
      task.containerInstanceArn = ids.containerInstanceArn;
      for (const c of task.containers) {
        delete c.exitCode;
        delete c.reason;
        delete c.logStreamName;
      }
    }
    const pod = d.eksProperties?.podProperties;
    if (pod) {
      pod.podName = `aws-batch.${ids.taskId}`;
      pod.nodeName = 'batchkit-local';
      for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
        delete c.exitCode;
        delete c.reason;
      }
    }
  }

  /** Starts the container that holds the group's network namespace; a reason when it could not. */
  private async startHolder(attempt: number): Promise<RunningContainer | string> {
    const o = this.s.options;
    const first = this.group.members[0];
    try {
      const prepared = await o.runtime.prepare({
        runId: o.runId,
        jobId: this.rec.detail.jobId,
        attempt,
        member: NETNS_MEMBER,
        image: first.container.image ?? '',
        entrypoint: ['sh', '-c', 'trap "exit 0" TERM INT; while :; do sleep 3600 & wait $!; done'],
        environment: {},
        vcpus: 0.05,
        memoryMiB: 16,
        network: 'none',
      });
      this.holder = await prepared.start();
      return this.holder;
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      return (
        'CannotStartContainerError: the network namespace of the group could not be created from image ' +
        `${first.container.image} (it needs /bin/sh): ${why}`
      );
    }
  }

  /**
   * Waits for a container's `dependsOn` conditions, then runs it; a container whose conditions cannot
   * hold never starts.
   */
  private async launchMember(
    m: GroupMember,
    attempt: number,
    ids: AttemptIds,
    network: RuntimeNetwork,
  ): Promise<MemberEnd> {
    for (const dep of m.dependsOn) {
      const wait: Promise<boolean> =
        dep.condition === 'START'
          ? (this.started.get(dep.containerName)?.promise ?? Promise.resolve(false))
          : (this.exited.get(dep.containerName)?.promise ?? Promise.resolve<MemberEnd | undefined>(undefined)).then(
              (end) => end?.result?.started === true && (dep.condition === 'COMPLETE' || end.result.exitCode === 0),
            );
      const ok = await Promise.race([wait, this.stopSignal.promise.then(() => false)]);
      if (!ok || this.stopReason !== undefined) return this.neverStarted(m);
    }
    if (this.stopReason !== undefined) return this.neverStarted(m);
    return this.runMember(m, attempt, ids, network);
  }

  private neverStarted(m: GroupMember): MemberEnd {
    const end: MemberEnd = { member: m, stopped: this.stopReason !== undefined };
    this.started.get(m.name)?.resolve(false);
    this.exited.get(m.name)?.resolve(end);
    this.note(m, undefined, NOT_STARTED, undefined);
    this.memberEnded(end);
    return end;
  }

  /** The log stream of a container: `<jobDefinitionName>/<container>/<taskId>`. */
  private streamOf(m: GroupMember, ids: AttemptIds): string {
    return `${this.rec.meta.definitionName.slice(0, 200)}/${m.name}/${ids.taskId}`;
  }

  private async runMember(
    m: GroupMember,
    attempt: number,
    ids: AttemptIds,
    network: RuntimeNetwork,
  ): Promise<MemberEnd> {
    // batchkit is stopping: nothing new starts (the next start deals with what runs).
    if (this.detached) return this.neverStarted(m);
    const o = this.s.options;
    const d = this.rec.detail;
    const logStreamName = this.streamOf(m, ids);
    // The first (non-init) container's lines are the job's own (`batchkit local logs <job>`);
    // the others' are kept under `<job>/<container>`.
    const logKey = m === this.group.members.find((x) => x.role === 'container') ? d.jobId : `${d.jobId}/${m.name}`;
    const log = o.logs.begin({ jobId: logKey, attempt, logStreamName });
    const secretVolumes: SecretVolumeMount[] = m.mounts.flatMap((x) =>
      x.secret
        ? [
            {
              ...x.secret,
              containerPath: x.containerPath,
              hostDir: secretVolumeDir(d.jobId, attempt, x.volume ?? ''),
            },
          ]
        : [],
    );
    const mounts: RuntimeMount[] = m.mounts
      .filter((x) => !x.secret)
      .map((x) =>
        x.hostPath !== undefined
          ? { hostPath: x.hostPath, containerPath: x.containerPath, readOnly: x.readOnly }
          : {
              volumeName: scratchVolumeName(d.jobId, attempt, x.volume ?? ''),
              containerPath: x.containerPath,
              readOnly: x.readOnly,
            },
      );
    const runner = new AttemptRunner(o.runtime, o.clock, {
      runId: o.runId,
      job: d,
      container: m.container,
      attempt,
      queueName: this.rec.meta.queueName,
      ceName: this.rec.meta.ceName ?? '',
      secrets: o.secrets,
      batchEnv:
        this.rec.meta.arrayIndex !== undefined ? { AWS_BATCH_JOB_ARRAY_INDEX: String(this.rec.meta.arrayIndex) } : {},
      network,
      member: m.name,
      ...(m.entrypoint ? { entrypoint: m.entrypoint } : {}),
      mounts,
      ...(secretVolumes.length > 0 ? { secretVolumes } : {}),
      stopGraceMs: m.stopTimeout !== undefined ? m.stopTimeout * 1000 : undefined,
      onLogs: (lines) => log.push(lines),
    });
    this.runners.set(m.name, runner);
    if (this.stopReason !== undefined) runner.terminate(this.stopReason);
    const result = await runner.run(() => {
      this.started.get(m.name)?.resolve(true);
      this.note(m, undefined, undefined, logStreamName);
      if (m.role === 'container') this.running();
    });
    this.runners.delete(m.name);
    log.close(result.logs);
    const stopped = result.terminated;
    if (!result.started) this.started.get(m.name)?.resolve(false);
    this.note(
      m,
      result.exitCode,
      result.containerReason ?? (result.started ? undefined : result.statusReason),
      result.started ? logStreamName : undefined,
    );
    const end: MemberEnd = { member: m, result, stopped };
    this.exited.get(m.name)?.resolve(end);
    this.memberEnded(end);
    return end;
  }

  /** The first container runs: the job is RUNNING and its timeout starts. */
  private running(): void {
    const d = this.rec.detail;
    if (d.status !== 'STARTING') return;
    this.s.move(this.rec, 'RUNNING', undefined);
    const t = d.timeout?.attemptDurationSeconds;
    if (t !== undefined && !this.timer) {
      this.timer = this.s.options.clock.setTimer(t * 1000, () => {
        this.timedOut = true;
        this.stop(REASONS.timeout);
      });
    }
  }

  /** ECS: an essential container exited (or could not start), so the task stops. */
  private memberEnded(end: MemberEnd): void {
    if (this.group.kind === 'ecs' && end.member.essential && !end.stopped) this.stop(TASK_STOPPING);
  }

  /** Writes a container's exit on the job's ecsProperties / eksProperties and stores the job. */
  private note(
    m: GroupMember,
    exitCode: number | undefined,
    reason: string | undefined,
    logStreamName: string | undefined,
  ): void {
    const d = this.rec.detail;
    const task = d.ecsProperties?.taskProperties[0];
    const pod = d.eksProperties?.podProperties;
    const list = task ? task.containers : m.role === 'init' ? pod?.initContainers : pod?.containers;
    const target = list?.find((c, i) => (c.name ?? (task ? `container-${i}` : 'Default')) === m.name);
    if (!target) return;
    if (exitCode !== undefined) target.exitCode = exitCode;
    if (reason !== undefined) target.reason = reason.slice(0, 255);
    if (task && logStreamName !== undefined) (target as { logStreamName?: string }).logStreamName = logStreamName;
    if (this.detached) return;
    this.adoptTerminate();
    this.s.options.store.save(this.rec);
  }

  /**
   * A TerminateJob another process recorded in the store (`batchkit local terminate`) is kept (not
   * overwritten by this save) and stops the rest of the group.
   */
  private adoptTerminate(): void {
    const rec = this.rec;
    if (rec.meta.terminateReason !== undefined) return;
    const stored = this.s.options.store.load(rec.detail.jobId)?.meta.terminateReason;
    if (stored === undefined) return;
    rec.meta.terminateReason = stored;
    rec.detail.isTerminated = true;
    this.stop(stored);
  }

  /** Stops the namespace holder and removes the attempt's scratch volumes. */
  private async cleanUp(attempt: number): Promise<void> {
    if (this.detached) return;
    const o = this.s.options;
    if (this.holder) {
      await this.holder.kill('SIGKILL').catch(() => undefined);
      await this.holder.wait().catch(() => undefined);
      await this.holder.remove().catch(() => undefined);
    }
    const mounts = this.group.members.flatMap((m) => m.mounts);
    const volumes = new Set(mounts.flatMap((x) => (x.volume !== undefined && !x.secret ? [x.volume] : [])));
    for (const v of volumes)
      await o.runtime.removeVolume?.(scratchVolumeName(this.rec.detail.jobId, attempt, v)).catch(() => undefined);
    const secrets = new Set(mounts.flatMap((x) => (x.secret ? [x.volume ?? ''] : [])));
    removeSecretVolumes([...secrets].map((v) => secretVolumeDir(this.rec.detail.jobId, attempt, v)));
  }

  /** The attempt's result from its containers' ends, recorded on the job; then the verdict. */
  private finish(ends: readonly MemberEnd[], ids: AttemptIds, failure: string | undefined): void {
    const { s, rec } = this;
    const d = rec.detail;
    const now = s.options.clock.now();
    const ran = ends.filter((e) => e.result?.started && e.member.role === 'container');
    const counted = ends.filter(
      (e) => e.member.role === 'container' && (this.group.kind === 'eks' || e.member.essential),
    );
    const bad = counted.find((e) => !e.stopped && (!e.result?.started || e.result.exitCode !== 0));
    const base = {
      timedOut: this.timedOut,
      terminated: !this.timedOut && this.stopReason !== undefined && this.stopReason !== TASK_STOPPING,
      logs: '',
    };
    let result: AttemptResult;
    if (failure !== undefined) {
      const init = ends.find((e) => e.member.role === 'init' && e.result?.started && e.result.exitCode !== 0);
      result = {
        ...base,
        started: false,
        exitCode: init?.result?.exitCode,
        containerReason: failure,
        statusReason: failure,
      };
    } else if (ran.length === 0) {
      const reason = bad?.result?.containerReason ?? bad?.result?.statusReason;
      result = {
        ...base,
        started: false,
        containerReason: reason,
        statusReason: base.terminated ? (this.stopReason ?? REASONS.failedToStart) : REASONS.failedToStart,
      };
    } else if (base.timedOut || base.terminated) {
      result = { ...base, started: true, statusReason: this.stopReason ?? REASONS.timeout };
    } else {
      const exitCode = bad ? bad.result?.exitCode : 0;
      const statusReason = this.group.kind === 'ecs' || !bad ? REASONS.exited : podFailure(bad);
      const containerReason =
        bad && !bad.result?.started ? (bad.result?.containerReason ?? NOT_STARTED) : bad?.result?.containerReason;
      result = { ...base, started: true, exitCode, containerReason, statusReason };
    }
    result = withTerminate(s.options.store, rec, result);
    const startedAt = result.started ? d.startedAt : undefined;
    const attemptContainers = ends.map((e) => ({
      name: e.member.name,
      ...(e.result?.exitCode !== undefined ? { exitCode: e.result.exitCode } : {}),
      ...(e.result?.containerReason !== undefined
        ? { reason: e.result.containerReason }
        : e.result
          ? {}
          : { reason: NOT_STARTED }),
    }));
    const entry = {
      ...(startedAt !== undefined ? { startedAt } : {}),
      stoppedAt: now,
      statusReason: result.statusReason,
    };
    if (this.group.kind === 'ecs') {
      const containers = attemptContainers.map((c) => ({
        ...c,
        ...(this.wasStarted(ends, c.name) ? { logStreamName: this.streamOf(this.memberNamed(c.name), ids) } : {}),
        networkInterfaces: [],
      }));
      (d.attempts ??= []).push({
        ...entry,
        taskProperties: [{ containerInstanceArn: ids.containerInstanceArn, taskArn: ids.taskArn, containers }],
      });
    } else {
      const pick = (role: 'init' | 'container') => attemptContainers.filter((_, i) => ends[i].member.role === role);
      (d.attempts ??= []).push({ ...entry });
      const pod = d.eksProperties?.podProperties;
      (d.eksAttempts ??= []).push({
        ...entry,
        containers: pick('container'),
        initContainers: pick('init'),
        podName: pod?.podName,
        nodeName: pod?.nodeName,
      });
    }
    const next = attemptVerdict(d, result);
    s.move(rec, next.status, next.reason);
  }

  private wasStarted(ends: readonly MemberEnd[], name: string): boolean {
    return ends.some((e) => e.member.name === name && e.result?.started === true);
  }

  private memberNamed(name: string): GroupMember {
    return this.group.members.find((m) => m.name === name) ?? this.group.members[0];
  }
}
