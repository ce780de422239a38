/**
 * The array job completion notice (AWS Batch User Guide, "Array jobs" and "EventBridge events"): an
 * array job whose children each handle one index, and an EventBridge rule that matches only the
 * parent's final state (SUCCEEDED or FAILED; a parent has no `detail.container.containerInstanceArn`)
 * and invokes a Node.js Lambda function, which reports the parent's `arrayProperties.statusSummary`.
 * The children's own state changes never invoke it.
 *
 * Submit: aws batch submit-job --job-name work --job-queue <queue> --job-definition array-work --array-size 5
 * Locally: batchkit local run --app cdk.out --job-queue <queue> --job-definition array-work --array-size 5
 *   (set FAIL_INDEX=<i> with --env to make child i fail: the function then sees FAILED)
 */
import * as path from 'path';
import { Duration, RemovalPolicy, Size, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import {
  BatchEnvironment,
  ContainerJobDefinition,
  JobContainer,
  JobEventTarget,
  JobImage,
  type JobStateChangeRule,
} from '../../lib';

/** Directory of the function's code. */
export const ARRAY_COMPLETION_FUNCTION_DIR = path.join(__dirname, 'function');

/** Props of {@link ArrayCompletionStack}. */
export interface ArrayCompletionStackProps extends StackProps {
  /**
   * Image of the array job's children (anything with `sh`).
   * @default JobImage.fromRegistry('public.ecr.aws/docker/library/busybox:stable')
   */
  readonly image?: JobImage;
}

/** An array job and the Lambda function its completion rule invokes. */
export class ArrayCompletionStack extends Stack {
  /** The environment. */
  public readonly batch: BatchEnvironment;
  /** `array-work`: child i exits 1 when FAIL_INDEX is i. */
  public readonly jobDefinition: ContainerJobDefinition;
  /** The function the completion rule invokes. */
  public readonly notifier: lambda.Function;
  /** The rule on the parent's final state. */
  public readonly completionRule: JobStateChangeRule;

  constructor(scope: Construct, id: string, props: ArrayCompletionStackProps = {}) {
    super(scope, id, props);
    this.batch = new BatchEnvironment(this, 'Batch', { onDemandMaxvCpus: 16, spotMaxvCpus: 16 });
    this.jobDefinition = new ContainerJobDefinition(this, 'Work', {
      jobDefinitionName: 'array-work',
      container: JobContainer.ec2({
        image: props.image ?? JobImage.fromRegistry('public.ecr.aws/docker/library/busybox:stable'),
        cpu: 1,
        memory: Size.mebibytes(128),
        command: [
          'sh',
          '-c',
          'echo "item $AWS_BATCH_JOB_ARRAY_INDEX"; test "$AWS_BATCH_JOB_ARRAY_INDEX" != "${FAIL_INDEX:-none}"',
        ],
      }),
    });

    const logGroup = new logs.LogGroup(this, 'NotifierLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // A role of its own with only its log group (not the AWS managed basic execution policy).
    const role = new iam.Role(this, 'NotifierRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Writes the array completion notifier logs',
      inlinePolicies: {
        logs: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              resources: [logGroup.logGroupArn],
            }),
          ],
        }),
      },
    });
    this.notifier = new lambda.Function(this, 'Notifier', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(ARRAY_COMPLETION_FUNCTION_DIR),
      timeout: Duration.seconds(10),
      memorySize: 128,
      role,
      logGroup,
      description: 'Reports how the children of an array job ended',
    });
    this.completionRule = this.batch.highPriorityQueue.onArrayJobComplete('ArrayComplete', {
      jobDefinition: this.jobDefinition,
      target: JobEventTarget.lambda(this.notifier, { retryAttempts: 2 }),
    });
  }
}
