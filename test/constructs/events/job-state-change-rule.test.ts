import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { JobState, JobStateChangeRule, jobStateChangePattern } from '../../../lib/constructs/events';
import { JobDefinitionBase } from '../../../lib/constructs/job';
import { JobQueueBase } from '../../../lib/constructs/queue';
import { newStack } from '../job/_fixtures';

/**
 * A small EventBridge matcher for the operators these patterns use (value lists, `exists`,
 * `prefix`), so the tests can show which events a rule lets through.
 */
function matches(pattern: unknown, event: unknown): boolean {
  if (Array.isArray(pattern)) {
    return pattern.some((p) => {
      if (p !== null && typeof p === 'object') {
        const op = p as { exists?: boolean; prefix?: string };
        if (op.exists !== undefined) return op.exists ? event !== undefined : event === undefined;
        if (op.prefix !== undefined) return typeof event === 'string' && event.startsWith(op.prefix);
      }
      return event === p;
    });
  }
  if (pattern !== null && typeof pattern === 'object') {
    return Object.entries(pattern as Record<string, unknown>).every(([k, sub]) => {
      const value = event !== null && typeof event === 'object' ? (event as Record<string, unknown>)[k] : undefined;
      const subIsExistsFalse = Array.isArray(sub) && sub.some((s) => (s as { exists?: boolean })?.exists === false);
      if (value === undefined && !subIsExistsFalse && !(typeof sub === 'object' && !Array.isArray(sub))) return false;
      return matches(sub, value);
    });
  }
  return false;
}

const QUEUE = 'arn:aws:batch:us-east-1:123456789012:job-queue/main';
const JD = 'arn:aws:batch:us-east-1:123456789012:job-definition/render';

function event(detail: Record<string, unknown>) {
  return {
    source: 'aws.batch',
    'detail-type': 'Batch Job State Change',
    detail: { jobQueue: QUEUE, jobDefinition: `${JD}:4`, ...detail },
  };
}

const parentDone = event({
  status: 'SUCCEEDED',
  arrayProperties: { size: 8, statusSummary: { SUCCEEDED: 8 } },
  container: { image: 'busybox' },
});
const ec2Child = event({
  status: 'SUCCEEDED',
  arrayProperties: { index: 3 },
  container: { containerInstanceArn: 'arn:aws:ecs:us-east-1:123456789012:container-instance/abc' },
});
const fargateChild = event({ status: 'SUCCEEDED', arrayProperties: { index: 4 }, container: { image: 'busybox' } });
const plainJob = event({ status: 'SUCCEEDED', container: { image: 'busybox' } });
const parentRunning = event({ status: 'RUNNING', arrayProperties: { size: 8 }, container: {} });

describe('jobStateChangePattern', () => {
  function pattern(props: Parameters<typeof jobStateChangePattern>[0]) {
    const stack = new Stack();
    const p = jobStateChangePattern(props);
    return stack.resolve({ source: p.source, 'detail-type': p.detailType, detail: p.detail });
  }

  test(
    'array-parent rule: matches the parent final event only — not EC2 ' +
      'children, Fargate children, plain jobs or a running parent',
    () => {
      const queue = JobQueueBase.fromJobQueueArn(newStack(), 'Q', QUEUE);
      const p = pattern({ jobQueue: queue, arrayParentOnly: true });
      expect(matches(p, parentDone)).toBe(true);
      expect(matches(p, ec2Child)).toBe(false);
      expect(matches(p, fargateChild)).toBe(false);
      expect(matches(p, plainJob)).toBe(false);
      expect(matches(p, parentRunning)).toBe(false);
    },
  );

  test(
    'the job definition filter matches every revision by prefix, and not ' +
      'another definition sharing the name prefix',
    () => {
      const jd = JobDefinitionBase.fromJobDefinitionArn(newStack(), 'Jd', `${JD}:1`);
      const p = pattern({ jobDefinition: jd, states: [JobState.SUCCEEDED] });
      expect(matches(p, event({ status: 'SUCCEEDED', jobDefinition: `${JD}:1` }))).toBe(true);
      expect(matches(p, event({ status: 'SUCCEEDED', jobDefinition: `${JD}:27` }))).toBe(true);
      expect(matches(p, event({ status: 'SUCCEEDED', jobDefinition: `${JD}-v2:1` }))).toBe(false);
      expect(matches(p, event({ status: 'FAILED', jobDefinition: `${JD}:1` }))).toBe(false);
    },
  );

  test('with no filters the rule matches every Batch job state change', () => {
    expect(pattern({})).toEqual({ source: ['aws.batch'], 'detail-type': ['Batch Job State Change'] });
  });
});

describe('JobStateChangeRule', () => {
  test('renders one rule with a description naming the filters, and a target can be added', () => {
    const stack = newStack();
    const rule = new JobStateChangeRule(stack, 'Rule', { states: [JobState.FAILED], ruleName: 'batch-failures' });
    expect(rule.rule.node.id).toBe('Resource');
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      Name: 'batch-failures',
      Description: 'Batch job state changes: jobs entering FAILED (batchkit)',
      EventPattern: {
        source: ['aws.batch'],
        'detail-type': ['Batch Job State Change'],
        detail: { status: ['FAILED'] },
      },
    });
  });
});
