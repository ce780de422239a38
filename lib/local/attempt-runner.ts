/**
 * One attempt of one job on a {@link ContainerRuntime}: the container spec (parameters, overrides,
 * `AWS_BATCH_*` variables, secrets, limits, mounts), the per-attempt timeout (SIGTERM, then SIGKILL
 * 30 s later, on the executor's clock), TerminateJob, and the mapping of what happened to the
 * reasons AWS writes.
 */
import { randomUUID } from 'node:crypto';
import type { ContainerDetail, JobDetail } from '../core/model/job';
import { containerResources } from '../core/model/resources';
import { jobPlatformOf } from '../core/rules/placement';
import type { Clock, TimerHandle } from './clock';
import { LogTap } from './log-tap';
import {
  type ContainerExit,
  type ContainerRuntime,
  type ContainerSpec,
  type LogEntry,
  type RunningContainer,
  type RuntimeMount,
  type RuntimeNetwork,
  PrepareError,
} from './runtime/container-runtime';
import { writeSecretVolumes, type SecretVolumeMount } from './secret-volumes';

/** Seconds between SIGTERM and SIGKILL for timeouts and TerminateJob, as on AWS. */
export const STOP_GRACE_MS = 30_000;

/** AWS's reasons, in one place. */
export const REASONS = {
  exited: 'Essential container in task exited',
  failedToStart: 'Task failed to start',
  timeout: 'Job attempt duration exceeded timeout',
  oom: 'OutOfMemoryError: Container killed due to memory usage',
  dependencyFailed: 'Dependent Job failed',
} as const;

/** Where and as what an attempt runs. */
export interface AttemptContext {
  /** Run id for the container labels. */
  readonly runId: string;
  /** The job (single job, array child or node). */
  readonly job: JobDetail;
  /** Its resolved container. */
  readonly container: ContainerDetail;
  /** Attempt number from 1. */
  readonly attempt: number;
  /** Queue name (`AWS_BATCH_JQ_NAME`). */
  readonly queueName: string;
  /** Compute environment name (`AWS_BATCH_CE_NAME`). */
  readonly ceName: string;
  /** Secret values by `valueFrom`. */
  readonly secrets: Readonly<Record<string, string>>;
  /** More `AWS_BATCH_*` variables (array index, multi-node). */
  readonly batchEnv?: Readonly<Record<string, string>>;
  /**
   * Network mode.
   * @default - {@link networkModeFor} the job: `host` for EC2 jobs, `none` for Fargate jobs
   */
  readonly network?: RuntimeNetwork;
  /** Container of a multi-container job (its name). @default - none (a job of one container) */
  readonly member?: string;
  /** Entrypoint (EKS `command`). @default - the image's */
  readonly entrypoint?: readonly string[];
  /** Mounts, instead of those of the container's `mountPoints` (multi-container jobs). @default - from mountPoints */
  readonly mounts?: readonly RuntimeMount[];
  /**
   * EKS `secret` volumes of this container, written when it starts.
   * @default - none
   */
  readonly secretVolumes?: readonly SecretVolumeMount[];
  /** Milliseconds between SIGTERM and SIGKILL. @default STOP_GRACE_MS */
  readonly stopGraceMs?: number;
  /** Per-attempt timeout in ms from RUNNING. @default - none */
  readonly timeoutMs?: number;
  /**
   * Receives the container's output line by line while it runs (and what is left at exit).
   * @default - the output is read once at exit and returned as `logs`
   */
  readonly onLogs?: (lines: readonly LogEntry[]) => void;
  /** Lines of this attempt already recorded (a re-attached attempt): not handed to `onLogs` again. @default 0 */
  readonly skipLines?: number;
  /**
   * Receives the container once it exited instead of having it removed: the caller removes it after
   * the attempt's outcome is stored, so a stop in between leaves the container for the next start
   * to record. @default - the container is removed once it exited
   */
  readonly keep?: (container: RunningContainer) => void;
}

