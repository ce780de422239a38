/**
 * Targets for job-state rules with the delivery settings that matter: a dead-letter queue for
 * events EventBridge cannot deliver, retries and maximum event age.
 */
import type { Duration } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';

/** Delivery settings of a job event target. */
export interface JobEventTargetOptions {
  /**
   * Queue that receives events EventBridge could not deliver.
   * @default - undeliverable events are dropped after the retries
   */
  readonly deadLetterQueue?: sqs.IQueue;
  /**
   * Retries of a failed delivery (0–185).
   * @default 185
   */
  readonly retryAttempts?: number;
  /**
   * How long EventBridge keeps retrying an event (1 minute – 24 hours).
   * @default Duration.hours(24)
   */
  readonly maxEventAge?: Duration;
  /**
   * What the target receives.
   * @default - the whole "Batch Job State Change" event
   */
  readonly message?: events.RuleTargetInput;
}

/** Where a job state change goes: a Lambda function, an SNS topic or an SQS queue. */
export class JobEventTarget implements events.IRuleTarget {
  /** Invoke a Lambda function with the event. */
  public static lambda(fn: lambda.IFunction, options: JobEventTargetOptions = {}): JobEventTarget {
    return new JobEventTarget(new targets.LambdaFunction(fn, { ...delivery(options), event: options.message }));
  }

  /** Publish the event to an SNS topic. */
  public static sns(topic: sns.ITopic, options: JobEventTargetOptions = {}): JobEventTarget {
    return new JobEventTarget(new targets.SnsTopic(topic, { ...delivery(options), message: options.message }));
  }

  /**
   * Send the event to an SQS queue.
   * @param messageGroupId required for FIFO queues
   */
  public static sqs(
    queue: sqs.IQueue,
    options: JobEventTargetOptions & { messageGroupId?: string } = {},
  ): JobEventTarget {
    return new JobEventTarget(
      new targets.SqsQueue(queue, {
        ...delivery(options),
        message: options.message,
        messageGroupId: options.messageGroupId,
      }),
    );
  }

  private constructor(private readonly inner: events.IRuleTarget) {}

  /** Binds the target to a rule (see `events.IRuleTarget`). */
  public bind(rule: events.IRule, id?: string): events.RuleTargetConfig {
    return this.inner.bind(rule, id);
  }
}

function delivery(o: JobEventTargetOptions): {
  deadLetterQueue?: sqs.IQueue;
  retryAttempts?: number;
  maxEventAge?: Duration;
} {
  return { deadLetterQueue: o.deadLetterQueue, retryAttempts: o.retryAttempts, maxEventAge: o.maxEventAge };
}
