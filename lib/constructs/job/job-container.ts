/**
 * What runs in a job: `JobContainer.ec2({...})` or `JobContainer.fargate({...})`. Plain values,
 * not constructs: a job definition renders its container directly (no extra construct or role).
 * @see https://docs.aws.amazon.com/batch/latest/APIReference/API_ContainerProperties.html
 */
import type { Size } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { DeviceCgroupPermission } from '../../core/model/job-definition';
import type { JobImage } from './job-image';
import type { JobSecret } from './job-secret';
import type { JobVolume } from './job-volume';

/** A host device exposed to the container (EC2 only). */
export interface DeviceOptions {
  /** Path of the device on the host, e.g. `/dev/fuse`. */
  readonly hostPath: string;
  /**
   * Path in the container.
   * @default - the host path
   */
  readonly containerPath?: string;
  /**
   * cgroup permissions.
   * @default - READ, WRITE and MKNOD
   */
  readonly permissions?: DeviceCgroupPermission[];
}

/** A tmpfs mount (EC2 only). */
export interface TmpfsOptions {
  /** Absolute path in the container. */
  readonly containerPath: string;
  /** Size (whole MiB). */
  readonly size: Size;
  /**
   * Mount options, e.g. `['noexec', 'rw']`.
   * @default - Docker's defaults
   */
  readonly mountOptions?: string[];
}

/** Linux settings of an EC2 container. */
export interface LinuxParametersOptions {
  /**
   * Run an init process as PID 1 (`docker run --init`) that forwards signals and reaps zombies.
   * @default false
   */
  readonly initProcessEnabled?: boolean;
  /**
   * Size of `/dev/shm` (whole MiB).
   * @default - Docker's default (64 MiB)
   */
  readonly sharedMemorySize?: Size;
  /**
   * Swap the container may use (whole MiB). Needs swap on the instance.
   * @default - no swap limit set: the container uses the instance's swap settings
   */
  readonly maxSwap?: Size;
  /**
   * Swappiness 0–100 (only with `maxSwap`).
   * @default 60
   */
  readonly swappiness?: number;
  /**
   * Host devices.
   * @default - none
   */
  readonly devices?: DeviceOptions[];
  /**
   * tmpfs mounts.
   * @default - none
   */
  readonly tmpfs?: TmpfsOptions[];
}

/** ulimit names Docker knows. Values are the service strings. */
export enum UlimitName {
  /** Core file size (KiB). */
  CORE = 'core',
  /** CPU time (seconds). */
  CPU = 'cpu',
  /** Data segment size. */
  DATA = 'data',
  /** File size. */
  FSIZE = 'fsize',
  /** File locks. */
  LOCKS = 'locks',
  /** Locked-in-memory address space. */
  MEMLOCK = 'memlock',
  /** POSIX message queue bytes. */
  MSGQUEUE = 'msgqueue',
  /** Nice priority ceiling. */
  NICE = 'nice',
  /** Open file descriptors. */
  NOFILE = 'nofile',
  /** Processes. */
  NPROC = 'nproc',
  /** Resident set size. */
  RSS = 'rss',
  /** Real-time priority. */
  RTPRIO = 'rtprio',
  /** Real-time CPU time (microseconds). */
  RTTIME = 'rttime',
  /** Pending signals. */
  SIGPENDING = 'sigpending',
  /** Stack size. */
  STACK = 'stack',
}

/** A ulimit (EC2 only). */
export interface UlimitOptions {
  /** Which limit. */
  readonly name: UlimitName;
  /** Soft limit. */
  readonly softLimit: number;
  /** Hard limit (≥ soft limit). */
  readonly hardLimit: number;
}

/** Where container logs go. */
export class JobLogging {
  /**
   * The `awslogs` driver. Without a log group Batch writes to `/aws/batch/job` (the shared
   * execution role may write there); with one, the execution role is granted write on it.
   */
  public static awsLogs(options: { logGroup?: logs.ILogGroup; streamPrefix?: string } = {}): JobLogging {
    return new JobLogging('awslogs', options.logGroup, options.streamPrefix, {});
  }

  /** Any other driver (`json-file`, `syslog`, `splunk`, ...) with its options. */
  public static custom(logDriver: string, options: Record<string, string> = {}): JobLogging {
    return new JobLogging(logDriver, undefined, undefined, options);
  }

  private constructor(
    /** Driver name. */
    public readonly logDriver: string,
    /** Log group for `awslogs`. */
    public readonly logGroup: logs.ILogGroup | undefined,
    /** Stream prefix for `awslogs`. */
    public readonly streamPrefix: string | undefined,
    /** Driver options. */
    public readonly options: Record<string, string>,
  ) {}
}

