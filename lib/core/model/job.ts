/**
 * Jobs: SubmitJob's request and the job record that DescribeJobs returns and events carry.
 * @see https://docs.aws.amazon.com/batch/latest/APIReference/API_SubmitJob.html
 * @see https://docs.aws.amazon.com/batch/latest/APIReference/API_JobDetail.html
 */
import type { EcsPropertiesOverride, EksPropertiesOverride } from './job-definition-pods';
import type { AttemptEcsTaskDetails, EcsPropertiesDetail, EksAttemptDetail, EksPropertiesDetail } from './job-pods';
import type { KeyValuePair, PlatformCapability, Tags } from './common';
import type {
  ContainerProperties,
  EphemeralStorage,
  JobTimeout,
  NodeProperties,
  ResourceRequirement,
  RetryStrategy,
} from './job-definition';

/** A job's status. */
export type JobStatus = 'SUBMITTED' | 'PENDING' | 'RUNNABLE' | 'STARTING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';
/** All values of {@link JobStatus}, in life-cycle order. */
export const JOB_STATUSES: readonly JobStatus[] = [
  'SUBMITTED',
  'PENDING',
  'RUNNABLE',
  'STARTING',
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
];

/** `dependsOn[].type`. */
export type ArrayJobDependency = 'N_TO_N' | 'SEQUENTIAL';

/** A dependency of a job. */
export interface JobDependency {
  /** The job id depended on. */
  jobId?: string;
  /** For array jobs: N_TO_N or SEQUENTIAL. */
  type?: ArrayJobDependency;
}

/** Array properties of a submission. */
export interface ArrayProperties {
  /** Size, 2–10000. */
  size?: number;
}

/** Overrides of a container at submission. */
export interface ContainerOverrides {
  /** Deprecated: use resourceRequirements. */
  vcpus?: number;
  /** Deprecated: use resourceRequirements. */
  memory?: number;
  /** Command. */
  command?: string[];
  /** Instance type (multi-node). */
  instanceType?: string;
  /** Added or replaced environment variables. */
  environment?: KeyValuePair[];
  /** VCPU, MEMORY, GPU. */
  resourceRequirements?: ResourceRequirement[];
}

/** Overrides of a node range at submission. */
export interface NodePropertyOverride {
  /** Target nodes. */
  targetNodes: string;
  /** Container overrides. */
  containerOverrides?: ContainerOverrides;
  /** Instance types. */
  instanceTypes?: string[];
}

/** Node overrides at submission. */
export interface NodeOverrides {
  /** Number of nodes. */
  numNodes?: number;
  /** Per-range overrides. */
  nodePropertyOverrides?: NodePropertyOverride[];
}

/** SubmitJob's request. */
export interface SubmitJobRequest {
  /** Name: 1–128 letters, digits, hyphens, underscores; first a letter or digit. */
  jobName: string;
  /** Queue name or ARN. */
  jobQueue: string;
  /** Share identifier (fair-share queues). */
  shareIdentifier?: string;
  /** Scheduling priority override (fair-share queues). */
  schedulingPriorityOverride?: number;
  /** Array properties. */
  arrayProperties?: ArrayProperties;
  /** Up to 20 dependencies. */
  dependsOn?: JobDependency[];
  /** Job definition: `name`, `name:revision` or ARN. */
  jobDefinition: string;
  /** Parameters overlaid on the definition's defaults. */
  parameters?: Record<string, string>;
  /** Container overrides. */
  containerOverrides?: ContainerOverrides;
  /** Node overrides. */
  nodeOverrides?: NodeOverrides;
  /** Overrides of an ECS multi-container job's containers, by name. */
  ecsPropertiesOverride?: EcsPropertiesOverride;
  /** Overrides of an EKS job's containers and init containers, by name. */
  eksPropertiesOverride?: EksPropertiesOverride;
  /** Retry strategy override. */
  retryStrategy?: RetryStrategy;
  /** Propagate tags. */
  propagateTags?: boolean;
  /** Timeout override. */
  timeout?: JobTimeout;
  /** Tags. */
  tags?: Tags;
}

/** SubmitJob's response. */
export interface SubmitJobResponse {
  /** `arn:...:job/<jobId>`. */
  jobArn?: string;
  /** Name. */
  jobName: string;
  /** Id. */
  jobId: string;
}

/** Network interface of an attempt or container. */
export interface NetworkInterface {
  /** Attachment id. */
  attachmentId?: string;
  /** IPv6. */
  ipv6Address?: string;
  /** Private IPv4. */
  privateIpv4Address?: string;
}

/** The container of an attempt. */
export interface AttemptContainerDetail {
  /** Container instance ARN. */
  containerInstanceArn?: string;
  /** ECS task ARN. */
  taskArn?: string;
  /** Exit code. */
  exitCode?: number;
  /** Why the container stopped (e.g. `OutOfMemoryError: Container killed due to memory usage`). */
  reason?: string;
  /** CloudWatch log stream. */
  logStreamName?: string;
  /** Network interfaces. */
  networkInterfaces?: NetworkInterface[];
}

