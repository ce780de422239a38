/**
 * The same Batch infrastructure written twice — with batchkit and with `aws-cdk-lib/aws-batch` —
 * for the synth benchmark and the side-by-side tests: one VPC, an EC2 and a Fargate compute
 * environment, a queue on each, and N container job definitions (even: EC2, odd: Fargate).
 */
import { App, Duration, Size, Stack } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { BatchInstanceType } from '../lib/constructs/compute/instance-type';
import { FargateComputeEnvironment } from '../lib/constructs/compute/fargate-compute-environment';
import { ManagedEc2ComputeEnvironment } from '../lib/constructs/compute/managed-ec2-compute-environment';
import { ContainerJobDefinition } from '../lib/constructs/job/container-job-definition';
import { JobContainer } from '../lib/constructs/job/job-container';
import { JobImage } from '../lib/constructs/job/job-image';
import { JobQueue } from '../lib/constructs/queue/job-queue';

/** The image every benchmark job runs. */
export const BENCH_IMAGE = 'public.ecr.aws/docker/library/busybox:1.36';
const ENV = { account: '123456789012', region: 'us-east-1' };

/** What both builders return. */
export interface BenchStack {
  /** The app (synthesize with `app.synth()`). */
  readonly app: App;
  /** The stack. */
  readonly stack: Stack;
}

/** Options of the builders. */
export interface BenchStackOptions {
  /**
   * vCPUs of the Fargate jobs (aws-cdk-lib's README example uses 256, meaning CPU units).
   * @default 1
   */
  readonly fargateCpu?: number;
  /** App output directory. @default - a temporary directory */
  readonly outdir?: string;
  /**
   * App context, e.g. `{ '@aws-cdk/core:stackResourceLimit': 0 }` to lift the 500-resource check.
   * @default - none
   */
  readonly context?: Record<string, unknown>;
}

/** The stack with batchkit constructs. */
export function buildBatchkitStack(jobs: number, options: BenchStackOptions = {}): BenchStack {
  const app = new App({ outdir: options.outdir, context: options.context });
  const stack = new Stack(app, 'Batchkit', { env: ENV });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const ec2Ce = new ManagedEc2ComputeEnvironment(stack, 'Ec2', {
    vpc,
    instanceTypes: [BatchInstanceType.of(ec2.InstanceClass.C5, ec2.InstanceSize.XLARGE)],
    maxvCpus: 64,
  });
  const fargateCe = new FargateComputeEnvironment(stack, 'Fargate', { vpc, maxvCpus: 64 });
  new JobQueue(stack, 'Ec2Queue', { computeEnvironments: [{ computeEnvironment: ec2Ce, order: 1 }] });
  new JobQueue(stack, 'FargateQueue', { computeEnvironments: [{ computeEnvironment: fargateCe, order: 1 }] });
  const image = JobImage.fromRegistry(BENCH_IMAGE);
  for (let i = 0; i < jobs; i++) {
    const common = { image, memory: Size.gibibytes(2), command: ['echo', 'Ref::message'] };
    new ContainerJobDefinition(stack, `Job${i}`, {
      container:
        i % 2 === 0
          ? JobContainer.ec2({ ...common, cpu: 1 })
          : JobContainer.fargate({ ...common, cpu: options.fargateCpu ?? 1 }),
      parameters: { message: `job ${i}` },
      timeout: Duration.minutes(10),
    });
  }
  return { app, stack };
}

/** The same stack with `aws-cdk-lib/aws-batch`. */
export function buildAwsCdkLibStack(jobs: number, options: BenchStackOptions = {}): BenchStack {
  const app = new App({ outdir: options.outdir, context: options.context });
  const stack = new Stack(app, 'AwsCdkLib', { env: ENV });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const ec2Ce = new batch.ManagedEc2EcsComputeEnvironment(stack, 'Ec2', {
    vpc,
    instanceTypes: [ec2.InstanceType.of(ec2.InstanceClass.C5, ec2.InstanceSize.XLARGE)],
    useOptimalInstanceClasses: false,
    maxvCpus: 64,
  });
  const fargateCe = new batch.FargateComputeEnvironment(stack, 'Fargate', { vpc, maxvCpus: 64 });
  new batch.JobQueue(stack, 'Ec2Queue', { computeEnvironments: [{ computeEnvironment: ec2Ce, order: 1 }] });
  new batch.JobQueue(stack, 'FargateQueue', { computeEnvironments: [{ computeEnvironment: fargateCe, order: 1 }] });
  const image = ecs.ContainerImage.fromRegistry(BENCH_IMAGE);
  for (let i = 0; i < jobs; i++) {
    const common = { image, memory: Size.gibibytes(2), command: ['echo', 'Ref::message'] };
    const container =
      i % 2 === 0
        ? new batch.EcsEc2ContainerDefinition(stack, `Container${i}`, { ...common, cpu: 1 })
        : new batch.EcsFargateContainerDefinition(stack, `Container${i}`, { ...common, cpu: options.fargateCpu ?? 1 });
    new batch.EcsJobDefinition(stack, `Job${i}`, {
      container,
      parameters: { message: `job ${i}` },
      timeout: Duration.minutes(10),
    });
  }
  return { app, stack };
}
