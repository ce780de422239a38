import {
  entryMatches,
  firstMatchingAction,
  isValidExitCodePattern,
  isValidReasonPattern,
  matchesExitPattern,
  matchesReasonPattern,
  normalizeRetryAction,
} from '../../../lib/core/rules/retry-patterns';
import type { EvaluateOnExit } from '../../../lib/core/model/job-definition';

describe('matchesExitPattern', () => {
  test.each([
    ['137', 137, true],
    ['137', 13, false],
    ['137', 1370, false],
    ['1*', 1, true],
    ['1*', 137, true],
    ['1*', 21, false],
    ['*', 0, true],
    ['*', 255, true],
    ['0', 0, true],
  ])('pattern %s against exit code %s -> %s', (pattern, code, expected) => {
    expect(matchesExitPattern(pattern, code)).toBe(expected);
  });

  test('an attempt without an exit code matches only "*"', () => {
    expect(matchesExitPattern('*', undefined)).toBe(true);
    expect(matchesExitPattern('1*', undefined)).toBe(false);
    expect(matchesExitPattern('0', undefined)).toBe(false);
  });
});

describe('matchesReasonPattern', () => {
  test('exact match without a star, prefix match with a trailing star', () => {
    expect(matchesReasonPattern('Task failed to start', 'Task failed to start')).toBe(true);
    expect(matchesReasonPattern('Task failed to start', 'Task failed to start.')).toBe(false);
    expect(matchesReasonPattern('Host EC2*', 'Host EC2 (instance i-0123) terminated.')).toBe(true);
    expect(matchesReasonPattern('CannotPullContainerError:*', 'CannotPullContainerError: pull access denied')).toBe(
      true,
    );
    expect(matchesReasonPattern('CannotPullContainerError:*', 'OutOfMemoryError: Container killed')).toBe(false);
  });

  test('matching is case-sensitive', () => {
    expect(matchesReasonPattern('host ec2*', 'Host EC2 (instance i-1) terminated.')).toBe(false);
    expect(matchesReasonPattern('AGENT', 'agent')).toBe(false);
  });

  test('an absent reason matches only "*"', () => {
    expect(matchesReasonPattern('*', undefined)).toBe(true);
    expect(matchesReasonPattern('AGENT', undefined)).toBe(false);
    expect(matchesReasonPattern('A*', undefined)).toBe(false);
  });

  test('a star inside the pattern is literal, not a wildcard', () => {
    expect(matchesReasonPattern('a*b', 'axxb')).toBe(false);
    expect(matchesReasonPattern('a*b', 'a*b')).toBe(true);
  });
});

describe('pattern syntax', () => {
  test.each(['0', '137', '1*', '*', '9'.repeat(512)])('exit code pattern %s is valid', (p) => {
    expect(isValidExitCodePattern(p)).toBe(true);
  });
  test.each(['', '-1', '1**', '*1', '1 ', 'abc', '1.0', '9'.repeat(513)])('exit code pattern %j is invalid', (p) => {
    expect(isValidExitCodePattern(p)).toBe(false);
  });
  test.each(['AGENT', 'Host EC2*', 'CannotPullContainerError:*', 'Task failed to start', 'a\tb', '*', 'v1.2:x'])(
    'reason pattern %j is valid',
    (p) => {
      expect(isValidReasonPattern(p)).toBe(true);
    },
  );
  test.each(['', 'Host-EC2', 'out (of) memory', 'a*b', 'a**', 'quote"', 'x'.repeat(513)])(
    'reason pattern %j is invalid',
    (p) => {
      expect(isValidReasonPattern(p)).toBe(false);
    },
  );
});

describe('normalizeRetryAction', () => {
  test('accepts RETRY/EXIT in any case, nothing else', () => {
    expect(normalizeRetryAction('retry')).toBe('RETRY');
    expect(normalizeRetryAction('Exit')).toBe('EXIT');
    expect(normalizeRetryAction('ABORT')).toBeUndefined();
    expect(normalizeRetryAction(undefined)).toBeUndefined();
  });
});

describe('firstMatchingAction', () => {
  // The User Guide's example: two RETRY entries and a final catch-all EXIT.
  const guide: EvaluateOnExit[] = [
    { action: 'RETRY', onReason: 'AGENT' },
    { action: 'RETRY', onStatusReason: 'Task failed to start' },
    { action: 'EXIT', onReason: '*' },
  ];

  test('the first matching entry wins', () => {
    expect(firstMatchingAction(guide, { reason: 'AGENT', exitCode: 1 })).toBe('RETRY');
    expect(firstMatchingAction(guide, { statusReason: 'Task failed to start' })).toBe('RETRY');
    expect(firstMatchingAction(guide, { exitCode: 1, statusReason: 'Essential container in task exited' })).toBe(
      'EXIT',
    );
  });

  test('all conditions of an entry must match', () => {
    const entries: EvaluateOnExit[] = [{ action: 'RETRY', onExitCode: '137', onReason: 'OutOfMemoryError*' }];
    expect(
      firstMatchingAction(entries, { exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' }),
    ).toBe('RETRY');
    expect(firstMatchingAction(entries, { exitCode: 137, reason: 'Killed' })).toBeUndefined();
    expect(firstMatchingAction(entries, { exitCode: 1, reason: 'OutOfMemoryError: x' })).toBeUndefined();
  });

  test('no match returns undefined (Batch then retries while attempts remain)', () => {
    expect(firstMatchingAction([{ action: 'EXIT', onExitCode: '2' }], { exitCode: 3 })).toBeUndefined();
    expect(firstMatchingAction(undefined, { exitCode: 3 })).toBeUndefined();
    expect(firstMatchingAction([], { exitCode: 3 })).toBeUndefined();
  });

  test('lower-case actions are returned upper-cased', () => {
    expect(firstMatchingAction([{ action: 'exit' as 'EXIT', onExitCode: '*' }], { exitCode: 9 })).toBe('EXIT');
  });

  test('an entry without conditions never matches', () => {
    expect(entryMatches({ action: 'EXIT' }, { exitCode: 1, reason: 'x', statusReason: 'y' })).toBe(false);
    expect(firstMatchingAction([{ action: 'EXIT' }, { action: 'RETRY', onExitCode: '1' }], { exitCode: 1 })).toBe(
      'RETRY',
    );
  });

  test('spot reclaim retries, application errors exit', () => {
    const entries: EvaluateOnExit[] = [
      { action: 'RETRY', onStatusReason: 'Host EC2*' },
      { action: 'EXIT', onExitCode: '*' },
    ];
    expect(firstMatchingAction(entries, { statusReason: 'Host EC2 (instance i-0abc) terminated.' })).toBe('RETRY');
    expect(firstMatchingAction(entries, { exitCode: 2, statusReason: 'Essential container in task exited' })).toBe(
      'EXIT',
    );
  });
});