/** What an attempt ended with. */
export interface AttemptResult {
  /** Whether the container reached RUNNING. */
  readonly started: boolean;
  /** Exit code when it ran. */
  readonly exitCode?: number;
  /** `attempts[].container.reason`. */
  readonly containerReason?: string;
  /** `attempts[].statusReason`. */
  readonly statusReason: string;
  /** Stopped by the timeout (never retried). */
  readonly timedOut: boolean;
  /** Stopped by TerminateJob (never retried). */
  readonly terminated: boolean;
  /** stdout/stderr as text, when no `onLogs` received them line by line ('' otherwise). */
  readonly logs: string;
}

/** The `AWS_BATCH_*` variables of an attempt. */
export function batchEnvironment(ctx: AttemptContext): Record<string, string> {
  return {
    AWS_BATCH_JOB_ID: ctx.job.jobId,
    AWS_BATCH_JOB_ATTEMPT: String(ctx.attempt),
    AWS_BATCH_JQ_NAME: ctx.queueName,
    AWS_BATCH_CE_NAME: ctx.ceName,
    ...(ctx.batchEnv ?? {}),
  };
}

/**
 * The network mode AWS gives a job, as close as one machine allows: ECS-EC2 jobs run in `host`
 * mode on AWS ("Networking modes for AWS Batch jobs"), so they share this host's network; Fargate
 * jobs get a network namespace of their own (`awsvpc`), which locally is `none` (no bridge
 * networks are created).
 * @see https://docs.aws.amazon.com/batch/latest/userguide/networking-modes-jobs.html
 */
export function networkModeFor(job: Pick<JobDetail, 'platformCapabilities'>): 'none' | 'host' {
  return jobPlatformOf(job) === 'FARGATE' ? 'none' : 'host';
}

/** A secret the job needs but batchkit was not given. */
export class MissingSecretError extends Error {
  constructor(
    readonly variable: string,
    readonly valueFrom: string,
  ) {
    super(
      `ResourceInitializationError: unable to pull secrets or registry auth: ` +
        `secret ${valueFrom} for variable ${variable} was not given to batchkit; pass it with --secrets`,
    );
    this.name = 'MissingSecretError';
  }
}

const DEVICE_PERMISSIONS: Record<string, string> = { READ: 'r', WRITE: 'w', MKNOD: 'm' };

/** The container spec of an attempt. Throws {@link MissingSecretError}. */
export function containerSpecFor(ctx: AttemptContext): ContainerSpec {
  const c = ctx.container;
  const env: Record<string, string> = {};
  for (const kv of c.environment ?? []) if (kv.name) env[kv.name] = kv.value ?? '';
  for (const s of c.secrets ?? []) {
    if (!Object.prototype.hasOwnProperty.call(ctx.secrets, s.valueFrom))
      throw new MissingSecretError(s.name, s.valueFrom);
    env[s.name] = ctx.secrets[s.valueFrom];
  }
  Object.assign(env, batchEnvironment(ctx));
  const res = containerResources(c);
  const lp = c.linuxParameters;
  const volumes = new Map((c.volumes ?? []).map((v) => [v.name ?? '', v]));
  const mounts: RuntimeMount[] = (c.mountPoints ?? []).flatMap((mp) => {
    if (!mp.containerPath) return [];
    const v = volumes.get(mp.sourceVolume ?? '');
    const hostPath = v?.host?.sourcePath || undefined;
    return [{ hostPath, containerPath: mp.containerPath, readOnly: mp.readOnly ?? false }];
  });
  return {
    runId: ctx.runId,
    jobId: ctx.job.jobId,
    attempt: ctx.attempt,
    image: c.image ?? '',
    command: c.command,
    environment: env,
    vcpus: res.vcpus ?? 1,
    memoryMiB: res.memoryMiB ?? 2048,
    maxSwapMiB: lp?.maxSwap,
    swappiness: lp?.swappiness,
    gpus: res.gpus,
    user: c.user,
    readonlyRootFilesystem: c.readonlyRootFilesystem,
    privileged: c.privileged,
    ulimits: (c.ulimits ?? []).map((u) => ({ name: u.name, soft: u.softLimit, hard: u.hardLimit })),
    devices: (lp?.devices ?? []).map((d) => ({
      hostPath: d.hostPath,
      containerPath: d.containerPath ?? d.hostPath,
      permissions: (d.permissions ?? ['READ', 'WRITE', 'MKNOD']).map((p) => DEVICE_PERMISSIONS[p]).join(''),
    })),
    tmpfs: lp?.tmpfs?.length
      ? Object.fromEntries(
          lp.tmpfs.map((t) => [t.containerPath, [`size=${t.size}m`, ...(t.mountOptions ?? [])].join(',')]),
        )
      : undefined,
    sharedMemoryMiB: lp?.sharedMemorySize,
    init: lp?.initProcessEnabled,
    mounts: ctx.mounts ?? mounts,
    network: ctx.network ?? networkModeFor(ctx.job),
    ...(ctx.member !== undefined ? { member: ctx.member } : {}),
    ...(ctx.entrypoint !== undefined ? { entrypoint: ctx.entrypoint } : {}),
  };
}

