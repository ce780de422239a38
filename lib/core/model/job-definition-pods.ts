/**
 * Job definitions of several containers, in the Batch API's shapes: an ECS task of containers
 * (`ecsProperties.taskProperties[].containers`, with `essential` and `dependsOn` conditions) and an
 * EKS pod (`eksProperties.podProperties`: init containers, containers, volumes, resources). Both
 * are `type: container` definitions without `containerProperties`.
 * @see https://docs.aws.amazon.com/batch/latest/APIReference/API_EcsProperties.html
 * @see https://docs.aws.amazon.com/batch/latest/APIReference/API_EksProperties.html
 */
import type { KeyValuePair } from './common';
import type {
  EphemeralStorage,
  LinuxParameters,
  LogConfiguration,
  MountPoint,
  NetworkConfiguration,
  RepositoryCredentials,
  ResourceRequirement,
  RuntimePlatform,
  Secret,
  Ulimit,
  Volume,
} from './job-definition';

/** `dependsOn[].condition` of an ECS task container. */
export type TaskContainerCondition = 'START' | 'COMPLETE' | 'SUCCESS' | 'HEALTHY';
/** All values of {@link TaskContainerCondition}. */
export const TASK_CONTAINER_CONDITIONS: readonly TaskContainerCondition[] = ['START', 'COMPLETE', 'SUCCESS', 'HEALTHY'];

/** A container another container of the task waits for. */
export interface TaskContainerDependency {
  /** The container waited for. */
  containerName?: string;
  /**
   * START (started), COMPLETE (exited), SUCCESS (exited 0), HEALTHY. COMPLETE/SUCCESS can't be set on an
   * essential container.
   */
  condition?: TaskContainerCondition;
}

/** One container of an ECS task. */
export interface TaskContainerProperties {
  /** Unique in the task; the target of `dependsOn` and overrides. */
  name?: string;
  /** Image (required). */
  image: string;
  /** Command. */
  command?: string[];
  /** Containers to wait for before this one starts. */
  dependsOn?: TaskContainerDependency[];
  /** Environment variables. */
  environment?: KeyValuePair[];
  /** The task stops when an essential container stops; its exit code is the job's. @default true */
  essential?: boolean;
  /** Linux parameters. */
  linuxParameters?: LinuxParameters;
  /** Log configuration. */
  logConfiguration?: LogConfiguration;
  /** Mount points of the task's volumes. */
  mountPoints?: MountPoint[];
  /** Privileged. */
  privileged?: boolean;
  /** Read-only root file system. */
  readonlyRootFilesystem?: boolean;
  /** Private registry credentials. */
  repositoryCredentials?: RepositoryCredentials;
  /** VCPU, MEMORY, GPU of this container. */
  resourceRequirements?: ResourceRequirement[];
  /** Secrets as environment variables. */
  secrets?: Secret[];
  /** Ulimits. */
  ulimits?: Ulimit[];
  /** User. */
  user?: string;
  /** Seconds to wait for dependencies. */
  startTimeout?: number;
  /** Seconds between SIGTERM and SIGKILL. */
  stopTimeout?: number;
}

/** The task of an ECS job definition. */
export interface EcsTaskProperties {
  /** 1–10 containers. */
  containers: TaskContainerProperties[];
  /** Volumes the containers mount. */
  volumes?: Volume[];
  /** Task role (like `jobRoleArn`). */
  taskRoleArn?: string;
  /** Execution role (required on Fargate). */
  executionRoleArn?: string;
  /** Fargate platform version. */
  platformVersion?: string;
  /** IPC namespace: host, task or none. */
  ipcMode?: string;
  /** PID namespace: host or task. */
  pidMode?: string;
  /** Fargate network configuration. */
  networkConfiguration?: NetworkConfiguration;
  /** Fargate runtime platform. */
  runtimePlatform?: RuntimePlatform;
  /** Fargate ephemeral storage. */
  ephemeralStorage?: EphemeralStorage;
  /** ECS Exec. */
  enableExecuteCommand?: boolean;
}

/** `ecsProperties`: exactly one task. */
export interface EcsProperties {
  /** The task (the API limits the list to one element). */
  taskProperties: EcsTaskProperties[];
}

/** An environment variable of an EKS container. */
export interface EksContainerEnvironmentVariable {
  /** Name (not starting with AWS_BATCH). */
  name: string;
  /** Value. */
  value?: string;
}