/** One attempt of a job. */
export interface AttemptDetail {
  /** Container. */
  container?: AttemptContainerDetail;
  /** When it reached RUNNING (epoch ms). */
  startedAt?: number;
  /** When it stopped (epoch ms). */
  stoppedAt?: number;
  /** Why (e.g. `Essential container in task exited`). */
  statusReason?: string;
  /** ECS task of a multi-container job's attempt. */
  taskProperties?: AttemptEcsTaskDetails[];
}

/** Array job details in DescribeJobs. */
export interface ArrayPropertiesDetail {
  /** Counts per status (parent only). */
  statusSummary?: Partial<Record<JobStatus, number>>;
  /** Size (parent only). */
  size?: number;
  /** Index (child only). */
  index?: number;
}

/** Multi-node details of a node. */
export interface NodeDetails {
  /** Index of the node. */
  nodeIndex?: number;
  /** Whether it is the main node. */
  isMainNode?: boolean;
}

/** The container of a job as DescribeJobs reports it: its properties plus run-time details. */
export interface ContainerDetail extends ContainerProperties {
  /** Container instance ARN. */
  containerInstanceArn?: string;
  /** ECS task ARN. */
  taskArn?: string;
  /** Exit code of the last attempt. */
  exitCode?: number;
  /** Why the container stopped. */
  reason?: string;
  /** CloudWatch log stream. */
  logStreamName?: string;
  /** Network interfaces. */
  networkInterfaces?: NetworkInterface[];
  /** Ephemeral storage. */
  ephemeralStorage?: EphemeralStorage;
}

/** A job as DescribeJobs returns it, and as events carry it in `detail`. */
export interface JobDetail {
  /** ARN. */
  jobArn?: string;
  /** Name. */
  jobName: string;
  /** Id: a UUID; array children `<parent>:<index>`; nodes `<parent>#<index>`. */
  jobId: string;
  /** Queue ARN. */
  jobQueue: string;
  /** Status. */
  status: JobStatus;
  /** Share identifier. */
  shareIdentifier?: string;
  /** Scheduling priority. */
  schedulingPriority?: number;
  /** Attempts so far. */
  attempts?: AttemptDetail[];
  /** Why the job is in its status. */
  statusReason?: string;
  /** Submission time (epoch ms). */
  createdAt?: number;
  /** Retry strategy. */
  retryStrategy?: RetryStrategy;
  /** Reached RUNNING (epoch ms). */
  startedAt?: number;
  /** Reached SUCCEEDED/FAILED (epoch ms). */
  stoppedAt?: number;
  /** Dependencies. */
  dependsOn?: JobDependency[];
  /** Job definition ARN with revision. */
  jobDefinition: string;
  /** Parameters in effect. */
  parameters?: Record<string, string>;
  /** Container (container jobs, array children, nodes). */
  container?: ContainerDetail;
  /** Node details (multi-node nodes). */
  nodeDetails?: NodeDetails;
  /** Node properties (multi-node parent). */
  nodeProperties?: NodeProperties;
  /** Array details. */
  arrayProperties?: ArrayPropertiesDetail;
  /** Timeout. */
  timeout?: JobTimeout;
  /** Tags. */
  tags?: Tags;
  /** Propagate tags. */
  propagateTags?: boolean;
  /** Platform. */
  platformCapabilities?: PlatformCapability[];
  /** Multi-container ECS job: its task's containers, with their exits. */
  ecsProperties?: EcsPropertiesDetail;
  /** EKS job: its pod's containers, with their exits. */
  eksProperties?: EksPropertiesDetail;
  /** EKS job: its attempts. */
  eksAttempts?: EksAttemptDetail[];
  /** Whether the job was cancelled or terminated. */
  isCancelled?: boolean;
  /** Whether the job was terminated. */
  isTerminated?: boolean;
}

/** A line of ListJobs. */
export interface JobSummary {
  /** ARN. */
  jobArn?: string;
  /** Id. */
  jobId: string;
  /** Name. */
  jobName: string;
  /** Submission time. */
  createdAt?: number;
  /** Status. */
  status?: JobStatus;
  /** Reason. */
  statusReason?: string;
  /** Start time. */
  startedAt?: number;
  /** Stop time. */
  stoppedAt?: number;
  /** Container exit code and reason. */
  container?: { exitCode?: number; reason?: string };
  /** Array details. */
  arrayProperties?: { size?: number; index?: number };
  /** Node details. */
  nodeProperties?: { isMainNode?: boolean; numNodes?: number; nodeIndex?: number };
  /** Job definition ARN. */
  jobDefinition?: string;
}
