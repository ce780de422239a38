import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import {
  FairshareSchedulingPolicy,
  JobQueue,
  TimeLimitActionType,
  TimeLimitReason,
} from '../../../lib/constructs/queue';
import { FakeComputeEnvironment, newStack } from '../job/_fixtures';

const ARN = (name: string) => `arn:aws:batch:us-east-1:123456789012:compute-environment/${name}`;

describe('JobQueue rendering', () => {
  test('defaults: priority 1, ENABLED, environments in the order given', () => {
    const stack = newStack();
    new JobQueue(stack, 'Queue', {
      computeEnvironments: [
        { computeEnvironment: new FakeComputeEnvironment(stack, 'Spot'), order: 1 },
        { computeEnvironment: new FakeComputeEnvironment(stack, 'OnDemand'), order: 2 },
      ],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Batch::JobQueue', {
      Priority: 1,
      State: 'ENABLED',
      ComputeEnvironmentOrder: [
        { ComputeEnvironment: ARN('Spot'), Order: 1 },
        { ComputeEnvironment: ARN('OnDemand'), Order: 2 },
      ],
      JobQueueName: Match.absent(),
      SchedulingPolicyArn: Match.absent(),
      JobStateTimeLimitActions: Match.absent(),
    });
  });

  test('name, priority, disabled state, scheduling policy and time-limit actions render', () => {
    const stack = newStack();
    const policy = new FairshareSchedulingPolicy(stack, 'Policy');
    new JobQueue(stack, 'Queue', {
      jobQueueName: 'high',
      priority: 10,
      enabled: false,
      schedulingPolicy: policy,
      computeEnvironments: [{ computeEnvironment: new FakeComputeEnvironment(stack, 'Ce'), order: 1 }],
      jobStateTimeLimitActions: [
        { maxTime: Duration.minutes(30), reason: TimeLimitReason.INSUFFICIENT_INSTANCE_CAPACITY },
        {
          maxTime: Duration.hours(2),
          reason: TimeLimitReason.JOB_RESOURCE_REQUIREMENT,
          action: TimeLimitActionType.TERMINATE,
        },
      ],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Batch::JobQueue', {
      JobQueueName: 'high',
      Priority: 10,
      State: 'DISABLED',
      SchedulingPolicyArn: { Ref: Match.stringLikeRegexp('^Policy') },
      JobStateTimeLimitActions: [
        {
          Action: 'CANCEL',
          MaxTimeSeconds: 1800,
          Reason: 'CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY',
          State: 'RUNNABLE',
        },
        {
          Action: 'TERMINATE',
          MaxTimeSeconds: 7200,
          Reason: 'MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT',
          State: 'RUNNABLE',
        },
      ],
    });
  });

  test('addComputeEnvironment after construction renders too', () => {
    const stack = newStack();
    const q = new JobQueue(stack, 'Queue');
    q.addComputeEnvironment(new FakeComputeEnvironment(stack, 'Late'), 5);
    Template.fromStack(stack).hasResourceProperties('AWS::Batch::JobQueue', {
      ComputeEnvironmentOrder: [{ ComputeEnvironment: ARN('Late'), Order: 5 }],
    });
    expect(q.computeEnvironments.map((c) => c.order)).toEqual([5]);
    expect(q.model.computeEnvironmentOrder).toEqual([{ order: 5, computeEnvironment: ARN('Late') }]);
  });
});

