/**
 * `BatchEnvironment`: a complete, secure EC2 Batch environment in one `new` — VPC, roles, launch
 * template, an On-Demand and a Spot compute environment, a high- and a low-priority queue.
 * @see https://docs.aws.amazon.com/batch/latest/userguide/Batch_GetStarted.html
 */
import type { Size } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { BatchLaunchTemplate } from '../compute/batch-launch-template';
import type { AllocationStrategy } from '../compute/compute-options';
import type { BatchInstanceType } from '../compute/instance-type';
import { ManagedEc2ComputeEnvironment } from '../compute/managed-ec2-compute-environment';
import { BatchkitAwsSolutionsAcknowledgements } from '../nag/aws-solutions-acknowledgements';
import type { JobQueue } from '../queue/job-queue';
import { patternLaunchTemplate, patternPriorities, patternVpc, priorityQueues, wirePattern } from './pattern-common';

/** Props of {@link BatchEnvironment}. */
export interface BatchEnvironmentProps {
  /**
   * The VPC. Instances run in its private subnets and need a route to ECS, ECR and CloudWatch Logs
   * (a NAT gateway or VPC endpoints).
   * @default - a new `BatchVpc`: 2 AZs, public and private subnets, 1 NAT gateway, flow logs
   */
  readonly vpc?: ec2.IVpc;
  /**
   * Subnets of the compute environments.
   * @default - the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Instance types of the On-Demand environment.
   * @default - [BatchInstanceType.OPTIMAL] (Batch picks from the C, M and R families)
   */
  readonly instanceTypes?: BatchInstanceType[];
  /**
   * Instance types of the Spot environment. Listing several families lowers interruptions.
   * @default - the On-Demand instance types
   */
  readonly spotInstanceTypes?: BatchInstanceType[];
  /**
   * Maximum vCPUs of the On-Demand environment.
   * @default 256
   */
  readonly onDemandMaxvCpus?: number;
  /**
   * Maximum vCPUs of the Spot environment.
   * @default 256
   */
  readonly spotMaxvCpus?: number;
  /**
   * vCPUs the On-Demand environment keeps running when idle (they cost money while idle).
   * @default 0
   */
  readonly onDemandMinvCpus?: number;
  /**
   * Highest Spot price, as a percentage of the On-Demand price.
   * @default - up to the On-Demand price
   */
  readonly spotBidPercentage?: number;
  /**
   * Spot allocation strategy.
   * @default AllocationStrategy.SPOT_PRICE_CAPACITY_OPTIMIZED
   */
  readonly spotAllocationStrategy?: AllocationStrategy;
  /**
   * Launch template of both environments.
   * @default - a `BatchLaunchTemplate` requiring IMDSv2 with an encrypted 30 GiB gp3 root volume
   */
  readonly launchTemplate?: BatchLaunchTemplate;
  /**
   * Size of the root volume of the default launch template (ignored with `launchTemplate`).
   * @default Size.gibibytes(30)
   */
  readonly rootVolumeSize?: Size;
  /**
   * Batch service role.
   * @default - the service-linked role `AWSServiceRoleForBatch` (Batch creates it on first use)
   */
  readonly serviceRole?: iam.IRole;
  /**
   * Role the jobs assume; grant your jobs' permissions to it.
   * @default - a new `JobRole` without permissions
   */
  readonly jobRole?: iam.IRole;
  /**
   * Priority of the high-priority queue (On-Demand first, Spot second).
   * @default 100
   */
  readonly highPriority?: number;
  /**
   * Priority of the low-priority queue (Spot first, On-Demand second).
   * @default 10
   */
  readonly lowPriority?: number;
  /**
   * Add `CfnOutput`s with the queue names and ARNs and the roles' ARNs.
   * @default true
   */
  readonly outputs?: boolean;
}

/**
 * A complete EC2 Batch environment: VPC, launch template (IMDSv2, encrypted root volume), an
 * On-Demand and a Spot compute environment, a high-priority queue that tries On-Demand first and
 * a low-priority queue that tries Spot first. Submit jobs to `highPriorityQueue` when they must
 * start soon, to `lowPriorityQueue` when they may wait for cheap capacity.
 */
export class BatchEnvironment extends Construct {
  /** The VPC. */
  public readonly vpc: ec2.IVpc;
  /** The launch template of both environments. */
  public readonly launchTemplate: BatchLaunchTemplate;
  /** The On-Demand compute environment. */
  public readonly onDemand: ManagedEc2ComputeEnvironment;
  /** The Spot compute environment. */
  public readonly spot: ManagedEc2ComputeEnvironment;
  /** The high-priority queue: On-Demand (order 1), then Spot (order 2). */
  public readonly highPriorityQueue: JobQueue;
  /** The low-priority queue: Spot (order 1), then On-Demand (order 2). */
  public readonly lowPriorityQueue: JobQueue;
  /** The execution role job definitions use (the stack's shared one). */
  public readonly executionRole: iam.IRole;
  /** The role jobs assume. */
  public readonly jobRole: iam.IRole;

  constructor(scope: Construct, id: string, props: BatchEnvironmentProps = {}) {
    super(scope, id);
    const priorities = patternPriorities(this, props);
    BatchkitAwsSolutionsAcknowledgements.addTo(this);

    this.vpc = patternVpc(this, props.vpc);
    this.launchTemplate = props.launchTemplate ?? patternLaunchTemplate(this, props.rootVolumeSize);
    const common = {
      vpc: this.vpc,
      vpcSubnets: props.vpcSubnets,
      launchTemplate: this.launchTemplate,
      serviceRole: props.serviceRole,
    };
    this.onDemand = new ManagedEc2ComputeEnvironment(this, 'OnDemand', {
      ...common,
      instanceTypes: props.instanceTypes,
      minvCpus: props.onDemandMinvCpus,
      maxvCpus: props.onDemandMaxvCpus ?? 256,
    });
    this.spot = new ManagedEc2ComputeEnvironment(this, 'Spot', {
      ...common,
      spot: true,
      instanceTypes: props.spotInstanceTypes ?? props.instanceTypes,
      maxvCpus: props.spotMaxvCpus ?? 256,
      spotBidPercentage: props.spotBidPercentage,
      allocationStrategy: props.spotAllocationStrategy,
    });
    const wiring = wirePattern(this, {
      queues: priorityQueues(this.onDemand, this.spot, priorities, { primary: 'On-Demand', secondary: 'Spot' }),
      jobRole: props.jobRole,
      outputs: props.outputs ?? true,
      roleOutputs: true,
    });
    this.highPriorityQueue = wiring.queues.high;
    this.lowPriorityQueue = wiring.queues.low;
    this.executionRole = wiring.executionRole;
    this.jobRole = wiring.jobRole;
  }
}
