import { emptyBatchModel } from '../../../lib/core/model/batch-model';
import type { LoadedComputeEnvironment } from '../../../lib/core/model/compute-environment';
import type { LoadedJobQueue, LoadedSchedulingPolicy, ShareAttributes } from '../../../lib/core/model/job-queue';
import { UNRESOLVED_NUMBER, unresolvedString } from '../../../lib/core/model/unresolved';
import type { Finding } from '../../../lib/core/rules/finding';
import { JOB_QUEUE_RULES } from '../../../lib/core/rules/job-queue';
import { runRules } from '../../../lib/core/rules/rule';

const CE_ARN = (name: string): string => `arn:aws:batch:us-east-1:123456789012:compute-environment/${name}`;

function ce(name: string): LoadedComputeEnvironment {
  return {
    computeEnvironmentName: name,
    type: 'MANAGED',
    computeResources: { type: 'EC2', maxvCpus: 16, instanceTypes: ['m5'], subnets: ['s'], instanceRole: 'r' },
  };
}

function queue(extra: Partial<LoadedJobQueue> = {}): LoadedJobQueue {
  return {
    jobQueueName: 'queue-1',
    priority: 10,
    state: 'ENABLED',
    computeEnvironmentOrder: [
      { order: 1, computeEnvironment: CE_ARN('a') },
      { order: 2, computeEnvironment: 'b' },
    ],
    source: { stack: 'S', logicalId: 'Q' },
    ...extra,
  };
}

function policy(
  shares: ShareAttributes[] = [{ shareIdentifier: 'teamA', weightFactor: 0.5 }],
  extra: Partial<LoadedSchedulingPolicy> = {},
): LoadedSchedulingPolicy {
  return {
    name: 'fair-1',
    fairsharePolicy: { shareDecaySeconds: 3600, computeReservation: 10, shareDistribution: shares },
    ...extra,
  };
}

function run(queues: LoadedJobQueue[], policies: LoadedSchedulingPolicy[] = []): Finding[] {
  const model = emptyBatchModel();
  model.computeEnvironments.push(ce('a'), ce('b'), ce('c'), ce('d'));
  model.jobQueues.push(...queues);
  model.schedulingPolicies.push(...policies);
  return runRules(JOB_QUEUE_RULES, model);
}

function only(findings: Finding[], code: string): Finding {
  const hits = findings.filter((f) => f.code === code);
  expect(hits).toHaveLength(1);
  return hits[0];
}

describe('job queue rules', () => {
  test('a compliant queue and policy give no findings', () => {
    expect(
      run(
        [
          queue({
            jobStateTimeLimitActions: [
              {
                reason: 'MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT',
                state: 'RUNNABLE',
                maxTimeSeconds: 600,
                action: 'CANCEL',
              },
            ],
          }),
        ],
        [
          policy([
            { shareIdentifier: 'teamA', weightFactor: 0.0001 },
            { shareIdentifier: 'ml*', weightFactor: 999.9999 },
            { shareIdentifier: 'ops' },
          ]),
        ],
      ),
    ).toEqual([]);
  });

  test('BATCH-JQ-001 name', () => {
    const f = only(run([queue({ jobQueueName: 'my queue' })]), 'BATCH-JQ-001');
    expect(f.message).toMatch(/JobQueue "my queue" \(S\/Q\) jobQueueName: the name is not valid.*Allowed: 1-128/);
  });

  test('BATCH-JQ-002 state', () => {
    expect(only(run([queue({ state: 'PAUSED' as never })]), 'BATCH-JQ-002').message).toMatch(
      /"PAUSED".*ENABLED, DISABLED/,
    );
  });

  test('BATCH-JQ-003 priority', () => {
    expect(only(run([queue({ priority: 1001 })]), 'BATCH-JQ-003').message).toMatch(/priority.*1001.*0-1000/);
    expect(only(run([queue({ priority: 1.5 })]), 'BATCH-JQ-003').value).toBe(1.5);
    expect(run([queue({ priority: 0 })])).toEqual([]);
  });

  test('BATCH-JQ-004 one to three environments', () => {
    expect(only(run([queue({ computeEnvironmentOrder: [] })]), 'BATCH-JQ-004').message).toMatch(
      /no compute environment, so no job can ever run/,
    );
    const four = ['a', 'b', 'c', 'd'].map((n, i) => ({ order: i, computeEnvironment: CE_ARN(n) }));
    expect(only(run([queue({ computeEnvironmentOrder: four })]), 'BATCH-JQ-004').message).toMatch(
      /lists 4 compute environments.*1-3 entries/,
    );
  });

  test('BATCH-JQ-005 distinct orders and environments', () => {
    const f = run([
      queue({
        computeEnvironmentOrder: [
          { order: 1, computeEnvironment: CE_ARN('a') },
          { order: 1, computeEnvironment: 'a' },
        ],
      }),
    ]).filter((x) => x.code === 'BATCH-JQ-005');
    expect(f.map((x) => x.field)).toEqual([
      'computeEnvironmentOrder[1].order',
      'computeEnvironmentOrder[1].computeEnvironment',
    ]);
    expect(f[0].message).toMatch(/order 1 is already used by computeEnvironmentOrder\[0\]/);
    expect(f[1].message).toMatch(/"a" is listed twice/);
  });

  test('BATCH-JQ-006 reference syntax and BATCH-JQ-007 unknown names', () => {
    const f = run([
      queue({
        computeEnvironmentOrder: [
          { order: 1, computeEnvironment: 'arn:aws:batch:us-east-1:123456789012:job-queue/a' },
          { order: 2, computeEnvironment: 'typo-ce' },
          { order: 3, computeEnvironment: CE_ARN('external') },
        ],
      }),
    ]);
    expect(only(f, 'BATCH-JQ-006').message).toMatch(
      new RegExp(
        String.raw`computeEnvironmentOrder\[0\]\.computeEnvironment: the refere` +
          String.raw`nce is not a compute environment ARN or name`,
      ),
    );
    const w = only(f, 'BATCH-JQ-007');
    expect(w.severity).toBe('warning');
    expect(w.message).toMatch(/no compute environment named "typo-ce".*Allowed: a, b, c, d/);
  });

  test('BATCH-JQ-008 job state time limit actions', () => {
    const f = run([
      queue({
        jobStateTimeLimitActions: [
          { reason: 'r', state: 'RUNNING' as never, maxTimeSeconds: 60, action: 'RETRY' as never },
          { reason: '', state: 'RUNNABLE', maxTimeSeconds: 90000, action: 'TERMINATE' },
        ],
      }),
    ]).filter((x) => x.code === 'BATCH-JQ-008');
    expect(f.map((x) => x.field)).toEqual([
      'jobStateTimeLimitActions[0].state',
      'jobStateTimeLimitActions[0].maxTimeSeconds',
      'jobStateTimeLimitActions[0].action',
      'jobStateTimeLimitActions[1].maxTimeSeconds',
      'jobStateTimeLimitActions[1].reason',
    ]);
    expect(f[1].message).toMatch(/60.*600-86400/);
    const six = Array.from({ length: 6 }, () => ({
      reason: 'r',
      state: 'RUNNABLE' as const,
      maxTimeSeconds: 600,
      action: 'CANCEL' as const,
    }));
    expect(only(run([queue({ jobStateTimeLimitActions: six })]), 'BATCH-JQ-008').message).toMatch(
      /6 time limit actions.*at most 5/,
    );
  });

  test('BATCH-JQ-009 more than 20 queues is a warning', () => {
    const many = Array.from({ length: 21 }, (_, i) => queue({ jobQueueName: `q${i}` }));
    const f = only(run(many), 'BATCH-JQ-009');
    expect(f.severity).toBe('warning');
    expect(f.message).toMatch(/21 job queues/);
    expect(run(many.slice(0, 20))).toEqual([]);
  });
});

