/**
 * Job definitions in the shape of the AWS Batch API (`RegisterJobDefinition`, `DescribeJobDefinitions`).
 * @see https://docs.aws.amazon.com/batch/latest/APIReference/API_JobDefinition.html
 */
import type { EcsProperties, EksProperties } from './job-definition-pods';
import type { KeyValuePair, PlatformCapability, SourceLocation, Tags } from './common';

/** `type` of a job definition. */
export type JobDefinitionType = 'container' | 'multinode';
/** All values of {@link JobDefinitionType}. */
export const JOB_DEFINITION_TYPES: readonly JobDefinitionType[] = ['container', 'multinode'];

/** `status` of a registered job definition revision. */
export type JobDefinitionStatus = 'ACTIVE' | 'INACTIVE';

/** `resourceRequirements[].type`. */
export type ResourceType = 'GPU' | 'VCPU' | 'MEMORY';
/** All values of {@link ResourceType}. */
export const RESOURCE_TYPES: readonly ResourceType[] = ['GPU', 'VCPU', 'MEMORY'];

/** A resource a container reserves: `VCPU` (may be fractional on Fargate), `MEMORY` in MiB, `GPU`. */
export interface ResourceRequirement {
  /** The amount, as a string (`"1"`, `"0.25"`, `"2048"`). */
  value: string;
  /** Which resource. */
  type: ResourceType;
}

/** A host path volume. */
export interface Host {
  /** Path on the host. Empty or absent: Docker picks a host path that lives as long as the container. */
  sourcePath?: string;
}

/** EFS access point authorization. */
export interface EFSAuthorizationConfig {
  /** The EFS access point id. */
  accessPointId?: string;
  /** Whether to use the job role for IAM authorization with EFS. */
  iam?: 'ENABLED' | 'DISABLED';
}

/** An Amazon EFS volume. */
export interface EFSVolumeConfiguration {
  /** The EFS file system id. */
  fileSystemId: string;
  /** Directory within the file system to mount as root. */
  rootDirectory?: string;
  /** Encryption of data in transit. */
  transitEncryption?: 'ENABLED' | 'DISABLED';
  /** Port for encrypted traffic. */
  transitEncryptionPort?: number;
  /** Access point and IAM settings. */
  authorizationConfig?: EFSAuthorizationConfig;
}

/** A data volume available to the job's containers. */
export interface Volume {
  /** Host path volume. */
  host?: Host;
  /** Name, referenced by `mountPoints[].sourceVolume`. Up to 255 letters, digits, hyphens, underscores. */
  name?: string;
  /** EFS volume. */
  efsVolumeConfiguration?: EFSVolumeConfiguration;
}

/** Where a volume is mounted in the container. */
export interface MountPoint {
  /** Path in the container. */
  containerPath?: string;
  /** Mount read-only. */
  readOnly?: boolean;
  /** Name of a volume in `volumes`. */
  sourceVolume?: string;
}

/** A ulimit. */
export interface Ulimit {
  /** Hard limit. */
  hardLimit: number;
  /** ulimit name (`nofile`, `nproc`, ...). */
  name: string;
  /** Soft limit. */
  softLimit: number;
}

/** `linuxParameters.devices[].permissions` values. */
export type DeviceCgroupPermission = 'READ' | 'WRITE' | 'MKNOD';

/** A host device exposed to the container. */
export interface Device {
  /** Path of the device on the host. */
  hostPath: string;
  /** Path in the container. Defaults to the host path. */
  containerPath?: string;
  /** Permissions. Default: READ, WRITE and MKNOD. */
  permissions?: DeviceCgroupPermission[];
}

/** A tmpfs mount. */
export interface Tmpfs {
  /** Absolute path in the container. */
  containerPath: string;
  /** Size in MiB. */
  size: number;
  /** Mount options (`noexec`, `rw`, ...). */
  mountOptions?: string[];
}

/** Linux-specific settings. */
export interface LinuxParameters {
  /** Host devices. */
  devices?: Device[];
  /** Run an init process (`docker run --init`). */
  initProcessEnabled?: boolean;
  /** /dev/shm size in MiB. */
  sharedMemorySize?: number;
  /** tmpfs mounts. */
  tmpfs?: Tmpfs[];
  /** Swap in MiB (EC2 only). */
  maxSwap?: number;
  /** Swappiness 0–100. */
  swappiness?: number;
}

/** A secret passed to the container. */
export interface Secret {
  /** Environment variable name. */
  name: string;
  /** Secrets Manager ARN or SSM parameter ARN/name. */
  valueFrom: string;
}

/** Container log configuration. */
export interface LogConfiguration {
  /** Log driver (`awslogs`, `json-file`, ...). */
  logDriver: string;
  /** Driver options. */
  options?: Record<string, string>;
  /** Options taken from secrets. */
  secretOptions?: Secret[];
}

/** Fargate network settings. */
export interface NetworkConfiguration {
  /** Whether the task gets a public IP. */
  assignPublicIp?: 'ENABLED' | 'DISABLED';
}

/** Fargate platform settings. */
export interface FargatePlatformConfiguration {
  /** Platform version (`LATEST`, `1.4.0`, ...). */
  platformVersion?: string;
}

/** Fargate ephemeral storage. */
export interface EphemeralStorage {
  /** Size in GiB (21–200). */
  sizeInGiB: number;
}

/** Fargate runtime platform. */
export interface RuntimePlatform {
  /** `LINUX`, `WINDOWS_SERVER_2019_FULL`, ... */
  operatingSystemFamily?: string;
  /** `X86_64` or `ARM64`. */
  cpuArchitecture?: string;
}

/** Private registry credentials. */
export interface RepositoryCredentials {
  /** Secrets Manager ARN of the credentials. */
  credentialsParameter: string;
}

