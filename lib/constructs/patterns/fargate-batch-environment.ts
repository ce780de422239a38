/**
 * `FargateBatchEnvironment`: serverless Batch — a Fargate and a Fargate Spot compute environment,
 * a high- and a low-priority queue, and Fargate job definitions.
 * @see https://docs.aws.amazon.com/batch/latest/userguide/fargate.html
 */
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { FargateComputeEnvironment } from '../compute/fargate-compute-environment';
import { ContainerJobDefinition } from '../job/container-job-definition';
import { type FargateContainerOptions, JobContainer } from '../job/job-container';
import type { JobDefinitionProps } from '../job/job-definition-base';
import { BatchkitAwsSolutionsAcknowledgements } from '../nag/aws-solutions-acknowledgements';
import type { JobQueue } from '../queue/job-queue';
import { patternPriorities, patternVpc, priorityQueues, splitJobDefinitionProps, wirePattern } from './pattern-common';

/** Props of {@link FargateBatchEnvironment}. */
export interface FargateBatchEnvironmentProps {
  /**
   * The VPC. Tasks run in its private subnets and need a NAT gateway or VPC endpoints to pull images.
   * @default - a new `BatchVpc`: 2 AZs, public and private subnets, 1 NAT gateway, flow logs
   */
  readonly vpc?: ec2.IVpc;
  /**
   * Subnets of the compute environments.
   * @default - the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Maximum vCPUs of each compute environment.
   * @default 256
   */
  readonly maxvCpus?: number;
  /**
   * Role the jobs assume.
   * @default - a new `JobRole` without permissions
   */
  readonly jobRole?: iam.IRole;
  /**
   * Priority of the high-priority queue (Fargate first, Fargate Spot second).
   * @default 100
   */
  readonly highPriority?: number;
  /**
   * Priority of the low-priority queue (Fargate Spot first, Fargate second).
   * @default 10
   */
  readonly lowPriority?: number;
  /**
   * Add `CfnOutput`s with the queue names and ARNs.
   * @default true
   */
  readonly outputs?: boolean;
}

/** Props of a Fargate job definition: container options plus job definition options. */
export interface FargateJobDefinitionProps extends JobDefinitionProps, Omit<FargateContainerOptions, 'jobRole'> {
  /**
   * Role the job assumes.
   * @default - the environment's `jobRole`
   */
  readonly jobRole?: iam.IRole;
}

/**
 * A Fargate Batch environment: no instances to manage. Fargate Spot runs interruptible jobs at a
 * discount; the low-priority queue tries it first.
 */
export class FargateBatchEnvironment extends Construct {
  /** The VPC. */
  public readonly vpc: ec2.IVpc;
  /** The Fargate compute environment. */
  public readonly fargate: FargateComputeEnvironment;
  /** The Fargate Spot compute environment. */
  public readonly fargateSpot: FargateComputeEnvironment;
  /** The high-priority queue: Fargate, then Fargate Spot. */
  public readonly highPriorityQueue: JobQueue;
  /** The low-priority queue: Fargate Spot, then Fargate. */
  public readonly lowPriorityQueue: JobQueue;
  /** The execution role of the job definitions (Fargate requires one). */
  public readonly executionRole: iam.IRole;
  /** The role jobs assume. */
  public readonly jobRole: iam.IRole;

  constructor(scope: Construct, id: string, props: FargateBatchEnvironmentProps = {}) {
    super(scope, id);
    const priorities = patternPriorities(this, props);
    BatchkitAwsSolutionsAcknowledgements.addTo(this);
    this.vpc = patternVpc(this, props.vpc);
    const common = { vpc: this.vpc, vpcSubnets: props.vpcSubnets, maxvCpus: props.maxvCpus ?? 256 };
    this.fargate = new FargateComputeEnvironment(this, 'Fargate', common);
    this.fargateSpot = new FargateComputeEnvironment(this, 'FargateSpot', { ...common, spot: true });
    const wiring = wirePattern(this, {
      queues: priorityQueues(this.fargate, this.fargateSpot, priorities, {
        primary: 'Fargate',
        secondary: 'Fargate Spot',
      }),
      jobRole: props.jobRole,
      outputs: props.outputs ?? true,
    });
    this.highPriorityQueue = wiring.queues.high;
    this.lowPriorityQueue = wiring.queues.low;
    this.executionRole = wiring.executionRole;
    this.jobRole = wiring.jobRole;
  }

  /** Adds a Fargate job definition that assumes the job role. */
  public addJobDefinition(id: string, props: FargateJobDefinitionProps): ContainerJobDefinition {
    const { definition, container } = splitJobDefinitionProps(props);
    return new ContainerJobDefinition(this, id, {
      ...definition,
      container: JobContainer.fargate({ ...container, jobRole: props.jobRole ?? this.jobRole }),
    });
  }
}
