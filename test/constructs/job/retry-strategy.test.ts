import { Size } from 'aws-cdk-lib';
import {
  Action,
  ContainerJobDefinition,
  JobContainer,
  JobImage,
  JobRetryStrategy,
  Reason,
} from '../../../lib/constructs/job';
import { newStack } from './_fixtures';

describe('JobRetryStrategy', () => {
  test.each([
    [Reason.NON_ZERO_EXIT_CODE, { action: 'RETRY', onExitCode: '*' }],
    [Reason.CANNOT_PULL_CONTAINER, { action: 'RETRY', onReason: 'CannotPullContainerError:*' }],
    [Reason.SPOT_INSTANCE_RECLAIMED, { action: 'RETRY', onStatusReason: 'Host EC2*' }],
  ])('built-in reason %#', (reason, expected) => {
    expect(JobRetryStrategy.of(Action.RETRY, reason).render()).toEqual(expected);
  });

  test('a custom reason renders every condition given', () => {
    expect(
      JobRetryStrategy.of(
        Action.EXIT,
        Reason.custom({ onExitCode: '137', onStatusReason: 'Essential*', onReason: 'OutOfMemory*' }),
      ).render(),
    ).toEqual({
      action: 'EXIT',
      onExitCode: '137',
      onReason: 'OutOfMemory*',
      onStatusReason: 'Essential*',
    });
  });

  test('a custom reason without a condition is rejected by the job definition that uses it (BATCH-JD-022)', () => {
    const reason = Reason.custom({});
    const stack = newStack();
    expect(
      () =>
        new ContainerJobDefinition(stack, 'Job', {
          container: JobContainer.ec2({ image: JobImage.fromRegistry('busybox'), cpu: 1, memory: Size.gibibytes(1) }),
          retryStrategies: [JobRetryStrategy.of(Action.RETRY, reason)],
        }),
    ).toThrow(
      new RegExp(
        String.raw`^TestStack\/Job: \[BATCH-JD-022\] JobDefinition "Job" retryS` +
          String.raw`trategy\.evaluateOnExit\[0\]: the entry has no condition`,
      ),
    );
  });
});
