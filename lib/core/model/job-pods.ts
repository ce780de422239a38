/**
 * DescribeJobs' view of jobs of multi-container job definitions: an ECS task's containers with
 * their exits (`ecsProperties`, `attempts[].taskProperties`) and an EKS pod's containers
 * (`eksProperties`, `eksAttempts`), in the API reference's shapes; and the Kubernetes quantities
 * of EKS container resources as vCPUs and MiB.
 * @see https://docs.aws.amazon.com/batch/latest/APIReference/API_EcsPropertiesDetail.html
 * @see https://docs.aws.amazon.com/batch/latest/APIReference/API_EksPropertiesDetail.html
 */
import type { EcsTaskProperties, EksContainer, EksPodProperties, TaskContainerProperties } from './job-definition-pods';
import type { NetworkInterface } from './job';

/** A container of a job's ECS task, with how it ended. */
export interface TaskContainerDetails extends TaskContainerProperties {
  /** Exit code, once it exited. */
  exitCode?: number;
  /** Why it stopped (or could not start). */
  reason?: string;
  /** Its log stream in `/aws/batch/job`. */
  logStreamName?: string;
  /** Network interfaces. */
  networkInterfaces?: NetworkInterface[];
}

/** The task of a job (`ecsProperties.taskProperties[]`). */
export interface EcsTaskDetails extends Omit<EcsTaskProperties, 'containers'> {
  /** Containers. */
  containers: TaskContainerDetails[];
  /** Container instance of the current attempt. */
  containerInstanceArn?: string;
  /** Task of the current attempt. */
  taskArn?: string;
}

/** `JobDetail.ecsProperties`. */
export interface EcsPropertiesDetail {
  /** One task. */
  taskProperties: EcsTaskDetails[];
}

/** One container of an attempt's task. */
export interface AttemptTaskContainerDetails {
  /** Container name. */
  name?: string;
  /** Exit code. */
  exitCode?: number;
  /** Why it stopped. */
  reason?: string;
  /** Log stream. */
  logStreamName?: string;
  /** Network interfaces. */
  networkInterfaces?: NetworkInterface[];
}

/** The task of one attempt (`attempts[].taskProperties[]`). */
export interface AttemptEcsTaskDetails {
  /** Container instance. */
  containerInstanceArn?: string;
  /** Task. */
  taskArn?: string;
  /** Containers. */
  containers?: AttemptTaskContainerDetails[];
}

/** A container of a job's pod, with how it ended. */
export interface EksContainerDetail extends EksContainer {
  /** Exit code, once it exited. */
  exitCode?: number;
  /** Why it stopped. */
  reason?: string;
}

/** `JobDetail.eksProperties.podProperties`. */
export interface EksPodPropertiesDetail extends Omit<EksPodProperties, 'containers' | 'initContainers'> {
  /** Containers. */
  containers?: EksContainerDetail[];
  /** Init containers. */
  initContainers?: EksContainerDetail[];
  /** Pod of the current attempt. */
  podName?: string;
  /** Node of the current attempt. */
  nodeName?: string;
}

/** `JobDetail.eksProperties`. */
export interface EksPropertiesDetail {
  /** The pod. */
  podProperties?: EksPodPropertiesDetail;
}

/** One container of an EKS attempt. */
export interface EksAttemptContainerDetail {
  /** Container name. */
  name?: string;
  /** Container id. */
  containerID?: string;
  /** Exit code. */
  exitCode?: number;
  /** Why it stopped. */
  reason?: string;
}

/** One attempt of an EKS job (`eksAttempts[]`). */
export interface EksAttemptDetail {
  /** Containers. */
  containers?: EksAttemptContainerDetail[];
  /** Init containers. */
  initContainers?: EksAttemptContainerDetail[];
  /** Pod name. */
  podName?: string;
  /** Node name. */
  nodeName?: string;
  /** When it reached RUNNING. */
  startedAt?: number;
  /** When it stopped. */
  stoppedAt?: number;
  /** Why. */
  statusReason?: string;
}

/** A Kubernetes CPU quantity (`2`, `0.5`, `500m`) in vCPUs, undefined when it is not one. */
export function cpuQuantity(q: string | undefined): number | undefined {
  if (q === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(q.trim());
  if (!m) return undefined;
  return m[2] === 'm' ? Number(m[1]) / 1000 : Number(m[1]);
}

const MEMORY_UNITS: Record<string, number> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
};

/** A Kubernetes memory quantity (`512Mi`, `1Gi`, `1G`, bytes) in MiB (rounded up), undefined when it is not one. */
export function memoryQuantityMiB(q: string | undefined): number | undefined {
  if (q === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(q.trim());
  if (!m) return undefined;
  return Math.ceil((Number(m[1]) * MEMORY_UNITS[m[2] ?? '']) / 1024 ** 2);
}
