/**
 * Spot with a retry strategy: jobs on the low-priority queue (Spot first) are retried when Spot
 * reclaims their instance — the status reason then starts with "Host EC2" — and fail at once on
 * an application error (non-zero exit code), as the guide's "Automated job retries" recommends.
 */
import { Duration, Size, Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import {
  Action,
  BatchEnvironment,
  BatchInstanceType,
  ContainerJobDefinition,
  JobContainer,
  JobImage,
  JobRetryStrategy,
  Reason,
} from '../../lib';

/** A Spot-first environment and a job definition that retries on Spot interruptions only. */
export class SpotRetryStack extends Stack {
  /** The environment. */
  public readonly batch: BatchEnvironment;
  /** `spot-retry`. */
  public readonly jobDefinition: ContainerJobDefinition;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    this.batch = new BatchEnvironment(this, 'Batch', {
      // Several families: more Spot pools, fewer interruptions.
      spotInstanceTypes: [
        ec2.InstanceClass.M6I,
        ec2.InstanceClass.M5,
        ec2.InstanceClass.C6I,
        ec2.InstanceClass.R6I,
      ].map((c) => BatchInstanceType.family(c)),
      spotMaxvCpus: 128,
      onDemandMaxvCpus: 16,
    });
    this.jobDefinition = new ContainerJobDefinition(this, 'Job', {
      jobDefinitionName: 'spot-retry',
      retryAttempts: 5,
      retryStrategies: [
        JobRetryStrategy.of(Action.RETRY, Reason.SPOT_INSTANCE_RECLAIMED),
        JobRetryStrategy.of(Action.EXIT, Reason.NON_ZERO_EXIT_CODE),
      ],
      timeout: Duration.hours(1),
      container: JobContainer.ec2({
        image: JobImage.fromRegistry('public.ecr.aws/amazonlinux/amazonlinux:2023'),
        cpu: 2,
        memory: Size.gibibytes(4),
        command: ['sh', '-c', 'echo attempt $AWS_BATCH_JOB_ATTEMPT; sleep 60'],
        jobRole: this.batch.jobRole,
      }),
    });
  }
}
