/**
 * A GPU job: `nvidia-smi` in a CUDA image, on a `GpuBatchEnvironment` (g5/g6 instances booted
 * from the ECS-optimized AL2023 NVIDIA AMI). The job reserves one GPU (a `GPU` resource
 * requirement); Batch exposes it through NVIDIA_VISIBLE_DEVICES.
 */
import { Duration, Size, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { type ContainerJobDefinition, GpuBatchEnvironment, JobImage } from '../../lib';

/** A GPU environment and a one-GPU job definition. */
export class GpuStack extends Stack {
  /** The environment. */
  public readonly batch: GpuBatchEnvironment;
  /** `gpu-smoke-test`. */
  public readonly jobDefinition: ContainerJobDefinition;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    this.batch = new GpuBatchEnvironment(this, 'Gpu', { maxvCpus: 32 });
    this.jobDefinition = this.batch.addJobDefinition('SmokeTest', {
      jobDefinitionName: 'gpu-smoke-test',
      image: JobImage.fromRegistry('public.ecr.aws/docker/library/nvidia/cuda:12.4.1-base-ubuntu22.04'),
      cpu: 4,
      memory: Size.gibibytes(15),
      gpu: 1,
      command: ['nvidia-smi'],
      timeout: Duration.minutes(10),
    });
  }
}
