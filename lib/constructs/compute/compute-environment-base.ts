/**
 * What every batchkit compute environment exposes to queues, job definitions and checks.
 */
import type { IResource } from 'aws-cdk-lib';
import type { ComputeEnvironment } from '../../core/model/compute-environment';

/** CPU architecture of a compute environment's instances. */
export type Architecture = 'x86_64' | 'arm64';

/** A compute environment, created here or imported. */
export interface IComputeEnvironment extends IResource {
  /** Name of the compute environment. @attribute */
  readonly computeEnvironmentName: string;
  /** ARN of the compute environment. @attribute */
  readonly computeEnvironmentArn: string;
  /** `EC2` for EC2/Spot/unmanaged environments, `FARGATE` for Fargate ones. */
  readonly platform: 'EC2' | 'FARGATE';
  /**
   * Architecture of the instances.
   * @default - undefined for imported environments whose architecture is unknown
   */
  readonly architecture?: Architecture;
  /**
   * The environment in the Batch API's shape, for batchkit's rules (queue placement checks).
   * Undefined for imported environments.
   */
  readonly model?: ComputeEnvironment;
}
