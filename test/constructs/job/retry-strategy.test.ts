import { Action, JobRetryStrategy, Reason } from '../../../lib/constructs/job';

describe('JobRetryStrategy', () => {
  test.each([
    [Reason.NON_ZERO_EXIT_CODE, { action: 'RETRY', onExitCode: '*' }],
    [Reason.CANNOT_PULL_CONTAINER, { action: 'RETRY', onReason: 'CannotPullContainerError:*' }],
    [Reason.SPOT_INSTANCE_RECLAIMED, { action: 'RETRY', onStatusReason: 'Host EC2*' }],
  ])('built-in reason %#', (reason, expected) => {
    expect(JobRetryStrategy.of(Action.RETRY, reason).render()).toEqual(expected);
  });

  test('a custom reason renders every condition given', () => {
    expect(JobRetryStrategy.of(Action.EXIT, Reason.custom({ onExitCode: '137', onStatusReason: 'Essential*', onReason: 'OutOfMemory*' })).render()).toEqual({
      action: 'EXIT',
      onExitCode: '137',
      onReason: 'OutOfMemory*',
      onStatusReason: 'Essential*',
    });
  });

  test('a custom reason without a condition is rejected', () => {
    expect(() => Reason.custom({})).toThrow(/Reason\.custom\(\) needs at least one condition.*Fix: pass onExitCode/);
  });
});
