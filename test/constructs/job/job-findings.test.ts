import { Annotations as CdkAnnotations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { isBatchkitError } from '../../../lib/core/errors';
import { finding } from '../../../lib/core/rules/finding';
import type { Rule } from '../../../lib/core/rules/rule';
import { checkWithRules, constructError, reportFindings } from '../../../lib/constructs/private/job-findings';
import { newStack } from './_fixtures';

function rule(code: string, severity: 'error' | 'warning' | 'info', problem: string): Rule {
  return {
    code,
    severity,
    description: 'test rule',
    check: (model) =>
      model.jobDefinitions.map((jd) =>
        finding({
          code,
          severity,
          resource: { kind: 'JobDefinition', name: jd.jobDefinitionName },
          field: 'type',
          problem,
          value: jd.type,
          allowed: 'container',
          fix: 'change it.',
        }),
      ),
  };
}

const jd = { jobDefinitionName: 'jd', type: 'multinode' as const };

describe('checkWithRules', () => {
  test('an error finding throws with the construct path, the rule code and the rule message', () => {
    const stack = newStack();
    const scope = new Construct(stack, 'Thing');
    let thrown: unknown;
    try {
      checkWithRules(scope, { jobDefinitions: [jd] }, [rule('TEST-001', 'error', 'is wrong.')]);
    } catch (e) {
      thrown = e;
    }
    expect(isBatchkitError(thrown)).toBe(true);
    expect((thrown as { code: string }).code).toBe('TEST-001');
    expect((thrown as Error).message).toBe(
      'TestStack/Thing: [TEST-001] JobDefinition "jd" type: is wrong. Got: ' +
        '"multinode". Allowed: container. Fix: change it.',
    );
  });

  test('several errors are listed one per line', () => {
    const scope = new Construct(newStack(), 'Thing');
    expect(() =>
      checkWithRules(scope, { jobDefinitions: [jd] }, [
        rule('TEST-001', 'error', 'first.'),
        rule('TEST-002', 'error', 'second.'),
      ]),
    ).toThrow(/TestStack\/Thing: 2 errors:\n {2}\[TEST-001\].*first\.[^\n]*\n {2}\[TEST-002\].*second\./);
  });

  test('a warning becomes an acknowledgeable annotation; info findings are dropped', () => {
    const stack = newStack();
    const scope = new Construct(stack, 'Thing');
    const findings = checkWithRules(scope, { jobDefinitions: [jd] }, [
      rule('TEST-W', 'warning', 'is risky.'),
      rule('TEST-I', 'info', 'skipped.'),
    ]);
    expect(findings.map((f) => f.code)).toEqual(['TEST-I', 'TEST-W']);
    const warnings = Annotations.fromStack(stack).findWarning('/TestStack/Thing', Match.stringLikeRegexp('TEST-'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0].entry.data).toMatch(/^\[TEST-W\] JobDefinition "jd" type: is risky\. .*\[ack: TEST-W\]$/);
  });

  test('an acknowledged warning is not reported', () => {
    const stack = newStack();
    const scope = new Construct(stack, 'Thing');
    CdkAnnotations.of(scope).acknowledgeWarning('TEST-W');
    reportFindings(scope, [
      finding({ code: 'TEST-W', severity: 'warning', resource: { kind: 'JobQueue', name: 'q' }, problem: 'x.' }),
    ]);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('TEST-W'))).toHaveLength(0);
  });

  test('constructError names path, code, value, allowed values and fix', () => {
    const scope = new Construct(newStack(), 'Job');
    const e = constructError(scope, 'BATCH-CDK-X', 'cpu is wrong.', {
      value: 256,
      allowed: '0.25, 0.5',
      fix: 'use 0.25.',
    });
    expect(e.code).toBe('BATCH-CDK-X');
    expect(e.message).toBe('TestStack/Job: [BATCH-CDK-X] cpu is wrong. Got: 256. Allowed: 0.25, 0.5. Fix: use 0.25.');
  });
});
