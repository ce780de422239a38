/**
 * Enums and small structs shared by the managed compute environments; values are the service strings.
 */
import type * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * How a managed EC2/Spot environment picks instances when it needs more capacity.
 * @see https://docs.aws.amazon.com/batch/latest/userguide/allocation-strategies.html
 */
export enum AllocationStrategy {
  /** The best-fitting, cheapest type; waits for it when unavailable. Limits scaling. */
  BEST_FIT = 'BEST_FIT',
  /** Best fit first, then other large-enough types with a low cost per vCPU. */
  BEST_FIT_PROGRESSIVE = 'BEST_FIT_PROGRESSIVE',
  /** Spot only: types least likely to be interrupted. */
  SPOT_CAPACITY_OPTIMIZED = 'SPOT_CAPACITY_OPTIMIZED',
  /** Spot only: low interruption likelihood and low price. AWS's recommendation for Spot. */
  SPOT_PRICE_CAPACITY_OPTIMIZED = 'SPOT_PRICE_CAPACITY_OPTIMIZED',
}

/**
 * The Amazon ECS-optimized AMI family Batch launches.
 * @see https://docs.aws.amazon.com/batch/latest/APIReference/API_Ec2Configuration.html
 */
export enum EcsImageType {
  /** Amazon Linux 2023, ECS-optimized (batchkit's default; no A1 instances). */
  ECS_AL2023 = 'ECS_AL2023',
  /** Amazon Linux 2023 with NVIDIA drivers, for GPU instances. */
  ECS_AL2023_NVIDIA = 'ECS_AL2023_NVIDIA',
  /** Amazon Linux 2 (end of life approaching). */
  ECS_AL2 = 'ECS_AL2',
  /** Amazon Linux 2 with NVIDIA drivers. */
  ECS_AL2_NVIDIA = 'ECS_AL2_NVIDIA',
}

/** One AMI choice of a managed EC2/Spot environment (`computeResources.ec2Configuration[]`). */
export interface ComputeImage {
  /** The ECS-optimized AMI family; also decides which instances the image is used for (NVIDIA → GPU). */
  readonly imageType: EcsImageType;
  /**
   * An AMI that replaces the latest one of `imageType`; it must meet the ECS container-instance AMI
   * specification and match the instances' architecture.
   * @default - the latest AMI of `imageType`, chosen by Batch
   */
  readonly image?: ec2.IMachineImage;
}

/** Whether an image type is an NVIDIA (GPU) image. */
export function isNvidiaImage(type: EcsImageType): boolean {
  return type === EcsImageType.ECS_AL2023_NVIDIA || type === EcsImageType.ECS_AL2_NVIDIA;
}
