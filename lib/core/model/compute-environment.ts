/**
 * Compute environments in the shape of the AWS Batch API.
 * @see https://docs.aws.amazon.com/batch/latest/APIReference/API_ComputeEnvironmentDetail.html
 */
import type { ResourceState, ResourceStatus, SourceLocation, Tags } from './common';

/** `type` of a compute environment. */
export type CEType = 'MANAGED' | 'UNMANAGED';
/** All values of {@link CEType}. */
export const CE_TYPES: readonly CEType[] = ['MANAGED', 'UNMANAGED'];

/** `computeResources.type`. */
export type CRType = 'EC2' | 'SPOT' | 'FARGATE' | 'FARGATE_SPOT';
/** All values of {@link CRType}. */
export const CR_TYPES: readonly CRType[] = ['EC2', 'SPOT', 'FARGATE', 'FARGATE_SPOT'];

/** `computeResources.allocationStrategy`. */
export type CRAllocationStrategy =
  'BEST_FIT' | 'BEST_FIT_PROGRESSIVE' | 'SPOT_CAPACITY_OPTIMIZED' | 'SPOT_PRICE_CAPACITY_OPTIMIZED';
/** All values of {@link CRAllocationStrategy}. */
export const CR_ALLOCATION_STRATEGIES: readonly CRAllocationStrategy[] = [
  'BEST_FIT',
  'BEST_FIT_PROGRESSIVE',
  'SPOT_CAPACITY_OPTIMIZED',
  'SPOT_PRICE_CAPACITY_OPTIMIZED',
];

/** A launch template reference. Exactly one of id or name. */
export interface LaunchTemplateSpecification {
  /** Launch template id. */
  launchTemplateId?: string;
  /** Launch template name. */
  launchTemplateName?: string;
  /** `$Default`, `$Latest` or a version number. Default: `$Default`. */
  version?: string;
  /** Other launch templates for some instance types (`LaunchTemplateSpecificationOverride`). */
  overrides?: LaunchTemplateSpecificationOverride[];
}

/** A launch template used instead of the default one for some instance types. */
export interface LaunchTemplateSpecificationOverride {
  /** Launch template id. */
  launchTemplateId?: string;
  /** Launch template name. */
  launchTemplateName?: string;
  /** `$Default`, `$Latest` or a version number. */
  version?: string;
  /** Instance types or families that use this template. */
  targetInstanceTypes?: string[];
}

/** An AMI choice for a class of instances. */
export interface Ec2Configuration {
  /** `ECS_AL2`, `ECS_AL2_NVIDIA`, `ECS_AL2023`, `ECS_AL2023_NVIDIA`, `ECS_AL1`. */
  imageType: string;
  /** AMI id that overrides the default for this image type. */
  imageIdOverride?: string;
  /** Kubernetes version (EKS only). */
  imageKubernetesVersion?: string;
}

/** The compute resources of a managed compute environment. */
export interface ComputeResource {
  /** EC2, SPOT, FARGATE or FARGATE_SPOT. */
  type: CRType;
  /** How instance types are chosen (EC2/SPOT only). */
  allocationStrategy?: CRAllocationStrategy;
  /** Minimum vCPUs kept running (EC2/SPOT only). */
  minvCpus?: number;
  /** Maximum vCPUs. */
  maxvCpus: number;
  /** Desired vCPUs (EC2/SPOT only). */
  desiredvCpus?: number;
  /** Instance types, families or `optimal` (EC2/SPOT only). */
  instanceTypes?: string[];
  /** AMI id (deprecated: use `ec2Configuration`). */
  imageId?: string;
  /** Subnets. */
  subnets: string[];
  /** Security groups. */
  securityGroupIds?: string[];
  /** EC2 key pair. */
  ec2KeyPair?: string;
  /** Instance profile name or ARN (EC2/SPOT only). */
  instanceRole?: string;
  /** Tags applied to instances. */
  tags?: Tags;
  /** Placement group. */
  placementGroup?: string;
  /** Maximum Spot price as a percentage of On-Demand (SPOT only). */
  bidPercentage?: number;
  /** Spot Fleet role ARN (SPOT only). */
  spotIamFleetRole?: string;
  /** Launch template. */
  launchTemplate?: LaunchTemplateSpecification;
  /** AMI choices. */
  ec2Configuration?: Ec2Configuration[];
}

/**
 * The Amazon EKS cluster of an EKS compute environment.
 * @see https://docs.aws.amazon.com/batch/latest/APIReference/API_EksConfiguration.html
 */
export interface EksConfiguration {
  /** `arn:<partition>:eks:<region>:<account>:cluster/<name>`. */
  eksClusterArn: string;
  /** The namespace Batch runs pods in: 1-63 characters `^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`, not `default`, `kube-*`. */
  kubernetesNamespace: string;
}

/** Update policy of a compute environment. */
export interface UpdatePolicy {
  /** Terminate jobs running on instances being replaced. */
  terminateJobsOnUpdate?: boolean;
  /** Minutes to wait for jobs to finish before instances are replaced. */
  jobExecutionTimeoutMinutes?: number;
}

/** A compute environment. */
export interface ComputeEnvironment {
  /** Name: 1–128 letters, digits, hyphens and underscores. */
  computeEnvironmentName: string;
  /** `arn:<partition>:batch:<region>:<account>:compute-environment/<name>`. */
  computeEnvironmentArn?: string;
  /** MANAGED or UNMANAGED. */
  type: CEType;
  /** ENABLED or DISABLED. Default ENABLED. */
  state?: ResourceState;
  /** Status as reported by the service. */
  status?: ResourceStatus;
  /** Why the status is what it is. */
  statusReason?: string;
  /** Compute resources (MANAGED only). */
  computeResources?: ComputeResource;
  /** Service role ARN. Absent: the service-linked role. */
  serviceRole?: string;
  /** Max vCPUs of an UNMANAGED environment using fair share. */
  unmanagedvCpus?: number;
  /** ECS cluster ARN (set by the service). */
  ecsClusterArn?: string;
  /** Update policy. */
  updatePolicy?: UpdatePolicy;
  /** Replace instances when the AMI is updated. */
  replaceComputeEnvironment?: boolean;
  /** Tags. */
  tags?: Tags;
  /** ECS or EKS (EKS when `eksConfiguration` is set). */
  containerOrchestrationType?: 'ECS' | 'EKS';
  /** The EKS cluster and namespace (EKS compute environments only). */
  eksConfiguration?: EksConfiguration;
}

/** A compute environment with where it came from. */
export interface LoadedComputeEnvironment extends ComputeEnvironment {
  /** Origin in the template or assembly. */
  readonly source?: SourceLocation;
}
