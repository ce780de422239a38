/**
 * The AWS Batch User Guide tutorial "Using the array job index to control job differentiation":
 * an image built from `./image` (a CDK Docker image asset) whose entry point prints the line of
 * `colors.txt` selected by `AWS_BATCH_JOB_ARRAY_INDEX`.
 *
 * Submit an array job of 7 children (one per colour):
 *   aws batch submit-job --job-name print-color --job-queue <queue> \
 *     --job-definition print-color --array-properties size=7
 * Child 0 prints "My favorite color of the rainbow is red.", child 6 "... violet."
 * Locally: `batchkit local run --job-definition print-color --array-size 7`.
 */
import * as path from 'path';
import { Size, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { BatchEnvironment, ContainerJobDefinition, JobContainer, JobImage } from '../../lib';

/** Directory of the tutorial's Dockerfile, print-color.sh and colors.txt. */
export const PRINT_COLOR_IMAGE_DIR = path.join(__dirname, 'image');

/** The print-color array job tutorial. */
export class PrintColorStack extends Stack {
  /** The environment. */
  public readonly batch: BatchEnvironment;
  /** `print-color`. */
  public readonly jobDefinition: ContainerJobDefinition;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    this.batch = new BatchEnvironment(this, 'Batch', { onDemandMaxvCpus: 16, spotMaxvCpus: 16 });
    this.jobDefinition = new ContainerJobDefinition(this, 'PrintColor', {
      jobDefinitionName: 'print-color',
      container: JobContainer.ec2({
        image: JobImage.fromAsset(PRINT_COLOR_IMAGE_DIR),
        cpu: 1,
        memory: Size.mebibytes(250),
      }),
    });
  }
}
