/** What the executor keeps per job: the `JobDetail` AWS would return, plus scheduling facts. */
import type { ContainerDetail, JobDetail, JobStatus } from '../../core/model/job';
import type { GroupSpec } from './group-layout';

/** What a job is. */
export type JobKind = 'single' | 'array-parent' | 'array-child' | 'mnp-parent' | 'mnp-node';

/** vCPUs, memory (MiB) and GPUs one job reserves while STARTING or RUNNING. */
export interface Demand {
  /** vCPUs. */
  readonly vcpus: number;
  /** Memory in MiB. */
  readonly memoryMiB: number;
  /** GPUs. */
  readonly gpus: number;
}

/** Scheduling facts that are not part of the Batch API shape. */
export interface JobMeta {
  /** Kind. */
  readonly kind: JobKind;
  /** Queue name. */
  readonly queueName: string;
  /** Job definition name (for log stream names). */
  readonly definitionName: string;
  /** Submission order, for FIFO within a queue. */
  readonly seq: number;
  /** Job ids that must SUCCEED before this one can run. */
  readonly waitingOn: string[];
  /** Array parent or multi-node parent id. */
  readonly parentId?: string;
  /** Array index of a child. */
  readonly arrayIndex?: number;
  /** Array size (parents) or node count (multi-node parents). */
  readonly size?: number;
  /** Node index of a multi-node node. */
  readonly nodeIndex?: number;
  /** What the job reserves when placed (multi-node parents: all nodes together). */
  readonly demand: Demand;
  /** Compute environment the current attempt was placed on. */
  ceName?: string;
  /**
   * Why AWS could never place this job on its queue (`MISCONFIGURATION:...` reasons from the shared
   * placement rules): such a job stays RUNNABLE locally too.
   */
  readonly blockedBy?: readonly string[];
  /** The blocked reason last reported with a "Batch Job Queue Blocked" event (see blocked.ts). */
  blockedReported?: string;
  /** A CancelJob request waiting for the dependencies to complete. */
  cancelReason?: string;
  /** A TerminateJob request for the running attempt. */
  terminateReason?: string;
  /** Run id of the executor that started the current attempt's container. */
  runId?: string;
  /** Array parents: the dependencies each child inherits. */
  readonly arrayDependencies?: {
    readonly whole: readonly string[];
    readonly nToN: readonly string[];
    readonly sequential: boolean;
  };
  /**
   * Multi-node nodes: the node's container stopped in the current attempt of the job and its
   * attempt is recorded (the node stays RUNNING until the main node ends).
   */
  runEnded?: boolean;
  /** Multi-node nodes: the node's container. */
  readonly nodeContainer?: ContainerDetail;
  /** Multi-container jobs (ECS task, EKS pod): the containers the job runs as one group. */
  readonly group?: GroupSpec;
  /**
   * Multi-container jobs: the current attempt's identifiers and how far each container got, stored as
   * it happens, so a restart resumes the attempt where it was (see group-run.ts).
   */
  groupRun?: GroupRunState;
  /** Multi-node parents: each node's container after node overrides, by index. */
  readonly nodeContainers?: readonly ContainerDetail[];
  /**
   * Every status change after submission, in order (for the run report and dashboard): the status,
   * when (epoch ms), and for STARTING the compute environment the attempt was placed on.
   */
  history?: StatusStamp[];
}

/** How far one container of a group got in the current attempt. */
export interface GroupMemberState {
  /** It reached RUNNING. */
  readonly started: boolean;
  /** It ended (or will never start) and this is recorded: the rest of the fields are its end. */
  readonly ended?: boolean;
  /** Exit code. */
  readonly exitCode?: number;
  /** `containers[].reason`. */
  readonly containerReason?: string;
  /** The attempt's status reason as its run gave it. */
  readonly statusReason?: string;
  /** Stopped by the executor (task stopping, timeout, TerminateJob). */
  readonly stopped?: boolean;
}

/** The current attempt of a multi-container job, as a restart needs it. */
export interface GroupRunState {
  /** Task id (names the log streams). */
  readonly taskId: string;
  /** Task ARN. */
  readonly taskArn: string;
  /** Container instance ARN. */
  readonly containerInstanceArn: string;
  /** Each container's progress, by name. */
  readonly members: Record<string, GroupMemberState>;
}

/** One status change of a job, as kept in {@link JobMeta.history}. */
export interface StatusStamp {
  /** The status entered. */
  readonly status: JobStatus;
  /** When (epoch ms, the executor's clock). */
  readonly at: number;
  /** STARTING only: the compute environment the attempt was placed on. */
  readonly ce?: string;
}

/** One job. */
export interface JobRecord {
  /** The job in DescribeJobs' shape. */
  readonly detail: JobDetail;
  /** Scheduling facts. */
  readonly meta: JobMeta;
}