/** ECS-like identifiers of an attempt: the task id names the log stream. */
export interface AttemptIds {
  /** 32 hex characters. */
  readonly taskId: string;
  /** `<jobDefinitionName>/default/<taskId>`. */
  readonly logStreamName: string;
  /** `arn:aws:ecs:...:task/<cluster>/<taskId>`. */
  readonly taskArn: string;
  /** `arn:aws:ecs:...:container-instance/<cluster>/<id>`. */
  readonly containerInstanceArn: string;
}

/** New identifiers for an attempt. */
export function attemptIds(
  definitionName: string,
  ceName: string,
  arnPrefix: { partition: string; region: string; account: string },
): AttemptIds {
  const taskId = randomUUID().replace(/-/g, '');
  const cluster = `${ceName}_Batch_local`;
  const ecs = `arn:${arnPrefix.partition}:ecs:${arnPrefix.region}:${arnPrefix.account}`;
  return {
    taskId,
    logStreamName: `${definitionName.slice(0, 200)}/default/${taskId}`,
    taskArn: `${ecs}:task/${cluster}/${taskId}`,
    containerInstanceArn: `${ecs}:container-instance/${cluster}/local`,
  };
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Drives one attempt: prepare → start → (timeout | terminate | exit) → logs → remove. */
export class AttemptRunner {
  private running?: RunningContainer;
  private terminateReason?: string;
  private timedOut = false;
  private timers: TimerHandle[] = [];
  private tap?: LogTap;
  private detached = false;

  constructor(
    private readonly runtime: ContainerRuntime,
    private readonly clock: Clock,
    private readonly ctx: AttemptContext,
  ) {}

  /** Prepares and starts the container, then waits for it; `onRunning` fires once it runs. */
  async run(onRunning: (containerId: string) => void): Promise<AttemptResult> {
    let spec: ContainerSpec;
    try {
      spec = containerSpecFor(this.ctx);
      const secretMounts = writeSecretVolumes(this.ctx.secretVolumes ?? [], this.ctx.secrets);
      if (secretMounts.length > 0) spec = { ...spec, mounts: [...(spec.mounts ?? []), ...secretMounts] };
    } catch (e) {
      return this.notStarted(message(e));
    }
    let running: RunningContainer;
    try {
      const prepared = await this.runtime.prepare(spec);
      // batchkit is stopping: the created container is left for the next start (it removes one never started).
      if (this.detached)
        return { started: false, statusReason: 'batchkit stopped', timedOut: false, terminated: false, logs: '' };
      if (this.terminateReason !== undefined) {
        await prepared.remove().catch(() => undefined);
        return { started: false, statusReason: this.terminateReason, timedOut: false, terminated: true, logs: '' };
      }
      running = await prepared.start();
    } catch (e) {
      if (e instanceof PrepareError) {
        const f = e.failure;
        if (f.kind === 'image-not-found') return this.notStarted(`CannotPullContainerError: ${f.message}`);
        if (f.kind === 'create-failed') return this.notStarted(`CannotCreateContainerError: ${f.message}`);
        return {
          started: false,
          statusReason: `Container engine unavailable: ${f.message}`,
          timedOut: false,
          terminated: false,
          logs: '',
        };
      }
      return {
        started: false,
        statusReason: `Container engine unavailable: ${message(e)}`,
        timedOut: false,
        terminated: false,
        logs: '',
      };
    }
    return this.follow(running, onRunning);
  }

  /** Follows a container that is already running (re-attached after a restart). */
  async follow(running: RunningContainer, onRunning: (containerId: string) => void): Promise<AttemptResult> {
    this.running = running;
    onRunning(running.id);
    const tap = new LogTap(running, this.ctx.skipLines ?? 0, this.ctx.onLogs);
    this.tap = tap;
    if (this.terminateReason !== undefined) this.stop();
    else if (this.ctx.timeoutMs !== undefined) {
      this.timers.push(
        this.clock.setTimer(this.ctx.timeoutMs, () => {
          this.timedOut = true;
          this.stop();
        }),
      );
    }
    let exit: ContainerExit;
    try {
      exit = await running.wait();
    } catch (e) {
      this.clearTimers();
      tap.stop();
      return {
        started: true,
        statusReason: `Container engine unavailable: ${message(e)}`,
        timedOut: false,
        terminated: false,
        logs: '',
      };
    }
    this.clearTimers();
    const logs = this.detached ? '' : await tap.finish();
    // Detached: the container stays, with its exit, for the next start to record.
    if (this.ctx.keep) this.ctx.keep(running);
    else if (!this.detached) await running.remove().catch(() => undefined);
    const base = { started: true, exitCode: exit.exitCode, logs };
    if (this.terminateReason !== undefined)
      return { ...base, statusReason: this.terminateReason, timedOut: false, terminated: true };
    if (this.timedOut) return { ...base, statusReason: REASONS.timeout, timedOut: true, terminated: false };
    if (exit.oomKilled)
      return {
        ...base,
        containerReason: REASONS.oom,
        statusReason: REASONS.exited,
        timedOut: false,
        terminated: false,
      };
    if (exit.error)
      return { ...base, containerReason: exit.error, statusReason: REASONS.exited, timedOut: false, terminated: false };
    return { ...base, statusReason: REASONS.exited, timedOut: false, terminated: false };
  }

  /**
   * batchkit stops without stopping the container: timers are cancelled, the log is no longer
   * followed, no signal is sent and the container is not removed, so the next start re-attaches it.
   */
  detach(): void {
    this.detached = true;
    this.clearTimers();
    this.tap?.stop();
  }

  /** TerminateJob: SIGTERM now (or when the container starts), SIGKILL 30 s later. */
  terminate(reason: string): void {
    if (this.terminateReason !== undefined) return;
    this.terminateReason = reason;
    if (this.running) this.stop();
  }

  /** Stops the container the way ECS does: SIGTERM, then SIGKILL after the grace period. */
  private stop(): void {
    const c = this.running;
    if (!c || this.detached) return;
    c.kill('SIGTERM').catch(() => undefined);
    const grace = this.ctx.stopGraceMs ?? STOP_GRACE_MS;
    this.timers.push(this.clock.setTimer(grace, () => void c.kill('SIGKILL').catch(() => undefined)));
  }

  private clearTimers(): void {
    for (const t of this.timers) t.cancel();
    this.timers = [];
  }

  private notStarted(containerReason: string): AttemptResult {
    return {
      started: false,
      containerReason,
      statusReason: REASONS.failedToStart,
      timedOut: false,
      terminated: false,
      logs: '',
    };
  }
}
