/**
 * Getting started: the AWS Batch User Guide's first-run job — a `busybox` container that prints
 * "hello world" — on a complete, secure environment made by one `new BatchEnvironment()`.
 *
 * After `cdk deploy`, submit it:
 *   aws batch submit-job --job-name first-run-job \
 *     --job-queue <HighPriorityQueueName output> --job-definition first-run-job-definition
 * or run it locally without AWS: `batchkit local run --job-definition first-run-job-definition`.
 */
import { Duration, Size, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { BatchEnvironment, ContainerJobDefinition, JobContainer, JobImage } from '../../lib';

/** The first-run job on a `BatchEnvironment`. */
export class GettingStartedStack extends Stack {
  /** The environment: VPC, roles, launch template, On-Demand + Spot, two queues. */
  public readonly batch: BatchEnvironment;
  /** `first-run-job-definition`. */
  public readonly jobDefinition: ContainerJobDefinition;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    this.batch = new BatchEnvironment(this, 'Batch', { onDemandMaxvCpus: 16, spotMaxvCpus: 16 });
    this.jobDefinition = new ContainerJobDefinition(this, 'FirstRunJob', {
      jobDefinitionName: 'first-run-job-definition',
      timeout: Duration.minutes(10),
      container: JobContainer.ec2({
        image: JobImage.fromRegistry('busybox'),
        cpu: 2,
        memory: Size.mebibytes(2000),
        command: ['echo', 'hello world'],
        jobRole: this.batch.jobRole,
      }),
    });
  }
}
