/**
 * Retry strategies: `JobRetryStrategy.of(Action, Reason)`, as in aws-cdk-lib's
 * `RetryStrategy.of(Action, Reason)` (renamed so it does not collide with the core model's
 * `RetryStrategy` type in the public barrel).
 * @see https://docs.aws.amazon.com/batch/latest/userguide/job_retries.html
 */
import type { EvaluateOnExit } from '../../core/model/job-definition';

/** What Batch does with a failed attempt that matches a {@link Reason}. Values are the service strings. */
export enum Action {
  /** Stop retrying: the job fails now. */
  EXIT = 'EXIT',
  /** Retry the job (while attempts remain). */
  RETRY = 'RETRY',
}

/** Conditions of a custom {@link Reason}; every condition set must match. Globs allow one trailing `*`. */
export interface CustomReason {
  /**
   * Glob matched against the attempt's exit code, e.g. `'137'` or `'4*'`.
   * @default - the exit code is not checked
   */
  readonly onExitCode?: string;
  /**
   * Glob matched against the attempt's `statusReason`, e.g. `'Host EC2*'`.
   * @default - the status reason is not checked
   */
  readonly onStatusReason?: string;
  /**
   * Glob matched against the container's `reason`, e.g. `'CannotPullContainerError:*'`.
   * @default - the container reason is not checked
   */
  readonly onReason?: string;
}

/** Which failed attempts a retry strategy applies to. */
export class Reason {
  /** Any non-zero exit code (`onExitCode: '*'`). */
  public static readonly NON_ZERO_EXIT_CODE = new Reason({ onExitCode: '*' });
  /** The image could not be pulled (`onReason: 'CannotPullContainerError:*'`). */
  public static readonly CANNOT_PULL_CONTAINER = new Reason({ onReason: 'CannotPullContainerError:*' });
  /** The Spot instance was reclaimed (`onStatusReason: 'Host EC2*'`). */
  public static readonly SPOT_INSTANCE_RECLAIMED = new Reason({ onStatusReason: 'Host EC2*' });

  /**
   * A reason of your own: at least one of `onExitCode`, `onStatusReason`, `onReason`. A reason
   * without a condition is reported by the job definition that uses it (`BATCH-JD-022`, with the
   * construct path), as `batchkit validate` reports such an `evaluateOnExit` entry.
   */
  public static custom(conditions: CustomReason): Reason {
    return new Reason(conditions);
  }

  private constructor(public readonly conditions: CustomReason) {}
}

/** One `evaluateOnExit` entry: an action for failed attempts matching a reason. */
export class JobRetryStrategy {
  /** Take `action` when a failed attempt matches `on`. */
  public static of(action: Action, on: Reason): JobRetryStrategy {
    return new JobRetryStrategy(action, on);
  }

  private constructor(
    /** The action. */
    public readonly action: Action,
    /** The reason. */
    public readonly on: Reason,
  ) {}

  /** The entry in the Batch API's shape. */
  public render(): EvaluateOnExit {
    const c = this.on.conditions;
    return {
      action: this.action,
      ...(c.onExitCode !== undefined ? { onExitCode: c.onExitCode } : {}),
      ...(c.onReason !== undefined ? { onReason: c.onReason } : {}),
      ...(c.onStatusReason !== undefined ? { onStatusReason: c.onStatusReason } : {}),
    };
  }
}
