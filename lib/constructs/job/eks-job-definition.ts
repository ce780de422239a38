/**
 * A job definition whose job is an EKS pod (`eksProperties`): init containers that run to
 * completion in order, then the containers; `emptyDir`, `hostPath` and `secret` volumes; resources
 * as Kubernetes limits; the service account and host network of the pod. EC2 only.
 * @see https://docs.aws.amazon.com/batch/latest/userguide/eks-job-definitions.html
 */
import type { Size } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { JobDefinition } from '../../core/model/job-definition';
import type { EksContainer, EksVolume } from '../../core/model/job-definition-pods';
import { renderJobDefinition } from '../private/job-base-render';
import { JobDefinitionBase, type JobDefinitionProps } from './job-definition-base';

/** The pod's DNS policy. */
export enum DnsPolicy {
  /** The node's DNS settings. */
  DEFAULT = 'Default',
  /** The cluster's DNS first. */
  CLUSTER_FIRST = 'ClusterFirst',
  /** The cluster's DNS first, for pods on the host network. */
  CLUSTER_FIRST_WITH_HOST_NET = 'ClusterFirstWithHostNet',
}

/** A container (or init container) of the pod. */
export interface PodContainer {
  /**
   * Name, unique in the pod (lower-case letters, digits, hyphens).
   * @default 'Default' (only one container may go unnamed)
   */
  readonly name?: string;
  /** Image reference in a registry the nodes can pull from. */
  readonly image: string;
  /**
   * Entrypoint.
   * @default - the image's ENTRYPOINT
   */
  readonly command?: string[];
  /**
   * Arguments.
   * @default - the image's CMD
   */
  readonly args?: string[];
  /**
   * Environment variables.
   * @default - none
   */
  readonly env?: Record<string, string>;
  /**
   * vCPU limit.
   * @default - none
   */
  readonly cpu?: number;
  /**
   * Memory limit (whole MiB, rendered as `<n>Mi`).
   * @default - none
   */
  readonly memory?: Size;
  /**
   * GPU limit.
   * @default - none
   */
  readonly gpu?: number;
  /**
   * Pod volumes mounted in this container.
   * @default - none
   */
  readonly mounts?: ReadonlyArray<{ readonly volume: string; readonly mountPath: string; readonly readOnly?: boolean }>;
}

/** A pod volume: exactly one of `emptyDir`, `hostPath`, `secretName`. */
export interface PodVolume {
  /** Name (lower-case DNS subdomain), unique in the pod. */
  readonly name: string;
  /**
   * A directory that lives as long as the pod; `inMemory` puts it on tmpfs.
   * @default - not an emptyDir volume
   */
  readonly emptyDir?: { readonly inMemory?: boolean; readonly sizeLimit?: Size };
  /**
   * A path on the node.
   * @default - not a hostPath volume
   */
  readonly hostPath?: string;
  /**
   * A Kubernetes secret.
   * @default - not a secret volume
   */
  readonly secretName?: string;
}

/** Props of {@link EksJobDefinition}. */
export interface EksJobDefinitionProps extends JobDefinitionProps {
  /** 1–10 containers. */
  readonly containers: PodContainer[];
  /**
   * Containers that run to completion, in order, before the containers start.
   * @default - none
   */
  readonly initContainers?: PodContainer[];
  /**
   * Volumes.
   * @default - none
   */
  readonly volumes?: PodVolume[];
  /**
   * Kubernetes service account the pod runs as.
   * @default - the namespace's default service account
   */
  readonly serviceAccountName?: string;
  /**
   * Use the node's network.
   * @default true (as Batch)
   */
  readonly hostNetwork?: boolean;
  /**
   * DNS policy.
   * @default - Batch's default (ClusterFirstWithHostNet on the host network)
   */
  readonly dnsPolicy?: DnsPolicy;
  /**
   * Tags of the job definition.
   * @default - none
   */
  readonly tags?: Record<string, string>;
}

/** An EKS job definition; one CloudFormation resource. */
export class EksJobDefinition extends JobDefinitionBase {
  public readonly jobDefinitionArn: string;
  public readonly jobDefinitionName: string;
  /** The job definition in the Batch API's shape, as batchkit's rules see it. */
  public readonly model: JobDefinition;

  constructor(scope: Construct, id: string, props: EksJobDefinitionProps) {
    super(scope, id, { physicalName: props.jobDefinitionName });
    const rendered = renderJobDefinition(this, props, {
      type: 'eks',
      eksProperties: {
        podProperties: {
          ...(props.serviceAccountName !== undefined ? { serviceAccountName: props.serviceAccountName } : {}),
          ...(props.hostNetwork !== undefined ? { hostNetwork: props.hostNetwork } : {}),
          ...(props.dnsPolicy !== undefined ? { dnsPolicy: props.dnsPolicy } : {}),
          containers: props.containers.map(renderPodContainer),
          ...(props.initContainers?.length ? { initContainers: props.initContainers.map(renderPodContainer) } : {}),
          ...(props.volumes?.length ? { volumes: props.volumes.map(renderPodVolume) } : {}),
        },
      },
    });
    this.model = rendered.model;
    this.jobDefinitionArn = rendered.jobDefinitionArn;
    this.jobDefinitionName = rendered.jobDefinitionName;
  }
}

function renderPodContainer(c: PodContainer): EksContainer {
  const limits: Record<string, string> = {
    ...(c.cpu !== undefined ? { cpu: String(c.cpu) } : {}),
    ...(c.memory !== undefined ? { memory: `${c.memory.toMebibytes()}Mi` } : {}),
    ...(c.gpu !== undefined ? { 'nvidia.com/gpu': String(c.gpu) } : {}),
  };
  return {
    ...(c.name !== undefined ? { name: c.name } : {}),
    image: c.image,
    ...(c.command ? { command: [...c.command] } : {}),
    ...(c.args ? { args: [...c.args] } : {}),
    ...(c.env ? { env: Object.entries(c.env).map(([name, value]) => ({ name, value })) } : {}),
    ...(Object.keys(limits).length ? { resources: { limits } } : {}),
    ...(c.mounts?.length
      ? {
          volumeMounts: c.mounts.map((m) => ({
            name: m.volume,
            mountPath: m.mountPath,
            readOnly: m.readOnly ?? false,
          })),
        }
      : {}),
  };
}

function renderPodVolume(v: PodVolume): EksVolume {
  return {
    name: v.name,
    ...(v.emptyDir
      ? {
          emptyDir: {
            ...(v.emptyDir.inMemory ? { medium: 'Memory' } : {}),
            ...(v.emptyDir.sizeLimit ? { sizeLimit: `${v.emptyDir.sizeLimit.toMebibytes()}Mi` } : {}),
          },
        }
      : {}),
    ...(v.hostPath !== undefined ? { hostPath: { path: v.hostPath } } : {}),
    ...(v.secretName !== undefined ? { secret: { secretName: v.secretName } } : {}),
  };
}
