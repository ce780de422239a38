/**
 * The data of a run report or dashboard, as the page receives it (JSON inline in the report, or
 * from `GET /_batchkit/run.json` on `batchkit local serve`). Shared by the Node side that builds it
 * (run-data.ts) and the browser code that draws it (client/): plain data, no Node or DOM types.
 */

/** Status of a job (the Batch API's `JobStatus`). */
export type UiStatus = 'SUBMITTED' | 'PENDING' | 'RUNNABLE' | 'STARTING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';

/** How an attempt ended. */
export type UiOutcome = 'succeeded' | 'failed' | 'timeout' | 'running';

/** One attempt of a job: a bar on the timeline. */
export interface UiAttempt {
  /** Attempt number from 1. */
  readonly n: number;
  /** When the attempt was placed (STARTING), epoch ms. */
  readonly start: number;
  /** When its container ran (RUNNING), epoch ms, when it got that far. */
  readonly running?: number;
  /** When it ended, epoch ms; absent while it runs. */
  readonly end?: number;
  /** How it ended. */
  readonly outcome: UiOutcome;
  /** Container exit code. */
  readonly exitCode?: number;
  /** Container reason and the attempt's status reason, joined. */
  readonly reason?: string;
  /** Compute environment it was placed on. */
  readonly ce?: string;
  /** Log stream name. */
  readonly logStream?: string;
  /** The last lines of its log (at most 20, each at most 500 characters). */
  readonly logTail?: readonly string[];
}

/** A dependency of a job. */
export interface UiDependency {
  /** The job depended on. */
  readonly id: string;
  /** `N_TO_N` or `SEQUENTIAL`; absent for a plain dependency. */
  readonly type?: 'N_TO_N' | 'SEQUENTIAL';
}

/** A job, array child or multi-node node. */
export interface UiJob {
  readonly id: string;
  readonly name: string;
  readonly kind: 'single' | 'array' | 'child' | 'multinode' | 'node';
  readonly queue: string;
  readonly definition: string;
  readonly status: UiStatus;
  readonly reason?: string;
  /** Array or multi-node parent. */
  readonly parent?: string;
  /** Array index (children) or node index (nodes). */
  readonly index?: number;
  readonly createdAt: number;
  readonly stoppedAt?: number;
  readonly attempts: readonly UiAttempt[];
  readonly deps: readonly UiDependency[];
  /** Arrays: counts per status. */
  readonly summary?: Partial<Record<UiStatus, number>>;
  /** Arrays: size; multi-node: nodes. */
  readonly size?: number;
  /** When the job entered RUNNABLE and left it, in pairs [from, to] (to absent while waiting). */
  readonly runnable: ReadonlyArray<readonly [number, number | undefined]>;
  /** Parameters of the request (after defaults). */
  readonly parameters?: Readonly<Record<string, string>>;
  /** The container's command after overrides and `Ref::` substitution. */
  readonly command?: readonly string[];
  /** Environment of the container; values of secret-looking names are masked. */
  readonly environment?: Readonly<Record<string, string>>;
  /** vCPUs / memory (MiB) / GPUs the job reserves when placed. */
  readonly demand: { readonly vcpus: number; readonly memoryMiB: number; readonly gpus: number };
}

/** A group of lanes that stands for the children of a large array: each lane a slot in time. */
export interface UiSlotLanes {
  /** The array parent. */
  readonly parent: string;
  /** Lanes; each item one attempt of one child. */
  readonly lanes: ReadonlyArray<ReadonlyArray<{ readonly child: string; readonly index: number } & UiAttempt>>;
}

/** Use of one compute environment over time. */
export interface UiCapacity {
  readonly ce: string;
  /** What it can hold at once. */
  readonly cap: { readonly vcpus: number; readonly memoryMiB: number; readonly gpus: number };
  /** Where the cap comes from (e.g. `8 vCPUs (maxvCpus)`). */
  readonly capNote: string;
  /** Steps: from `t` on, this much is in use. */
  readonly steps: ReadonlyArray<{
    readonly t: number;
    readonly vcpus: number;
    readonly memoryMiB: number;
    readonly gpus: number;
  }>;
}

/** Everything a page draws. */
export interface RunData {
  /** Title (e.g. the store directory). */
  readonly title: string;
  /** When the data was taken (epoch ms). */
  readonly generatedAt: number;
  /** Earliest and latest time of the run (epoch ms). */
  readonly from: number;
  readonly to: number;
  /** Jobs (aggregated array children are left out: see `slots`). */
  readonly jobs: readonly UiJob[];
  /** Large arrays drawn as slot lanes. */
  readonly slots: readonly UiSlotLanes[];
  /** Children per array parent not in `jobs` (aggregated). */
  readonly aggregated: Readonly<Record<string, number>>;
  /** Compute environment use. */
  readonly capacity: readonly UiCapacity[];
  /** Jobs waiting in RUNNABLE over time (steps). */
  readonly waiting: ReadonlyArray<{ readonly t: number; readonly n: number }>;
  /** Top-level job ids on the critical path, first to last. */
  readonly criticalPath: readonly string[];
}