/**
 * A container's properties: `containerProperties` of a container job definition, and
 * `nodeRangeProperties[].container` of a multi-node one.
 */
export interface ContainerProperties {
  /** Image (`repository[:tag]` or `repository@digest`). */
  image?: string;
  /** vCPUs (deprecated in favour of `resourceRequirements`, still accepted by Batch). */
  vcpus?: number;
  /** Memory hard limit in MiB (deprecated in favour of `resourceRequirements`). */
  memory?: number;
  /** Command, with `Ref::name` placeholders. */
  command?: string[];
  /** IAM role the job assumes. */
  jobRoleArn?: string;
  /** IAM role ECS uses to pull images, write logs and read secrets. */
  executionRoleArn?: string;
  /** Volumes. */
  volumes?: Volume[];
  /** Environment variables. */
  environment?: KeyValuePair[];
  /** Mount points. */
  mountPoints?: MountPoint[];
  /** Read-only root file system. */
  readonlyRootFilesystem?: boolean;
  /** Privileged container. */
  privileged?: boolean;
  /** ulimits. */
  ulimits?: Ulimit[];
  /** User name or uid[:gid]. */
  user?: string;
  /** Instance type (multi-node only). */
  instanceType?: string;
  /** VCPU, MEMORY and GPU requirements. */
  resourceRequirements?: ResourceRequirement[];
  /** Linux-specific settings. */
  linuxParameters?: LinuxParameters;
  /** Log configuration. */
  logConfiguration?: LogConfiguration;
  /** Secrets exposed as environment variables. */
  secrets?: Secret[];
  /** Fargate network settings. */
  networkConfiguration?: NetworkConfiguration;
  /** Fargate platform version. */
  fargatePlatformConfiguration?: FargatePlatformConfiguration;
  /** Fargate ephemeral storage. */
  ephemeralStorage?: EphemeralStorage;
  /** Fargate OS and CPU architecture. */
  runtimePlatform?: RuntimePlatform;
  /** Private registry credentials. */
  repositoryCredentials?: RepositoryCredentials;
  /** ECS Exec. */
  enableExecuteCommand?: boolean;
}

/** A node range of a multi-node parallel job. */
export interface NodeRangeProperty {
  /** `start:end`, `:end`, `start:` or a single index. */
  targetNodes: string;
  /** The container for these nodes. */
  container?: ContainerProperties;
  /** An ECS task for these nodes (instead of `container`). */
  ecsProperties?: EcsProperties;
  /** Instance types for these nodes. */
  instanceTypes?: string[];
}

/** `nodeProperties` of a multi-node parallel job definition. */
export interface NodeProperties {
  /** Number of nodes. */
  numNodes: number;
  /** Index of the main node. */
  mainNode: number;
  /** Node ranges and their containers. */
  nodeRangeProperties: NodeRangeProperty[];
}

/** `evaluateOnExit[].action`. Batch accepts it in any case; the API documents upper case. */
export type RetryAction = 'RETRY' | 'EXIT';

/** A condition and the action to take when a failed attempt matches it. */
export interface EvaluateOnExit {
  /** Glob (trailing `*` only) against the attempt's `statusReason`. */
  onStatusReason?: string;
  /** Glob against the attempt's container `reason`. */
  onReason?: string;
  /** Glob (digits, trailing `*`) against the exit code. */
  onExitCode?: string;
  /**
   * What to do. Typed upper case as in the API model (and the SDK), but AWS accepts any case ("the
   * values aren't case sensitive") and batchkit keeps what was written: read it with `normalizeRetryAction`.
   */
  action: RetryAction;
}

/** Retry strategy. */
export interface RetryStrategy {
  /** Attempts, 1–10. */
  attempts?: number;
  /** Up to 5 conditions, first match wins. */
  evaluateOnExit?: EvaluateOnExit[];
}

/** Per-attempt timeout. */
export interface JobTimeout {
  /** Seconds from the attempt's `startedAt`; at least 60. */
  attemptDurationSeconds?: number;
}

/** A job definition revision. */
export interface JobDefinition {
  /** Name: 1–128 letters, digits, hyphens and underscores. */
  jobDefinitionName: string;
  /** `arn:<partition>:batch:<region>:<account>:job-definition/<name>:<revision>`. */
  jobDefinitionArn?: string;
  /** Revision, from 1. */
  revision?: number;
  /** ACTIVE or INACTIVE. */
  status?: JobDefinitionStatus;
  /** container or multinode. */
  type: JobDefinitionType;
  /** Scheduling priority for fair-share queues. */
  schedulingPriority?: number;
  /** Default values for `Ref::` placeholders. */
  parameters?: Record<string, string>;
  /** Retry strategy. */
  retryStrategy?: RetryStrategy;
  /** Container properties (type container). */
  containerProperties?: ContainerProperties;
  /** Timeout. */
  timeout?: JobTimeout;
  /** Node properties (type multinode). */
  nodeProperties?: NodeProperties;
  /** An ECS task of several containers (type container, instead of containerProperties). */
  ecsProperties?: EcsProperties;
  /** An EKS pod (type container, instead of containerProperties). */
  eksProperties?: EksProperties;
  /** Tags. */
  tags?: Tags;
  /** Propagate tags to the ECS task. */
  propagateTags?: boolean;
  /** EC2 or FARGATE. */
  platformCapabilities?: PlatformCapability[];
  /** ECS or EKS. */
  containerOrchestrationType?: 'ECS' | 'EKS';
}

/** A job definition with where it came from. */
export interface LoadedJobDefinition extends JobDefinition {
  /** Origin in the template or assembly. */
  readonly source?: SourceLocation;
}
