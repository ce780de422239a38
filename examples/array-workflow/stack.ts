/**
 * The AWS Batch User Guide's "Example Array Job Workflow": JobA lists and validates the input,
 * JobB (an array job) processes each item after JobA, JobC (an array job of the same size) handles
 * item i as soon as JobB's child i is done (N_TO_N), JobD runs 10 validation steps one after the
 * other (SEQUENTIAL), and JobE cleans up. A Step Functions state machine submits the five jobs in
 * order (each with `dependsOn` on the previous job id); Batch runs them as their dependencies
 * succeed, and an SNS topic hears when JobE ends.
 *
 * Start it: aws stepfunctions start-execution --state-machine-arn <StateMachineArn output>
 * Locally:  batchkit local start-execution --app cdk.out --state-machine ArrayWorkflow/Workflow/StateMachine
 *   (the jobs run on Docker; the SNS notice is written to .batchkit/app/outbox.jsonl)
 */
import { Size, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import {
  BatchEnvironment,
  BatchPipeline,
  ContainerJobDefinition,
  JobContainer,
  JobImage,
  StageDependency,
} from '../../lib';

/** Props of {@link ArrayWorkflowStack}. */
export interface ArrayWorkflowStackProps extends StackProps {
  /**
   * Array size of JobB and JobC (the guide uses 10,000).
   * @default 100
   */
  readonly itemCount?: number;
  /**
   * Image of the five jobs (anything with `sh` and `echo`).
   * @default JobImage.fromRegistry('public.ecr.aws/amazonlinux/amazonlinux:2023')
   */
  readonly image?: JobImage;
}

/** The array job workflow on a `BatchEnvironment`, driven by a `BatchPipeline`. */
export class ArrayWorkflowStack extends Stack {
  /** The environment. */
  public readonly batch: BatchEnvironment;
  /** The pipeline. */
  public readonly pipeline: BatchPipeline;

  constructor(scope: Construct, id: string, props: ArrayWorkflowStackProps = {}) {
    super(scope, id, props);
    const items = props.itemCount ?? 100;
    this.batch = new BatchEnvironment(this, 'Batch', { onDemandMaxvCpus: 64, spotMaxvCpus: 256 });
    const image = props.image ?? JobImage.fromRegistry('public.ecr.aws/amazonlinux/amazonlinux:2023');
    const job = (name: string, cpu: number, memoryMiB: number, script: string): ContainerJobDefinition =>
      new ContainerJobDefinition(this, name, {
        jobDefinitionName: name,
        container: JobContainer.ec2({
          image,
          cpu,
          memory: Size.mebibytes(memoryMiB),
          command: ['sh', '-c', script],
          jobRole: this.batch.jobRole,
        }),
      });
    this.pipeline = new BatchPipeline(this, 'Workflow', {
      jobQueue: this.batch.highPriorityQueue,
      stages: [
        { name: 'JobA', jobDefinition: job('JobA-list-and-validate', 1, 2048, 'echo listing and validating input') },
        {
          name: 'JobB',
          jobDefinition: job(
            'JobB-CPU-Intensive-Processing',
            4,
            4096,
            'echo processing item $AWS_BATCH_JOB_ARRAY_INDEX',
          ),
          arraySize: items,
        },
        {
          name: 'JobC',
          jobDefinition: job(
            'JobC-Memory-Intensive-Processing',
            1,
            8192,
            'echo transforming item $AWS_BATCH_JOB_ARRAY_INDEX',
          ),
          arraySize: items,
          dependency: StageDependency.N_TO_N,
        },
        {
          name: 'JobD',
          jobDefinition: job('JobD-Sequential-Validation', 1, 2048, 'echo validation step $AWS_BATCH_JOB_ARRAY_INDEX'),
          arraySize: 10,
          sequential: true,
        },
        { name: 'JobE', jobDefinition: job('JobE-Cleanup-and-Notification', 1, 2048, 'echo cleaning up') },
      ],
    });
  }
}