/** Props every container has. */
export interface ContainerOptions {
  /** The image. */
  readonly image: JobImage;
  /** vCPUs, rendered as a `VCPU` resource requirement. EC2: whole vCPUs; Fargate: 0.25, 0.5, 1, 2, 4, 8 or 16. */
  readonly cpu: number;
  /** Memory hard limit (whole MiB), rendered as a `MEMORY` resource requirement. */
  readonly memory: Size;
  /**
   * Command. `Ref::name` placeholders must be declared in the job definition's `parameters` or `requiredParameters`.
   * @default - the image's CMD
   */
  readonly command?: string[];
  /**
   * Environment variables. Names must not start with `AWS_BATCH` (reserved by Batch).
   * @default - none
   */
  readonly environment?: Record<string, string>;
  /**
   * Secrets as environment variables; read access is granted to the shared execution role.
   * @default - none
   */
  readonly secrets?: Record<string, JobSecret>;
  /**
   * Role the job's code assumes.
   * @default - no job role: the code gets no AWS credentials
   */
  readonly jobRole?: iam.IRole;
  /**
   * Role ECS uses to pull the image, read secrets and write logs.
   * @default - the stack's shared execution role (`JobExecutionRole.forStack`)
   */
  readonly executionRole?: iam.IRole;
  /**
   * Volumes and their mount points.
   * @default - none
   */
  readonly volumes?: JobVolume[];
  /**
   * Log driver.
   * @default - `awslogs` to `/aws/batch/job`
   */
  readonly logging?: JobLogging;
  /**
   * Read-only root file system.
   * @default false
   */
  readonly readonlyRootFilesystem?: boolean;
  /**
   * User (name or `uid[:gid]`).
   * @default - the image's USER
   */
  readonly user?: string;
}

/** Props of an EC2 (or Spot) container. */
export interface Ec2ContainerOptions extends ContainerOptions {
  /**
   * GPUs, rendered as a `GPU` resource requirement; the queue needs GPU instances.
   * @default - no GPU
   */
  readonly gpu?: number;
  /**
   * Privileged container (root on the host).
   * @default false
   */
  readonly privileged?: boolean;
  /**
   * ulimits.
   * @default - the instance's Docker defaults
   */
  readonly ulimits?: UlimitOptions[];
  /**
   * Linux settings: devices, tmpfs, shared memory, init, swap.
   * @default - none
   */
  readonly linuxParameters?: LinuxParametersOptions;
}

/** Fargate platform versions. */
export enum FargatePlatformVersion {
  /** The latest version (≥ 1.4.0: EFS, ephemeral storage). */
  LATEST = 'LATEST',
  /** 1.4.0. */
  VERSION1_4 = '1.4.0',
  /** 1.3.0 (no EFS). */
  VERSION1_3 = '1.3.0',
}

/** Fargate CPU architectures. */
export enum FargateCpuArchitecture {
  /** x86-64 (Intel/AMD). */
  X86_64 = 'X86_64',
  /** 64-bit ARM (Graviton). */
  ARM64 = 'ARM64',
}

/** Props of a Fargate container. */
export interface FargateContainerOptions extends ContainerOptions {
  /**
   * Give the task a public IP (needed in public subnets without NAT to pull images).
   * @default false
   */
  readonly assignPublicIp?: boolean;
  /**
   * Fargate platform version.
   * @default FargatePlatformVersion.LATEST
   */
  readonly platformVersion?: FargatePlatformVersion;
  /**
   * Ephemeral storage, 21–200 GiB.
   * @default - 20 GiB
   */
  readonly ephemeralStorage?: Size;
  /**
   * CPU architecture.
   * @default - X86_64
   */
  readonly cpuArchitecture?: FargateCpuArchitecture;
  /**
   * Run an init process as PID 1.
   * @default false
   */
  readonly initProcessEnabled?: boolean;
}

/** A job's container, for EC2 or for Fargate. */
export class JobContainer {
  /** A container for EC2/Spot compute environments. */
  public static ec2(options: Ec2ContainerOptions): JobContainer {
    return new JobContainer('EC2', options, undefined);
  }

  /** A container for Fargate/Fargate Spot compute environments. */
  public static fargate(options: FargateContainerOptions): JobContainer {
    return new JobContainer('FARGATE', options, options);
  }

  private constructor(
    /** Platform capability the container needs. */
    public readonly platform: 'EC2' | 'FARGATE',
    /** The props (EC2 props when `platform` is EC2). */
    public readonly options: Ec2ContainerOptions,
    /** The Fargate props, when `platform` is FARGATE. */
    public readonly fargateOptions: FargateContainerOptions | undefined,
  ) {}
}
