/**
 * Small apps for the `batchkit/testing` tests: one written with batchkit's constructs, one with
 * `aws-cdk-lib/aws-batch` only. Every image is the local test image `local/busybox:test`.
 */
import { App, Size, Stack } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type { Construct } from 'constructs';
import { BatchEnvironment, ContainerJobDefinition, JobContainer, JobImage, type JobQueue } from '../../lib';

/** The test image (imported by scripts/dev-setup.sh). */
export const TEST_IMAGE = 'local/busybox:test';

function job(
  scope: Construct,
  id: string,
  command: string[],
  image = TEST_IMAGE,
  parameters?: Record<string, string>,
): ContainerJobDefinition {
  return new ContainerJobDefinition(scope, id, {
    jobDefinitionName: id.toLowerCase(),
    parameters,
    container: JobContainer.ec2({ image: JobImage.fromRegistry(image), cpu: 1, memory: Size.mebibytes(64), command }),
  });
}

/** batchkit constructs: a BatchEnvironment and four job definitions. */
export class RenderStack extends Stack {
  readonly batch: BatchEnvironment;
  readonly queue: JobQueue;
  /** Prints `rendered <input> <index>`. */
  readonly render: ContainerJobDefinition;
  /** Sleeps five minutes. */
  readonly slow: ContainerJobDefinition;
  /** Names an image the engine does not have. */
  readonly missing: ContainerJobDefinition;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.batch = new BatchEnvironment(this, 'Batch', { onDemandMaxvCpus: 4, spotMaxvCpus: 4 });
    this.queue = this.batch.highPriorityQueue;
    this.render = job(this, 'Render', ['sh', '-c', 'echo rendered Ref::input $AWS_BATCH_JOB_ARRAY_INDEX'], TEST_IMAGE, {
      input: 'none',
    });
    this.slow = job(this, 'Slow', ['sleep', '300']);
    this.missing = job(this, 'Missing', ['true'], 'local/no-such-image:never');
  }
}

/** `aws-cdk-lib/aws-batch` only: a managed EC2 environment, a queue and an ECS job definition. */
export class PlainStack extends Stack {
  readonly queue: batch.JobQueue;
  readonly hello: batch.EcsJobDefinition;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 1, natGateways: 0 });
    const ce = new batch.ManagedEc2EcsComputeEnvironment(this, 'Ce', {
      vpc,
      maxvCpus: 4,
      instanceTypes: [ec2.InstanceType.of(ec2.InstanceClass.M5, ec2.InstanceSize.LARGE)],
      useOptimalInstanceClasses: false,
    });
    this.queue = new batch.JobQueue(this, 'Queue', { computeEnvironments: [{ computeEnvironment: ce, order: 1 }] });
    this.hello = new batch.EcsJobDefinition(this, 'Hello', {
      container: new batch.EcsEc2ContainerDefinition(this, 'Container', {
        image: ecs.ContainerImage.fromRegistry(TEST_IMAGE),
        cpu: 1,
        memory: Size.mebibytes(64),
        command: ['echo', 'hello from aws-batch'],
      }),
    });
  }
}

/** Both stacks in one app. */
export function twoStacks(): { app: App; render: RenderStack; plain: PlainStack } {
  const app = new App();
  return { app, render: new RenderStack(app, 'Render'), plain: new PlainStack(app, 'Plain') };
}
