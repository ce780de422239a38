/**
 * The app around the jobs, as an assembly declares it: EventBridge rules and their targets, Lambda
 * functions, Step Functions state machines, SNS topics (with their subscriptions) and SQS queues.
 * Read by `loadAppModel` (lib/core/assembly) and run by the local executor (lib/local/app).
 */
import type { SourceLocation } from './common';

/** Where a Lambda function's code is. */
export type LambdaCode =
  /** An asset directory of the assembly (the handler file is in it). */
  | { readonly kind: 'directory'; readonly path: string }
  /** A zip file asset (local runs need the directory form). */
  | { readonly kind: 'zip'; readonly path: string }
  /** `Code.ZipFile`: the source text of a single-file function. */
  | { readonly kind: 'inline'; readonly source: string }
  /** An S3 object that is no asset of the assembly, or an image: not runnable locally. */
  | { readonly kind: 'unavailable'; readonly reason: string };

/** `AWS::Lambda::Function`. */
export interface LambdaFunctionModel {
  /** Logical id. */
  readonly logicalId: string;
  /** Stack artifact id. */
  readonly stack: string;
  /** FunctionName (set or generated). */
  readonly functionName: string;
  /** `arn:aws:lambda:<region>:<account>:function:<name>`. */
  readonly arn: string;
  /**
   * ARNs of its aliases and versions (`AWS::Lambda::Alias`, `AWS::Lambda::Version`): invoking them runs this
   * function.
   */
  readonly qualifiedArns: readonly string[];
  /** Runtime (`nodejs20.x`, `python3.12`); absent for image functions. */
  readonly runtime?: string;
  /** Handler (`index.handler`). */
  readonly handler?: string;
  /** Environment variables (unresolved values as their placeholder text). */
  readonly environment: Readonly<Record<string, string>>;
  /** Timeout in seconds. @default 3 (Lambda's default) */
  readonly timeoutSeconds: number;
  /** Memory in MiB. @default 128 */
  readonly memoryMiB: number;
  /** Its code. */
  readonly code: LambdaCode;
  /** Where it is declared (stack, logical id, construct path). */
  readonly source: SourceLocation;
}

/** `InputTransformer` of a rule target. */
export interface InputTransformerModel {
  /** Variable → JSON path into the event. */
  readonly inputPathsMap: Readonly<Record<string, string>>;
  /** Template with `<variable>` placeholders. */
  readonly inputTemplate: string;
}

/** `BatchParameters` of a rule target. */
export interface BatchTargetParameters {
  /** Job definition name or ARN. */
  readonly jobDefinition: string;
  /** Job name. */
  readonly jobName: string;
  /** Array size. @default - not an array job */
  readonly arraySize?: number;
  /** Retry attempts. @default - the job definition's */
  readonly attempts?: number;
}

/** What kind of resource a target is. */
export type RuleTargetKind = 'lambda' | 'batch' | 'state-machine' | 'sns' | 'sqs' | 'other';

/** One target of a rule. */
export interface RuleTargetModel {
  /** Target `Id`. */
  readonly id: string;
  /** Target `Arn`, resolved. */
  readonly arn: string;
  /** What it is (by the resource it references, else by the ARN's service). */
  readonly kind: RuleTargetKind;
  /** Logical id of the resource of the app it references, when it is one. */
  readonly logicalId?: string;
  /** Constant JSON text sent instead of the event. @default - the event (or the InputPath / InputTransformer result) */
  readonly input?: string;
  /** JSON path of the part of the event to send. @default - the whole event */
  readonly inputPath?: string;
  /** Input transformer. @default - none */
  readonly inputTransformer?: InputTransformerModel;
  /** Batch job queue targets. */
  readonly batchParameters?: BatchTargetParameters;
  /** `RetryPolicy.MaximumRetryAttempts`. @default 185 (EventBridge's) */
  readonly maximumRetryAttempts?: number;
}

/** `AWS::Events::Rule`. */
export interface EventRuleModel {
  /** Logical id. */
  readonly logicalId: string;
  /** Stack artifact id. */
  readonly stack: string;
  /** Name (set or generated). */
  readonly name: string;
  /** Event bus name (`default` unless set). */
  readonly eventBusName: string;
  /** ENABLED, DISABLED or ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS. @default 'ENABLED' */
  readonly state: string;
  /** The event pattern after intrinsic resolution; absent for schedule-only rules. */
  readonly eventPattern?: Readonly<Record<string, unknown>>;
  /** `ScheduleExpression`, when set (not run locally). */
  readonly scheduleExpression?: string;
  /** Targets, in template order. */
  readonly targets: readonly RuleTargetModel[];
  /** Where it is declared (stack, logical id, construct path). */
  readonly source: SourceLocation;
}

/** `AWS::StepFunctions::StateMachine`. */
export interface StateMachineModel {
  /** Logical id. */
  readonly logicalId: string;
  /** Stack artifact id. */
  readonly stack: string;
  /** Name (set or generated). */
  readonly name: string;
  /** ARN. */
  readonly arn: string;
  /** The ASL definition, parsed; absent when it cannot be read (see `definitionProblem`). */
  readonly definition?: Readonly<Record<string, unknown>>;
  /** Why the definition could not be read (an S3 location that is no asset, bad JSON). */
  readonly definitionProblem?: string;
  /** Where it is declared (stack, logical id, construct path). */
  readonly source: SourceLocation;
}

/** A subscription of an SNS topic. */
export interface TopicSubscriptionModel {
  /** `lambda`, `sqs`, `email`, `https`, ... */
  readonly protocol: string;
  /** Endpoint, resolved. */
  readonly endpoint: string;
  /** Raw message delivery (SQS). @default false */
  readonly rawMessageDelivery: boolean;
}

/** `AWS::SNS::Topic`. */
export interface SnsTopicModel {
  /** Logical id. */
  readonly logicalId: string;
  /** Stack artifact id. */
  readonly stack: string;
  /** Name. */
  readonly name: string;
  /** ARN (what `Ref` returns). */
  readonly arn: string;
  /** Subscriptions, from the topic's `Subscription` property and `AWS::SNS::Subscription` resources. */
  readonly subscriptions: readonly TopicSubscriptionModel[];
}

/** `AWS::SQS::Queue`. */
export interface SqsQueueModel {
  /** Logical id. */
  readonly logicalId: string;
  /** Stack artifact id. */
  readonly stack: string;
  /** Name. */
  readonly name: string;
  /** ARN. */
  readonly arn: string;
  /** URL (what `Ref` returns). */
  readonly url: string;
}

/** The app around the jobs. */
export interface AppModel {
  /** EventBridge rules. */
  readonly rules: EventRuleModel[];
  /** Lambda functions. */
  readonly functions: LambdaFunctionModel[];
  /** State machines. */
  readonly stateMachines: StateMachineModel[];
  /** SNS topics. */
  readonly topics: SnsTopicModel[];
  /** SQS queues. */
  readonly queues: SqsQueueModel[];
  /** What could not be read, per resource. */
  readonly notes: string[];
}
