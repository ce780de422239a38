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
 * The timeout and TerminateJob stop every container. Each container's progress is stored as it happens
 * (`meta.groupRun`), and a container is removed only once its end is stored, so a restart resumes the
 * attempt ({@link GroupRun.resume}): running containers are re-attached, those that exited meanwhile
 * give their exit code, the others start when their conditions hold, and the group ends as it would
 * have (see recovery-groups.ts for the states that cannot be resumed).
 */
import type { JobDetail } from '../../core/model/job';
import type { TimerHandle } from '../clock';
import { AttemptRunner, attemptIds, REASONS, type AttemptIds } from '../attempt-runner';
import type { FoundContainer, RunningContainer, RuntimeMount, RuntimeNetwork } from '../runtime/container-runtime';
import type { GroupMember, GroupSpec } from './group-layout';
import {
  finishGroup,
  memberState,
  memberStream,
  NOT_STARTED,
  recordedEnd,
  TASK_STOPPING,
  type MemberEnd,
} from './group-outcome';
import type { GroupMemberState, JobRecord } from './job-record';
import type { Scheduler } from './scheduler';
import { removeSecretVolumes, secretVolumeDir, type SecretVolumeMount } from '../secret-volumes';

export { NOT_STARTED, TASK_STOPPING } from './group-outcome';
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

  /** batchkit stops: containers keep running; the next start resumes the attempt. */
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
    const ids = attemptIds(rec.meta.definitionName, rec.meta.ceName ?? '', o.env);
    this.resetDetail(ids);
    const { taskId, taskArn, containerInstanceArn } = ids;
    rec.meta.groupRun = { taskId, taskArn, containerInstanceArn, members: {} };
    o.store.save(rec);
    if (rec.meta.terminateReason !== undefined) this.stop(rec.meta.terminateReason);
    let network: RuntimeNetwork = this.group.network;
    let failure: string | undefined;
    if (network === 'none' && this.stopReason === undefined) {
      const holder = await this.startHolder(this.attempt());
      if (typeof holder === 'string') failure = holder;
      else network = `container:${holder.id}`;
    }
    await this.drive(ids, network, failure, new Map());
  }

  /**
   * Restart: resumes the attempt with the containers a previous batchkit left (by container name; the
   * namespace holder under {@link NETNS_MEMBER}). Containers whose end is stored are not looked at again;
   * the timeout keeps counting from the attempt's start; a stored TerminateJob stops the rest.
   */
  async resume(found: ReadonlyMap<string, FoundContainer>): Promise<void> {
    const { s, rec } = this;
    const d = rec.detail;
    const run = rec.meta.groupRun;
    const ids: AttemptIds = {
      taskId: run?.taskId ?? '',
      logStreamName: '',
      taskArn: run?.taskArn ?? '',
      containerInstanceArn: run?.containerInstanceArn ?? '',
    };
    if (rec.meta.terminateReason !== undefined) this.stop(rec.meta.terminateReason);
    const t = d.timeout?.attemptDurationSeconds;
    if (d.status === 'RUNNING' && t !== undefined)
      this.armTimeout(t * 1000 - (s.options.clock.now() - (d.startedAt ?? s.options.clock.now())));
    let network: RuntimeNetwork = this.group.network;
    const holder = found.get(NETNS_MEMBER);
    if (holder) {
      this.holder = holder.attach();
      network = `container:${holder.id}`;
    }
    await this.drive(ids, network, undefined, found);
  }

  private attempt(): number {
    return (this.rec.detail.attempts?.length ?? 0) + 1;
  }

  /** Init containers one after another, then the containers; then the attempt's end. */
  private async drive(
    ids: AttemptIds,
    network: RuntimeNetwork,
    holderFailure: string | undefined,
    found: ReadonlyMap<string, FoundContainer>,
  ): Promise<void> {
    let failure = holderFailure;
    for (const m of this.group.members) {
      this.started.set(m.name, deferred());
      this.exited.set(m.name, deferred());
    }
    const stored = this.rec.meta.groupRun?.members ?? {};
    const known = (m: GroupMember): boolean => stored[m.name]?.ended === true || found.has(m.name);
    // A container whose end is stored gives it; one found on the engine is re-attached; the others start.
    const go = (m: GroupMember, wait: boolean): Promise<MemberEnd> => {
      const st = stored[m.name];
      if (st?.ended) return Promise.resolve(this.recorded(m, st));
      const c = found.get(m.name);
      if (c) return this.runMember(m, ids, network, c.attach());
      return wait ? this.launchMember(m, ids, network) : this.runMember(m, ids, network);
    };
    const ends: MemberEnd[] = [];
    if (failure === undefined) {
      for (const m of this.group.members.filter((x) => x.role === 'init')) {
        const end = await go(m, false);
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
    const main = this.group.members.filter((x) => x.role === 'container');
    if (failure === undefined && !this.detached && (this.stopReason === undefined || main.some(known)))
      ends.push(...(await Promise.all(main.map((m) => go(m, true)))));
    this.timer?.cancel();
    await this.cleanUp();
    if (this.detached) return;
    finishGroup(this.s, this.rec, this.group, ends, ids, failure, {
      timedOut: this.timedOut,
      stopReason: this.stopReason,
    });
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
  private async launchMember(m: GroupMember, ids: AttemptIds, network: RuntimeNetwork): Promise<MemberEnd> {
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
    return this.runMember(m, ids, network);
  }

  private neverStarted(m: GroupMember): MemberEnd {
    const end: MemberEnd = { member: m, stopped: this.stopReason !== undefined };
    this.started.get(m.name)?.resolve(false);
    this.exited.get(m.name)?.resolve(end);
    this.mark(m, memberState(end));
    this.note(m, undefined, NOT_STARTED, undefined);
    this.memberEnded(end);
    return end;
  }

  /** A container whose end was stored before a restart: it counts as it ended. */
  private recorded(m: GroupMember, st: GroupMemberState): MemberEnd {
    const end = recordedEnd(m, st);
    this.started.get(m.name)?.resolve(st.started);
    this.exited.get(m.name)?.resolve(end);
    this.memberEnded(end);
    return end;
  }

  /** Runs a container (or follows `attach`, one found at restart) and records its end. */
  private async runMember(
    m: GroupMember,
    ids: AttemptIds,
    network: RuntimeNetwork,
    attach?: RunningContainer,
  ): Promise<MemberEnd> {
    // batchkit is stopping: nothing new starts (the next start deals with what runs).
    if (this.detached) return { member: m, stopped: false };
    const o = this.s.options;
    const d = this.rec.detail;
    const attempt = this.attempt();
    const logStreamName = memberStream(this.rec, m, ids);
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
    let exited: RunningContainer | undefined;
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
      // Lines a previous batchkit stored for this container are not stored again.
      skipLines: log.stored,
      // The container goes only once its end is stored (a stop in between leaves it for the next start).
      keep: (c) => (exited = c),
    });
    this.runners.set(m.name, runner);
    if (this.stopReason !== undefined) runner.terminate(this.stopReason);
    const onRunning = (): void => {
      this.started.get(m.name)?.resolve(true);
      this.mark(m, { started: true });
      this.note(m, undefined, undefined, logStreamName);
      if (m.role === 'container') this.running();
    };
    const result = attach ? await runner.follow(attach, onRunning) : await runner.run(onRunning);
    this.runners.delete(m.name);
    if (this.detached) return { member: m, stopped: false };
    log.close(result.logs);
    const stopped = result.terminated;
    if (!result.started) this.started.get(m.name)?.resolve(false);
    const end: MemberEnd = { member: m, result, stopped };
    this.mark(m, memberState(end));
    this.note(
      m,
      result.exitCode,
      result.containerReason ?? (result.started ? undefined : result.statusReason),
      result.started ? logStreamName : undefined,
    );
    await exited?.remove().catch(() => undefined);
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
    if (t !== undefined) this.armTimeout(t * 1000);
  }

  /** The attempt's timeout, `ms` from now. */
  private armTimeout(ms: number): void {
    if (this.timer) return;
    this.timer = this.s.options.clock.setTimer(Math.max(0, ms), () => {
      this.timedOut = true;
      this.stop(REASONS.timeout);
    });
  }

  /** ECS: an essential container exited (or could not start), so the task stops. */
  private memberEnded(end: MemberEnd): void {
    if (this.group.kind === 'ecs' && end.member.essential && !end.stopped) this.stop(TASK_STOPPING);
  }

  /** Notes a container's progress for a restart (stored with the next save). */
  private mark(m: GroupMember, state: GroupMemberState): void {
    const run = this.rec.meta.groupRun;
    if (run && !this.detached) run.members[m.name] = state;
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
    if (target) {
      if (exitCode !== undefined) target.exitCode = exitCode;
      if (reason !== undefined) target.reason = reason.slice(0, 255);
      if (task && logStreamName !== undefined) (target as { logStreamName?: string }).logStreamName = logStreamName;
    }
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
  private async cleanUp(): Promise<void> {
    if (this.detached) return;
    const o = this.s.options;
    if (this.holder) {
      await this.holder.kill('SIGKILL').catch(() => undefined);
      await this.holder.wait().catch(() => undefined);
      await this.holder.remove().catch(() => undefined);
    }
    const attempt = this.attempt();
    const mounts = this.group.members.flatMap((m) => m.mounts);
    const volumes = new Set(mounts.flatMap((x) => (x.volume !== undefined && !x.secret ? [x.volume] : [])));
    for (const v of volumes)
      await o.runtime.removeVolume?.(scratchVolumeName(this.rec.detail.jobId, attempt, v)).catch(() => undefined);
    const secrets = new Set(mounts.flatMap((x) => (x.secret ? [x.volume ?? ''] : [])));
    removeSecretVolumes([...secrets].map((v) => secretVolumeDir(this.rec.detail.jobId, attempt, v)));
  }
}
