/**
 * The executor's view of a container engine. The Docker implementation lives beside this file;
 * the scheduler's unit tests use an in-process fake. Phases as types: prepared → running → exited.
 */
import type { LogEntry } from './log-demux';

export type { LogEntry } from './log-demux';

/** A bind mount or named volume. */
export interface RuntimeMount {
  /** Host path (bind) or undefined for an anonymous volume. */
  readonly hostPath?: string;
  /** Path in the container. */
  readonly containerPath: string;
  /** Read-only. */
  readonly readOnly?: boolean;
  /**
   * A named volume (the shared scratch volumes of a multi-container job's attempt), created by the
   * engine on first use and removed with {@link ContainerRuntime.removeVolume}. @default - none
   */
  readonly volumeName?: string;
}

/** Network mode: none, the host's, or the namespace of another container (`container:<id>`). */
export type RuntimeNetwork = 'none' | 'host' | `container:${string}`;

/** Everything needed to start one container of one attempt. */
export interface ContainerSpec {
  /** Run id of the executor that owns it (label `batchkit.run-id`). */
  readonly runId: string;
  /** Job id (label `batchkit.job-id`): `uuid`, `uuid:3` or `uuid#0`. */
  readonly jobId: string;
  /** Attempt number from 1 (label `batchkit.attempt`). */
  readonly attempt: number;
  /** Image reference (a local image). */
  readonly image: string;
  /** Command (already substituted). Empty: the image's default. */
  readonly command?: readonly string[];
  /** Environment variables. */
  readonly environment: Readonly<Record<string, string>>;
  /** vCPUs (may be fractional): CPU quota and shares. */
  readonly vcpus: number;
  /** Memory hard limit in MiB. */
  readonly memoryMiB: number;
  /** Swap in MiB on top of the memory limit (`linuxParameters.maxSwap`). @default - no swap */
  readonly maxSwapMiB?: number;
  /** Swappiness 0–100 (`linuxParameters.swappiness`). @default - the engine's default */
  readonly swappiness?: number;
  /** GPUs to request. @default 0 */
  readonly gpus?: number;
  /** User (`name`, `uid`, `uid:gid`). */
  readonly user?: string;
  /** Read-only root file system. */
  readonly readonlyRootFilesystem?: boolean;
  /** Privileged. */
  readonly privileged?: boolean;
  /** ulimits. */
  readonly ulimits?: ReadonlyArray<{ readonly name: string; readonly soft: number; readonly hard: number }>;
  /** Host devices. */
  readonly devices?: ReadonlyArray<{
    readonly hostPath: string;
    readonly containerPath?: string;
    readonly permissions?: string;
  }>;
  /** tmpfs mounts: container path → options. */
  readonly tmpfs?: Readonly<Record<string, string>>;
  /** /dev/shm in MiB. */
  readonly sharedMemoryMiB?: number;
  /** Run an init process. */
  readonly init?: boolean;
  /** Mounts. */
  readonly mounts?: readonly RuntimeMount[];
  /**
   * `none` (default), `host` (EC2 jobs, multi-node jobs) or `container:<id>` (the containers of a
   * multi-container job share one network namespace).
   */
  readonly network?: RuntimeNetwork;
  /** Container of a multi-container job (label `batchkit.container`, part of the name). @default - none */
  readonly member?: string;
  /** Entrypoint (EKS `command`). @default - the image's */
  readonly entrypoint?: readonly string[];
  /** Extra labels. */
  readonly labels?: Readonly<Record<string, string>>;
}

/** How a container ended. */
export interface ContainerExit {
  /** Exit code (137 for SIGKILL). */
  readonly exitCode: number;
  /** True when the kernel OOM-killed it. */
  readonly oomKilled: boolean;
  /** Engine's error text when the container could not run at all. */
  readonly error?: string;
}

/** A container created but not started. */
export interface PreparedContainer {
  /** Engine id. */
  readonly id: string;
  /** Starts it. */
  start(): Promise<RunningContainer>;
  /** Removes it without starting. */
  remove(): Promise<void>;
}

/** A started container. */
export interface RunningContainer {
  /** Engine id. */
  readonly id: string;
  /** Resolves when it exits (also when it was killed). */
  wait(): Promise<ContainerExit>;
  /** Sends a signal (`SIGTERM`, `SIGKILL`). */
  kill(signal: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /**
   * Its stdout and stderr so far, as `<timestamp> <stream> <line>` text lines.
   * @param tail only the last `tail` lines @default - every line
   */
  logs(tail?: number): Promise<string>;
  /** Removes it (after it exited). */
  remove(): Promise<void>;
  /**
   * Follows its stdout and stderr from the first line while it runs: `onLines` receives complete
   * lines, in the engine's order, as they arrive (and the last line without a newline at the end).
   * @default - not supported: the executor reads `logs()` once the container exited
   */
  followLogs?(onLines: (lines: readonly LogEntry[]) => void): LogFollow;
}

/** A followed log stream of one container. */
export interface LogFollow {
  /**
   * Resolves once the engine closed the stream (the container stopped) and every line was
   * delivered; rejects when the stream broke (the engine went away).
   */
  readonly done: Promise<void>;
  /** Stops following (the container keeps running); `done` resolves. */
  stop(): void;
}

/** A container found at start-up that a previous run left (re-attach or reap). */
export interface FoundContainer {
  /** Engine id. */
  readonly id: string;
  /** Labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** Whether it is still running. */
  readonly running: boolean;
  /** False for a container created but never started. @default true */
  readonly started?: boolean;
  /** Re-attach to it. */
  attach(): RunningContainer;
}

/** Why preparing a container failed, mapped to AWS's status reasons by the executor. */
export type PrepareFailure =
  /** The image is not on the engine and could not be built: `CannotPullContainerError: ...`. */
  | { readonly kind: 'image-not-found'; readonly message: string }
  /** The engine refused the container: `CannotCreateContainerError: ...`. */
  | { readonly kind: 'create-failed'; readonly message: string }
  /** The engine is unreachable. */
  | { readonly kind: 'engine-unavailable'; readonly message: string };

/** A container engine. */
export interface ContainerRuntime {
  /** Checks the engine answers; throws a BatchkitError of kind `environment` when it does not. */
  ping(): Promise<void>;
  /** Creates a container. Rejects with an Error whose `failure` property is a {@link PrepareFailure}. */
  prepare(spec: ContainerSpec): Promise<PreparedContainer>;
  /** Containers carrying batchkit labels (all runs, or one run). */
  list(runId?: string): Promise<FoundContainer[]>;
  /** Removes a named volume (see {@link RuntimeMount.volumeName}). @default - the runtime keeps no volumes */
  removeVolume?(name: string): Promise<void>;
}

/** Error thrown by {@link ContainerRuntime.prepare}. */
export class PrepareError extends Error {
  /** What failed. */
  public readonly failure: PrepareFailure;
  constructor(failure: PrepareFailure) {
    super(failure.message);
    this.name = 'PrepareError';
    this.failure = failure;
  }
}

/** Label keys every batchkit container carries. */
export const LABELS = {
  runId: 'batchkit.run-id',
  jobId: 'batchkit.job-id',
  attempt: 'batchkit.attempt',
  managed: 'batchkit.managed',
  member: 'batchkit.container',
} as const;
