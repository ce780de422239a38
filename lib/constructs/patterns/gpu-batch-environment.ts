/**
 * `GpuBatchEnvironment`: a Batch environment for GPU jobs — GPU instance types on the NVIDIA
 * variant of the ECS-optimized AMI, a queue, and GPU job definitions.
 * @see https://docs.aws.amazon.com/batch/latest/userguide/gpu-jobs.html
 */
import { Size, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { BatchLaunchTemplate } from '../compute/batch-launch-template';
import { EcsImageType } from '../compute/compute-options';
import { BatchInstanceType } from '../compute/instance-type';
import { ManagedEc2ComputeEnvironment } from '../compute/managed-ec2-compute-environment';
import { ContainerJobDefinition } from '../job/container-job-definition';
import { type Ec2ContainerOptions, JobContainer } from '../job/job-container';
import type { JobDefinitionProps } from '../job/job-definition-base';
import { BatchkitAwsSolutionsAcknowledgements } from '../nag/aws-solutions-acknowledgements';
import { constructError } from '../private/job-findings';
import type { JobQueue } from '../queue/job-queue';
import { patternLaunchTemplate, patternVpc, splitJobDefinitionProps, wirePattern } from './pattern-common';

/** Props of {@link GpuBatchEnvironment}. */
export interface GpuBatchEnvironmentProps {
  /**
   * The VPC.
   * @default - a new `BatchVpc`: 2 AZs, public and private subnets, 1 NAT gateway, flow logs
   */
  readonly vpc?: ec2.IVpc;
  /**
   * GPU instance types or families (G and P families).
   * @default - the g5 and g6 families
   */
  readonly instanceTypes?: BatchInstanceType[];
  /**
   * Maximum vCPUs.
   * @default 64
   */
  readonly maxvCpus?: number;
  /**
   * Use Spot capacity.
   * @default false
   */
  readonly spot?: boolean;
  /**
   * Launch template.
   * @default - a `BatchLaunchTemplate` requiring IMDSv2 with an encrypted 100 GiB gp3 root volume (GPU images are
   * large)
   */
  readonly launchTemplate?: BatchLaunchTemplate;
  /**
   * Role the jobs assume.
   * @default - a new `JobRole` without permissions
   */
  readonly jobRole?: iam.IRole;
  /**
   * Queue priority.
   * @default 1
   */
  readonly priority?: number;
  /**
   * Add `CfnOutput`s with the queue name and ARN.
   * @default true
   */
  readonly outputs?: boolean;
}

/** Props of a GPU job definition: container options plus job definition options. */
export interface GpuJobDefinitionProps extends JobDefinitionProps, Omit<Ec2ContainerOptions, 'gpu' | 'jobRole'> {
  /**
   * GPUs per job.
   * @default 1
   */
  readonly gpu?: number;
  /**
   * Role the job assumes.
   * @default - the environment's `jobRole`
   */
  readonly jobRole?: iam.IRole;
}

/** GPU families the environment accepts (the NVIDIA AMI runs on these). */
const GPU_FAMILY = /^(g\d|p\d)/;

/**
 * A GPU Batch environment: a managed EC2 (or Spot) compute environment of GPU instances booted from
 * `ECS_AL2023_NVIDIA`, one job queue, and `addJobDefinition()` for jobs that reserve GPUs.
 */
export class GpuBatchEnvironment extends Construct {
  /** The VPC. */
  public readonly vpc: ec2.IVpc;
  /** The GPU compute environment. */
  public readonly computeEnvironment: ManagedEc2ComputeEnvironment;
  /** The job queue. */
  public readonly jobQueue: JobQueue;
  /** The execution role of the job definitions. */
  public readonly executionRole: iam.IRole;
  /** The role jobs assume. */
  public readonly jobRole: iam.IRole;

  constructor(scope: Construct, id: string, props: GpuBatchEnvironmentProps = {}) {
    super(scope, id);
    BatchkitAwsSolutionsAcknowledgements.addTo(this);
    const instanceTypes = props.instanceTypes ?? [
      BatchInstanceType.family(ec2.InstanceClass.G5),
      BatchInstanceType.family(ec2.InstanceClass.G6),
    ];
    for (const t of instanceTypes) {
      if (!Token.isUnresolved(t.name) && !GPU_FAMILY.test(t.name)) {
        throw constructError(this, 'BATCHKIT-CDK-016', `instance type "${t.name}" has no GPU.`, {
          value: t.name,
          allowed: 'G and P families or types (g5, g6, g6e, p4d, p5, g5.xlarge, ...)',
          fix: 'list GPU instance types only, or use BatchEnvironment for CPU jobs.',
        });
      }
    }
    this.vpc = patternVpc(this, props.vpc);
    this.computeEnvironment = new ManagedEc2ComputeEnvironment(this, 'Gpu', {
      vpc: this.vpc,
      spot: props.spot,
      instanceTypes,
      images: [{ imageType: EcsImageType.ECS_AL2023_NVIDIA }],
      maxvCpus: props.maxvCpus ?? 64,
      launchTemplate: props.launchTemplate ?? patternLaunchTemplate(this, Size.gibibytes(100)),
    });
    const wiring = wirePattern(this, {
      queues: {
        gpu: {
          id: 'Queue',
          priority: props.priority ?? 1,
          computeEnvironments: [this.computeEnvironment],
          outputPrefix: 'GpuQueue',
          nameDescription: 'Job queue of the GPU environment',
          arnDescription: 'ARN of the GPU job queue',
        },
      },
      jobRole: props.jobRole,
      outputs: props.outputs ?? true,
    });
    this.jobQueue = wiring.queues.gpu;
    this.executionRole = wiring.executionRole;
    this.jobRole = wiring.jobRole;
  }

  /** Adds a job definition whose container reserves `gpu` GPUs (default 1) and assumes the job role. */
  public addJobDefinition(id: string, props: GpuJobDefinitionProps): ContainerJobDefinition {
    const { definition, container } = splitJobDefinitionProps(props);
    return new ContainerJobDefinition(this, id, {
      ...definition,
      container: JobContainer.ec2({ ...container, gpu: props.gpu ?? 1, jobRole: props.jobRole ?? this.jobRole }),
    });
  }
}
