/**
 * `BatchPipeline`: the AWS Batch User Guide's "Example Array Job Workflow" — a chain of jobs
 * (a job, an array job after it, an `N_TO_N` array job, a `SEQUENTIAL` array job, ...) submitted
 * in order by a Step Functions state machine, with a completion notification to SNS.
 *
 * Why Step Functions and not EventBridge Scheduler: each submission needs the job id of the one
 * before it (`dependsOn`), and only a state machine can pass a result from one `SubmitJob` call to
 * the next. The state machine only submits (`REQUEST_RESPONSE`): Batch holds the jobs in PENDING and
 * runs them as their dependencies succeed, so an execution takes seconds whatever the jobs take.
 * An optional EventBridge schedule starts it.
 * @see https://docs.aws.amazon.com/batch/latest/userguide/example_array_job.html
 */
import { Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { JobEventTarget } from '../events/job-event-target';
import { JobState, JobStateChangeRule } from '../events/job-state-change-rule';
import { BatchkitAwsSolutionsAcknowledgements } from '../nag/aws-solutions-acknowledgements';
import type { IJobQueue } from '../queue/job-queue-base';
import { addOutputs } from './pattern-common';
import { type PipelineStage, stageDependsOn, validateStages } from './pipeline-stage';

/** Props of {@link BatchPipeline}. */
export interface BatchPipelineProps {
  /** The queue the stages are submitted to (a stage may name its own). */
  readonly jobQueue: IJobQueue;
  /** The jobs, in order; each depends on the one before it. */
  readonly stages: PipelineStage[];
  /**
   * Topic notified when the last stage ends (SUCCEEDED or FAILED; a failed stage fails every stage
   * after it, so a failure anywhere is reported too).
   * @default - a new topic encrypted with a new KMS key (rotation on), HTTPS-only
   */
  readonly notificationTopic?: sns.ITopic;
  /**
   * Start the pipeline on a schedule.
   * @default - no schedule: start it with `StartExecution` (console, CLI, SDK)
   */
  readonly schedule?: events.Schedule;
  /**
   * Retention of the state machine's execution logs.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * Submits a chain of Batch jobs with the dependency shapes of the guide's array job workflow, and
 * notifies an SNS topic when the last one ends.
 */
export class BatchPipeline extends Construct {
  /** The state machine that submits the stages. */
  public readonly stateMachine: sfn.StateMachine;
  /** The topic notified when the last stage ends. */
  public readonly notificationTopic: sns.ITopic;
  /** The rule that publishes the last stage's final state change to the topic. */
  public readonly completionRule: JobStateChangeRule;
  /** The schedule rule, when `schedule` is given. */
  public readonly scheduleRule?: events.Rule;

  constructor(scope: Construct, id: string, props: BatchPipelineProps) {
    super(scope, id);
    validateStages(this, props.stages);
    BatchkitAwsSolutionsAcknowledgements.addTo(this);

    let chain: (sfn.IChainable & sfn.INextable) | undefined;
    let first: sfn.IChainable | undefined;
    props.stages.forEach((stage, i) => {
      const task = new tasks.BatchSubmitJob(this, `Submit${i}`, {
        stateName: `Submit ${stage.name}`,
        jobName: stage.name,
        jobQueueArn: (stage.jobQueue ?? props.jobQueue).jobQueueArn,
        jobDefinitionArn: stage.jobDefinition.jobDefinitionArn,
        arraySize: stage.arraySize,
        dependsOn: nonEmpty(
          stageDependsOn(stage, i, i > 0 ? sfn.JsonPath.stringAt(`$.jobIds.stage${i - 1}.JobId`) : undefined),
        ),
        integrationPattern: sfn.IntegrationPattern.REQUEST_RESPONSE,
        resultSelector: { 'JobId.$': '$.JobId', 'JobName.$': '$.JobName' },
        resultPath: `$.jobIds.stage${i}`,
      });
      if (chain) chain.next(task);
      else first = task;
      chain = task;
    });

    const logGroup = new logs.LogGroup(this, 'ExecutionLogs', {
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      definitionBody: sfn.DefinitionBody.fromChainable(first as sfn.IChainable),
      comment: `Submits ${props.stages.map((s) => s.name).join(' -> ')} to AWS Batch (batchkit)`,
      timeout: Duration.minutes(15),
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });
    acknowledgeServiceWildcards(this.stateMachine);

    this.notificationTopic = props.notificationTopic ?? this.newTopic();
    const last = props.stages[props.stages.length - 1];
    this.completionRule = new JobStateChangeRule(this, 'Completion', {
      jobQueue: last.jobQueue ?? props.jobQueue,
      jobDefinition: last.jobDefinition,
      states: [JobState.SUCCEEDED, JobState.FAILED],
      arrayParentOnly: last.arraySize !== undefined,
      description: `Pipeline stage "${last.name}" ended (batchkit BatchPipeline ${this.node.path})`,
      target: JobEventTarget.sns(this.notificationTopic),
    });

    if (props.schedule) {
      this.scheduleRule = new events.Rule(this, 'Schedule', {
        schedule: props.schedule,
        description: `Starts the Batch pipeline ${this.node.path} (batchkit)`,
        targets: [new eventTargets.SfnStateMachine(this.stateMachine)],
      });
    }
    addOutputs(this, {
      StateMachineArn: {
        value: this.stateMachine.stateMachineArn,
        description: 'Start an execution to run the pipeline',
      },
      NotificationTopicArn: {
        value: this.notificationTopic.topicArn,
        description: 'Subscribe to hear when the pipeline ends',
      },
    });
  }

  private newTopic(): sns.Topic {
    const key = new kms.Key(this, 'TopicKey', {
      enableKeyRotation: true,
      description: `Encrypts the notification topic of ${this.node.path} (batchkit)`,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // EventBridge publishes to an encrypted topic only when the key lets it.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    return new sns.Topic(this, 'Notifications', { masterKey: key, enforceSSL: true, displayName: 'Batch pipeline' });
  }
}

function nonEmpty<T>(list: T[]): T[] | undefined {
  return list.length ? list : undefined;
}

/**
 * Step Functions' log delivery and X-Ray calls support only `Resource: "*"`, and aws-cdk-lib's
 * BatchSubmitJob grants `job-definition/*`; acknowledge exactly those findings on the state machine's role.
 */
function acknowledgeServiceWildcards(stateMachine: sfn.StateMachine): void {
  if (stateMachine.role instanceof iam.Role) {
    const stack = Stack.of(stateMachine);
    const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
    const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
    Validations.of(stateMachine.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:batch:${region}:${account}:job-definition/*]`,
      reason:
        "aws-cdk-lib's BatchSubmitJob task grants batch:SubmitJob on every job " +
        'definition of the account and Region (the revision submitted is chosen ' +
        'at run time); the same statement names the job queue, so only this ' +
        "pipeline's queue accepts the jobs.",
    });
    Validations.of(stateMachine.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Step Functions needs ' +
        'logs:CreateLogDelivery/GetLogDelivery/UpdateLogDelivery/DeleteLogDelivery/ListLogDeliveries/' +
        'PutResourcePolicy/DescribeResourcePolicies/DescribeLogGroups and ' +
        'xray:PutTraceSegments/PutTelemetryRecords/GetSamplingRules/GetSamplingTargets, ' +
        'which support only Resource "*" (Step Functions developer guide, "IAM ' +
        'policies for logging to CloudWatch Logs" and "X-Ray").',
    });
  }
}
