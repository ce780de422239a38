/**
 * A Batch environment written with `aws-cdk-lib/aws-batch` alone, without batchkit's constructs.
 * `batchkit validate` and `batchkit local run` work on its synthesized template all the same:
 * they read the template, not the constructs.
 */
import { Duration, Size, Stack, type StackProps } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type { Construct } from 'constructs';

/** Props of {@link PlainAwsBatchStack}. */
export interface PlainAwsBatchStackProps extends StackProps {
  /**
   * Image of the job.
   * @default - `public.ecr.aws/amazonlinux/amazonlinux:latest`
   */
  readonly image?: string;
}

/** One VPC, a managed EC2 environment, a queue and a "hello world" job definition. */
export class PlainAwsBatchStack extends Stack {
  constructor(scope: Construct, id: string, props: PlainAwsBatchStackProps = {}) {
    super(scope, id, props);
    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 2, natGateways: 1 });
    const ce = new batch.ManagedEc2EcsComputeEnvironment(this, 'OnDemand', {
      vpc,
      maxvCpus: 16,
      instanceTypes: [ec2.InstanceType.of(ec2.InstanceClass.M5, ec2.InstanceSize.LARGE)],
      useOptimalInstanceClasses: false,
    });
    new batch.JobQueue(this, 'Queue', {
      jobQueueName: 'plain-queue',
      priority: 10,
      computeEnvironments: [{ computeEnvironment: ce, order: 1 }],
    });
    new batch.EcsJobDefinition(this, 'HelloJob', {
      jobDefinitionName: 'plain-hello',
      retryAttempts: 2,
      timeout: Duration.minutes(5),
      parameters: { greeting: 'hello' },
      container: new batch.EcsEc2ContainerDefinition(this, 'HelloContainer', {
        image: ecs.ContainerImage.fromRegistry(props.image ?? 'public.ecr.aws/amazonlinux/amazonlinux:latest'),
        cpu: 1,
        memory: Size.mebibytes(512),
        command: ['echo', 'Ref::greeting'],
      }),
    });
  }
}