/** `limits` / `requests`: `cpu`, `memory` (Kubernetes quantities such as `512Mi`), `nvidia.com/gpu`. */
export interface EksContainerResourceRequirements {
  /** Limits. */
  limits?: Record<string, string>;
  /** Requests. */
  requests?: Record<string, string>;
}

/** A volume mount of an EKS container. */
export interface EksContainerVolumeMount {
  /** A volume of the pod. */
  name?: string;
  /** Path in the container. */
  mountPath?: string;
  /** Sub-path of the volume. */
  subPath?: string;
  /** Read-only. */
  readOnly?: boolean;
}

/** Security context of an EKS container. */
export interface EksContainerSecurityContext {
  /** User id. */
  runAsUser?: number;
  /** Group id. */
  runAsGroup?: number;
  /** Privileged. */
  privileged?: boolean;
  /** Read-only root file system. */
  readOnlyRootFilesystem?: boolean;
  /** Must not run as root. */
  runAsNonRoot?: boolean;
  /** Privilege escalation. */
  allowPrivilegeEscalation?: boolean;
}

/** A container (or init container) of an EKS pod. */
export interface EksContainer {
  /** Unique in the pod (containers and init containers). @default 'Default' */
  name?: string;
  /** Image (required). */
  image: string;
  /** Always, IfNotPresent or Never. */
  imagePullPolicy?: string;
  /** Entrypoint. */
  command?: string[];
  /** Arguments. */
  args?: string[];
  /** Environment. */
  env?: EksContainerEnvironmentVariable[];
  /** Resources. */
  resources?: EksContainerResourceRequirements;
  /** Volume mounts. */
  volumeMounts?: EksContainerVolumeMount[];
  /** Security context. */
  securityContext?: EksContainerSecurityContext;
}

/** An EKS volume: exactly one of `emptyDir`, `hostPath`, `secret`, `persistentVolumeClaim`. */
export interface EksVolume {
  /** Name (a DNS subdomain name), unique in the pod. */
  name: string;
  /** A directory on the node. */
  hostPath?: { path?: string };
  /** A directory that lives as long as the pod (`medium` "" or "Memory"). */
  emptyDir?: { medium?: string; sizeLimit?: string };
  /** A Kubernetes secret. */
  secret?: { secretName: string; optional?: boolean };
  /** A persistent volume claim. */
  persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
}

/** Pod metadata. */
export interface EksMetadata {
  /** Labels. */
  labels?: Record<string, string>;
  /** Annotations. */
  annotations?: Record<string, string>;
  /** Namespace. */
  namespace?: string;
}

/** `eksProperties.podProperties`. */
export interface EksPodProperties {
  /** Service account the pod runs as. */
  serviceAccountName?: string;
  /** Use the node's network. @default true */
  hostNetwork?: boolean;
  /** Default, ClusterFirst or ClusterFirstWithHostNet. */
  dnsPolicy?: string;
  /** Pull secrets. */
  imagePullSecrets?: Array<{ name: string }>;
  /** 1–10 containers. */
  containers?: EksContainer[];
  /** Run to completion, in order, before the containers start. */
  initContainers?: EksContainer[];
  /** Volumes. */
  volumes?: EksVolume[];
  /** Metadata. */
  metadata?: EksMetadata;
  /** Share one process namespace. */
  shareProcessNamespace?: boolean;
}

/** `eksProperties`. */
export interface EksProperties {
  /** The pod. */
  podProperties?: EksPodProperties;
}

/** SubmitJob `ecsPropertiesOverride`. */
export interface EcsPropertiesOverride {
  /** One entry: container overrides by name. */
  taskProperties?: Array<{
    containers?: Array<{
      name?: string;
      command?: string[];
      environment?: KeyValuePair[];
      resourceRequirements?: ResourceRequirement[];
    }>;
  }>;
}

/** An override of one EKS container. */
export interface EksContainerOverride {
  /** The container (or init container) overridden. */
  name?: string;
  /** Image. */
  image?: string;
  /** Entrypoint. */
  command?: string[];
  /** Arguments. */
  args?: string[];
  /** Environment (merged by name). */
  env?: EksContainerEnvironmentVariable[];
  /** Resources. */
  resources?: EksContainerResourceRequirements;
}

/** SubmitJob `eksPropertiesOverride`. */
export interface EksPropertiesOverride {
  /** Pod overrides. */
  podProperties?: {
    containers?: EksContainerOverride[];
    initContainers?: EksContainerOverride[];
    metadata?: EksMetadata;
  };
}