describe('scheduling policy rules', () => {
  test('BATCH-SP-001 name', () => {
    expect(only(run([], [policy(undefined, { name: 'fair/1' })]), 'BATCH-SP-001').message).toMatch(
      /SchedulingPolicy "fair\/1" name: the name is not valid/,
    );
  });

  test('BATCH-SP-002 shareDecaySeconds and BATCH-SP-003 computeReservation', () => {
    const f = run([], [{ name: 'p', fairsharePolicy: { shareDecaySeconds: 604801, computeReservation: 100 } }]);
    expect(only(f, 'BATCH-SP-002').message).toMatch(/604801.*integers 0-604800/);
    expect(only(f, 'BATCH-SP-003').message).toMatch(/100.*integers 0-99/);
  });

  test('BATCH-SP-004 at most 500 distinct share identifiers', () => {
    const many = Array.from({ length: 501 }, (_, i) => ({ shareIdentifier: `s${i}` }));
    expect(only(run([], [policy(many)]), 'BATCH-SP-004').message).toMatch(/501 share identifiers.*at most 500/);
    expect(
      only(run([], [policy([{ shareIdentifier: 'a' }, { shareIdentifier: 'a' }])]), 'BATCH-SP-004').message,
    ).toMatch(/"a" is already listed at shareDistribution\[0\]/);
  });

  test('BATCH-SP-005 weightFactor', () => {
    const f = run(
      [],
      [
        policy([
          { shareIdentifier: 'a', weightFactor: 0 },
          { shareIdentifier: 'b', weightFactor: 1000 },
        ]),
      ],
    );
    expect(f.filter((x) => x.code === 'BATCH-SP-005').map((x) => x.value)).toEqual([0, 1000]);
  });

  test('BATCH-SP-006 identifier syntax and overlapping prefixes', () => {
    const f = run(
      [],
      [policy([{ shareIdentifier: 'team-a' }, { shareIdentifier: 'User*' }, { shareIdentifier: 'UserA1' }])],
    ).filter((x) => x.code === 'BATCH-SP-006');
    expect(f).toHaveLength(2);
    expect(f[0].message).toMatch(/"team-a".*1-255 letters and digits/);
    expect(f[1].message).toMatch(/prefix "User\*" overlaps shareDistribution\[2\] "UserA1"/);
  });

  test('unresolved values are skipped with an info finding', () => {
    const f = run(
      [
        queue({
          priority: UNRESOLVED_NUMBER,
          computeEnvironmentOrder: [{ order: 1, computeEnvironment: unresolvedString('Fn::ImportValue Ce') }],
        }),
      ],
      [{ name: 'p', fairsharePolicy: { shareDecaySeconds: UNRESOLVED_NUMBER } }],
    );
    expect(f.map((x) => [x.code, x.severity, x.field])).toEqual([
      ['BATCH-UNRESOLVED', 'info', 'priority'],
      ['BATCH-UNRESOLVED', 'info', 'computeEnvironmentOrder[0].computeEnvironment'],
      ['BATCH-UNRESOLVED', 'info', 'fairsharePolicy.shareDecaySeconds'],
    ]);
  });
});
