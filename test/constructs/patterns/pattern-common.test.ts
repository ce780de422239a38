import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { FargateComputeEnvironment } from '../../../lib/constructs';
import {
  patternPriorities,
  priorityQueues,
  splitJobDefinitionProps,
  wirePattern,
} from '../../../lib/constructs/patterns/pattern-common';

function setup(): { stack: Stack; scope: Construct; a: FargateComputeEnvironment; b: FargateComputeEnvironment } {
  const stack = new Stack(new App(), 'Common');
  const vpc = new ec2.Vpc(stack, 'Vpc');
  const scope = new Construct(stack, 'Pattern');
  return {
    stack,
    scope,
    a: new FargateComputeEnvironment(stack, 'A', { vpc }),
    b: new FargateComputeEnvironment(stack, 'B', { vpc, spot: true }),
  };
}

describe('pattern-common', () => {
  test('wirePattern: one queue per entry, environments ordered 1, 2, ..., name and ARN outputs per queue', () => {
    const { stack, scope, a, b } = setup();
    const wiring = wirePattern(scope, {
      queues: priorityQueues(a, b, { high: 50, low: 5 }, { primary: 'A', secondary: 'B' }),
      outputs: true,
    });
    const t = Template.fromStack(stack);
    const arn = (ce: FargateComputeEnvironment) => stack.resolve(ce.computeEnvironmentArn);
    t.hasResourceProperties('AWS::Batch::JobQueue', {
      Priority: 50,
      ComputeEnvironmentOrder: [
        { ComputeEnvironment: arn(a), Order: 1 },
        { ComputeEnvironment: arn(b), Order: 2 },
      ],
    });
    t.hasResourceProperties('AWS::Batch::JobQueue', {
      Priority: 5,
      ComputeEnvironmentOrder: [
        { ComputeEnvironment: arn(b), Order: 1 },
        { ComputeEnvironment: arn(a), Order: 2 },
      ],
    });
    expect(wiring.queues.high.priority).toBe(50);
    expect(wiring.queues.low.priority).toBe(5);
    const outputs = t.findOutputs('*');
    expect(Object.values(outputs).map((o) => o.Description)).toEqual([
      'Job queue for urgent jobs (A first)',
      'ARN of the high-priority job queue',
      'Job queue for jobs that may wait (B first)',
      'ARN of the low-priority job queue',
    ]);
  });

  test('wirePattern: role outputs only when asked for, no outputs at all with outputs: false', () => {
    const one = setup();
    wirePattern(one.scope, {
      queues: priorityQueues(one.a, one.b, { high: 2, low: 1 }, { primary: 'A', secondary: 'B' }),
      outputs: true,
      roleOutputs: true,
    });
    expect(Object.keys(Template.fromStack(one.stack).findOutputs('*')).filter((k) => /RoleArn/.test(k))).toHaveLength(
      2,
    );
    const two = setup();
    wirePattern(two.scope, {
      queues: priorityQueues(two.a, two.b, { high: 2, low: 1 }, { primary: 'A', secondary: 'B' }),
      outputs: false,
      roleOutputs: true,
    });
    expect(Template.fromStack(two.stack).findOutputs('*')).toEqual({});
  });

  test(
    'patternPriorities: defaults 100 and 10, high must be above low; ' +
      'out-of-range values are left to the queue rule',
    () => {
      const { scope } = setup();
      expect(patternPriorities(scope, {})).toEqual({ high: 100, low: 10 });
      expect(() => patternPriorities(scope, { highPriority: 5, lowPriority: 5 })).toThrow(/BATCHKIT-CDK-015/);
      // 1001 is the queue's BATCH-JQ-003 (reported with the queue's path), not a comparison error here.
      expect(patternPriorities(scope, { highPriority: 1001, lowPriority: 2000 })).toEqual({ high: 1001, low: 2000 });
    },
  );

  test('splitJobDefinitionProps: job definition props on one side, everything else on the other', () => {
    const { definition, container } = splitJobDefinitionProps({
      jobDefinitionName: 'j',
      timeout: Duration.minutes(5),
      cpu: 1,
      gpu: 2,
    });
    expect(definition).toMatchObject({ jobDefinitionName: 'j', timeout: Duration.minutes(5) });
    expect(container).toEqual({ cpu: 1, gpu: 2 });
  });
});
