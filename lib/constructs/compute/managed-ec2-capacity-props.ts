import type { Duration } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { AllocationStrategy } from './compute-options';

/**
 * The props every managed EC2 compute environment takes (ECS or EKS): network, capacity, Spot, launch template and
 * update policy.
 */
export interface ManagedEc2CapacityProps {
  /** The VPC the instances run in (a `BatchVpc` or any `ec2.IVpc`). */
  readonly vpc: ec2.IVpc;
  /**
   * Subnets of the instances; they must be in `vpc`.
   * @default - the VPC's private subnets (isolated, then public ones when it has none)
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Security groups of the instances (at most 5).
   * @default - one new security group with all outbound traffic allowed and no inbound rule
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /**
   * Launch Spot instances (`computeResources.type` SPOT) instead of On-Demand (EC2).
   * @default false
   */
  readonly spot?: boolean;
  /**
   * How instances are picked when more capacity is needed.
   * @default - SPOT_PRICE_CAPACITY_OPTIMIZED with `spot`, BEST_FIT_PROGRESSIVE otherwise
   */
  readonly allocationStrategy?: AllocationStrategy;
  /**
   * vCPUs kept running even when no job needs them.
   * @default 0
   */
  readonly minvCpus?: number;
  /**
   * vCPUs to launch with; Batch then moves it between min and max.
   * @default - not set: Batch starts from minvCpus
   */
  readonly desiredvCpus?: number;
  /**
   * Upper bound of vCPUs (Batch may exceed it by one instance with the progressive/Spot strategies).
   * @default 256
   */
  readonly maxvCpus?: number;
  /**
   * Highest Spot price as a percentage of the On-Demand price (Spot only).
   * @default - up to the On-Demand price
   */
  readonly spotBidPercentage?: number;
  /**
   * Spot Fleet role (Spot only).
   * @default - the stack's shared `SpotFleetRole` (AmazonEC2SpotFleetTaggingRole) when `spot`
   */
  readonly spotFleetRole?: iam.IRole;
  /**
   * Launch template. With a `BatchLaunchTemplate` the environment pins its latest version and
   * takes a name derived from its content, so any template change replaces the environment.
   * @default - no launch template
   */
  readonly launchTemplate?: ec2.ILaunchTemplate;
  /**
   * Placement group (a cluster placement group in one AZ for multi-node jobs).
   * @default - none
   */
  readonly placementGroup?: ec2.IPlacementGroup;
  /**
   * Replace the environment when an update needs new instances (`ReplaceComputeEnvironment`).
   * @default - false with the service-linked role (Batch updates in place); true with a custom
   * `serviceRole`, which cannot do infrastructure updates
   */
  readonly replaceComputeEnvironment?: boolean;
  /**
   * How long running jobs may continue during an infrastructure update (1-360 minutes).
   * @default - Batch's default, 30 minutes
   */
  readonly updateTimeout?: Duration;
  /**
   * Terminate running jobs during an infrastructure update.
   * @default false
   */
  readonly terminateOnUpdate?: boolean;
  /**
   * Move to the latest AMI of the image types on infrastructure updates.
   * @default - not set (Batch: false)
   */
  readonly updateToLatestImageVersion?: boolean;
  /**
   * Tags for the instances (`computeResources.tags`). A change replaces the environment.
   * @default - none (Batch tags instances with nothing of yours)
   */
  readonly instanceTags?: Record<string, string>;
}