describe('JobQueue validation', () => {
  test('a fourth compute environment is rejected (Batch allows 3)', () => {
    const stack = newStack();
    const q = new JobQueue(stack, 'Queue');
    for (let i = 1; i <= 3; i++) q.addComputeEnvironment(new FakeComputeEnvironment(stack, `Ce${i}`), i);
    expect(() => q.addComputeEnvironment(new FakeComputeEnvironment(stack, 'Ce4'), 4)).toThrow(
      new RegExp(
        String.raw`^TestStack\/Queue: \[BATCH-JQ-004\] JobQueue "Queue" compute` +
          String.raw`EnvironmentOrder: the queue lists 4 compute environments\. G` +
          String.raw`ot: 4\. Allowed: 1-3 entries`,
      ),
    );
    expect(q.computeEnvironments).toHaveLength(3);
  });

  test('a duplicate order is rejected, naming the environment that has it', () => {
    const stack = newStack();
    const q = new JobQueue(stack, 'Queue', {
      computeEnvironments: [{ computeEnvironment: new FakeComputeEnvironment(stack, 'A'), order: 1 }],
    });
    expect(() => q.addComputeEnvironment(new FakeComputeEnvironment(stack, 'B'), 1)).toThrow(
      new RegExp(
        String.raw`^TestStack\/Queue: \[BATCH-JQ-005\] JobQueue "Queue" compute` +
          String.raw`EnvironmentOrder\[1\]\.order: order 1 is already used by com` +
          String.raw`puteEnvironmentOrder\[0\]\. Got: 1`,
      ),
    );
  });

  test('the same environment twice is rejected', () => {
    const stack = newStack();
    const ce = new FakeComputeEnvironment(stack, 'A');
    const q = new JobQueue(stack, 'Queue', { computeEnvironments: [{ computeEnvironment: ce, order: 1 }] });
    expect(() => q.addComputeEnvironment(ce, 2)).toThrow(
      new RegExp(
        String.raw`^TestStack\/Queue: \[BATCH-JQ-005\] .*compute environment "A` + String.raw`" is listed twice`,
      ),
    );
  });

  test('EC2 and Fargate environments in one queue are rejected', () => {
    const stack = newStack();
    expect(
      () =>
        new JobQueue(stack, 'Queue', {
          computeEnvironments: [
            { computeEnvironment: new FakeComputeEnvironment(stack, 'Ec2', { platform: 'EC2' }), order: 1 },
            { computeEnvironment: new FakeComputeEnvironment(stack, 'Fargate', { platform: 'FARGATE' }), order: 2 },
          ],
        }),
    ).toThrow(
      new RegExp(
        String.raw`^TestStack\/Queue: \[BATCH-X-001\] JobQueue "Queue" computeE` +
          String.raw`nvironmentOrder: the queue mixes EC2 environments \("Ec2"\) ` +
          String.raw`with Fargate environments \("Fargate"\)`,
      ),
    );
  });

  test('x86_64 and arm64 environments in one queue are rejected; an unknown architecture is allowed', () => {
    const stack = newStack();
    const q = new JobQueue(stack, 'Queue', {
      computeEnvironments: [
        { computeEnvironment: new FakeComputeEnvironment(stack, 'Unknown'), order: 1 },
        { computeEnvironment: new FakeComputeEnvironment(stack, 'X86', { architecture: 'x86_64' }), order: 2 },
      ],
    });
    expect(() =>
      q.addComputeEnvironment(new FakeComputeEnvironment(stack, 'Arm', { architecture: 'arm64' }), 3),
    ).toThrow(
      /^TestStack\/Queue: \[BATCH-X-002\] .*the queue mixes architectures: arm64 \("Arm"\) and x86_64 \("X86"\)/,
    );
  });

  test('a queue without compute environments fails synth with the fix', () => {
    const stack = newStack();
    new JobQueue(stack, 'Queue');
    expect(() => Template.fromStack(stack)).toThrow(
      new RegExp(
        String.raw`\[TestStack\/Queue\] \[BATCH-JQ-004\] JobQueue "Queue" compu` +
          String.raw`teEnvironmentOrder: the queue has no compute environment`,
      ),
    );
  });

  test.each([Duration.minutes(5), Duration.hours(25), Duration.millis(700_500)])(
    'time-limit maxTime %s is rejected',
    (maxTime) => {
      expect(
        () =>
          new JobQueue(newStack(), 'Queue', {
            jobStateTimeLimitActions: [{ maxTime, reason: TimeLimitReason.COMPUTE_ENVIRONMENT_MAX_RESOURCE }],
          }),
      ).toThrow(
        new RegExp(
          `^TestStack/Queue: \\[BATCH-JQ-008\\] JobQueue "Queue" ` +
            `jobStateTimeLimitActions\\[0\\]\\.maxTimeSeconds: .*Got: ` +
            `${maxTime.toMilliseconds() / 1000}\\. Allowed: integers 600-86400`,
        ),
      );
    },
  );

  test(
    'the core queue rules run at construction: priority 5000 fails with ' + 'BATCH-JQ-003 naming the field and range',
    () => {
      const stack = newStack();
      const ce = new FakeComputeEnvironment(stack, 'Ce');
      expect(
        () =>
          new JobQueue(stack, 'Queue', { priority: 5000, computeEnvironments: [{ computeEnvironment: ce, order: 1 }] }),
      ).toThrow(
        /^TestStack\/Queue: \[BATCH-JQ-003\] JobQueue "Queue" priority: .*Got: 5000\. Allowed: integers 0-1000/,
      );
    },
  );
});
