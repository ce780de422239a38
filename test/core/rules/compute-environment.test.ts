import { emptyBatchModel } from '../../../lib/core/model/batch-model';
import type { ComputeResource, LoadedComputeEnvironment } from '../../../lib/core/model/compute-environment';
import { UNRESOLVED_NUMBER, unresolvedString } from '../../../lib/core/model/unresolved';
import { COMPUTE_ENVIRONMENT_RULES } from '../../../lib/core/rules/compute-environment';
import type { Finding } from '../../../lib/core/rules/finding';
import { runRules } from '../../../lib/core/rules/rule';

function ec2(
  cr: Partial<ComputeResource> = {},
  extra: Partial<LoadedComputeEnvironment> = {},
): LoadedComputeEnvironment {
  return {
    computeEnvironmentName: 'ce-1',
    type: 'MANAGED',
    state: 'ENABLED',
    computeResources: {
      type: 'EC2',
      minvCpus: 0,
      maxvCpus: 64,
      instanceTypes: ['m6i', 'c6i.large'],
      subnets: ['subnet-1'],
      securityGroupIds: ['sg-1'],
      instanceRole: 'arn:aws:iam::123456789012:instance-profile/ecsInstanceRole',
      ...cr,
    },
    source: { stack: 'S', logicalId: 'Ce' },
    ...extra,
  };
}

function fargate(cr: Partial<ComputeResource> = {}): LoadedComputeEnvironment {
  return {
    computeEnvironmentName: 'fg-1',
    type: 'MANAGED',
    computeResources: { type: 'FARGATE', maxvCpus: 32, subnets: ['subnet-1'], securityGroupIds: ['sg-1'], ...cr },
  };
}

function run(...ces: LoadedComputeEnvironment[]): Finding[] {
  const model = emptyBatchModel();
  model.computeEnvironments.push(...ces);
  return runRules(COMPUTE_ENVIRONMENT_RULES, model);
}

function codes(findings: Finding[]): string[] {
  return findings.map((f) => f.code);
}

function only(findings: Finding[], code: string): Finding {
  const hits = findings.filter((f) => f.code === code);
  expect(hits).toHaveLength(1);
  return hits[0];
}

describe('compute environment rules', () => {
  test('compliant EC2, SPOT, Fargate and unmanaged environments give no findings', () => {
    expect(
      run(
        ec2(),
        ec2(
          { type: 'SPOT', allocationStrategy: 'SPOT_PRICE_CAPACITY_OPTIMIZED', bidPercentage: 60 },
          { computeEnvironmentName: 'spot' },
        ),
        ec2(
          { type: 'SPOT', spotIamFleetRole: 'arn:aws:iam::123456789012:role/fleet' },
          { computeEnvironmentName: 'spot-bf' },
        ),
        fargate(),
        {
          computeEnvironmentName: 'mine',
          type: 'UNMANAGED',
          serviceRole: 'arn:aws:iam::123456789012:role/service-role/AWSBatchServiceRole',
        },
      ),
    ).toEqual([]);
  });

  test('BATCH-CE-001 name', () => {
    const f = only(run(ec2({}, { computeEnvironmentName: 'bad name!' })), 'BATCH-CE-001');
    expect(f.severity).toBe('error');
    expect(f.message).toMatch(
      new RegExp(
        String.raw`ComputeEnvironment "bad name!" \(S\/Ce\) computeEnvironmentN` +
          String.raw`ame: the name is not valid\. Got: "bad name!"\. Allowed: 1-1` +
          String.raw`28`,
      ),
    );
    expect(codes(run(ec2({}, { computeEnvironmentName: 'x'.repeat(129) })))).toContain('BATCH-CE-001');
  });

  test('BATCH-CE-002 type and BATCH-CE-003 state', () => {
    const bad = run(ec2({}, { type: 'MANAGED_PLUS' as never, state: 'ON' as never }));
    expect(only(bad, 'BATCH-CE-002').message).toMatch(/type.*"MANAGED_PLUS".*MANAGED, UNMANAGED/);
    expect(only(bad, 'BATCH-CE-003').message).toMatch(/state.*"ON".*ENABLED, DISABLED/);
  });

  test('BATCH-CE-004 MANAGED needs computeResources, UNMANAGED has none', () => {
    expect(only(run({ computeEnvironmentName: 'm', type: 'MANAGED' }), 'BATCH-CE-004').message).toMatch(
      /MANAGED compute environment needs computeResources/,
    );
    expect(only(run({ ...ec2(), type: 'UNMANAGED' }), 'BATCH-CE-004').message).toMatch(
      /UNMANAGED compute environment cannot have computeResources/,
    );
  });

  test('BATCH-CE-005 resource type', () => {
    expect(only(run(ec2({ type: 'GPU' as never })), 'BATCH-CE-005').message).toMatch(
      /"GPU".*EC2, SPOT, FARGATE, FARGATE_SPOT/,
    );
  });

  test('BATCH-CE-006 required fields per type', () => {
    const f = run(ec2({ instanceTypes: [], subnets: [], instanceRole: undefined }));
    expect(f.filter((x) => x.code === 'BATCH-CE-006').map((x) => x.field)).toEqual([
      'computeResources.instanceTypes',
      'computeResources.subnets',
      'computeResources.instanceRole',
    ]);
    expect(f.find((x) => x.field === 'computeResources.instanceTypes')?.message).toMatch(
      /EC2 compute resources need instanceTypes \(at least one entry\)/,
    );
    const fg = run(fargate({ securityGroupIds: undefined }));
    expect(only(fg, 'BATCH-CE-006').message).toMatch(/FARGATE compute resources need securityGroupIds/);
  });

  test('BATCH-CE-007 Fargate forbids EC2-only fields', () => {
    const f = run(
      fargate({
        instanceTypes: ['m5'],
        minvCpus: 0,
        instanceRole: 'ecsInstanceRole',
        launchTemplate: { launchTemplateName: 'lt' },
        bidPercentage: 50,
      }),
    );
    const hits = f.filter((x) => x.code === 'BATCH-CE-007');
    expect(hits.map((x) => x.field)).toEqual([
      'computeResources.instanceTypes',
      'computeResources.minvCpus',
      'computeResources.instanceRole',
      'computeResources.launchTemplate',
      'computeResources.bidPercentage',
    ]);
    expect(hits[0].message).toMatch(/FARGATE compute resources cannot set instanceTypes/);
  });

  test('BATCH-CE-008 vCPU bounds', () => {
    const f = run(ec2({ minvCpus: 8, desiredvCpus: 4, maxvCpus: 16 }));
    expect(only(f, 'BATCH-CE-008').message).toMatch(/minvCpus \(8\) is larger than desiredvCpus \(4\)/);
    const g = run(ec2({ minvCpus: -1, maxvCpus: 2.5 }));
    expect(g.filter((x) => x.code === 'BATCH-CE-008').map((x) => x.field)).toEqual([
      'computeResources.minvCpus',
      'computeResources.maxvCpus',
    ]);
    expect(codes(run(ec2({ minvCpus: 32, maxvCpus: 16 })))).toContain('BATCH-CE-008');
    expect(codes(run(ec2({ minvCpus: 4, desiredvCpus: 8, maxvCpus: 16 })))).not.toContain('BATCH-CE-008');
  });

  test('BATCH-CE-009 allocation strategy', () => {
    expect(only(run(ec2({ allocationStrategy: 'CHEAPEST' as never })), 'BATCH-CE-009').message).toMatch(
      /"CHEAPEST".*BEST_FIT, BEST_FIT_PROGRESSIVE/,
    );
    expect(only(run(ec2({ allocationStrategy: 'SPOT_CAPACITY_OPTIMIZED' })), 'BATCH-CE-009').message).toMatch(
      /only for SPOT.*type is EC2/,
    );
    expect(codes(run(ec2({ allocationStrategy: 'BEST_FIT_PROGRESSIVE' })))).toEqual([]);
  });

  test('BATCH-CE-010 SPOT with BEST_FIT needs spotIamFleetRole', () => {
    expect(only(run(ec2({ type: 'SPOT' })), 'BATCH-CE-010').message).toMatch(
      /no allocationStrategy \(BEST_FIT\) need a Spot Fleet role/,
    );
    expect(codes(run(ec2({ type: 'SPOT', allocationStrategy: 'BEST_FIT' })))).toEqual(['BATCH-CE-010']);
    expect(codes(run(ec2({ type: 'SPOT', allocationStrategy: 'SPOT_CAPACITY_OPTIMIZED' })))).toEqual([]);
  });

  test('BATCH-CE-011 bidPercentage', () => {
    expect(
      only(
        run(ec2({ type: 'SPOT', allocationStrategy: 'SPOT_CAPACITY_OPTIMIZED', bidPercentage: 120 })),
        'BATCH-CE-011',
      ).message,
    ).toMatch(/120.*0-100/);
    expect(only(run(ec2({ bidPercentage: 50 })), 'BATCH-CE-011').message).toMatch(/only to SPOT.*type is EC2/);
  });

  test('BATCH-CE-012 instance type syntax, BATCH-CE-013 unknown types', () => {
    const f = run(ec2({ instanceTypes: ['m5.Large', 'i4i.large'] }));
    expect(only(f, 'BATCH-CE-012').message).toMatch(/instanceTypes\[0\].*"m5\.Large"/);
    const info = only(f, 'BATCH-CE-013');
    expect(info.severity).toBe('info');
    expect(info.message).toMatch(/does not know i4i\.large/);
  });

  test('BATCH-CE-014 no x86/ARM mix', () => {
    const f = only(run(ec2({ instanceTypes: ['m6i', 'c7g.large', 'optimal'] })), 'BATCH-CE-014');
    expect(f.message).toMatch(/x86_64 \(m6i, optimal\) and arm64 \(c7g\.large\)/);
    expect(f.fix).toMatch(/split/);
    expect(codes(run(ec2({ instanceTypes: ['m6g', 'c7g', 'a1'] })))).toEqual([]);
  });

  test('BATCH-CE-015 more than 50 environments is a warning', () => {
    const many = Array.from({ length: 51 }, (_, i) => ec2({}, { computeEnvironmentName: `ce-${i}` }));
    const f = only(run(...many), 'BATCH-CE-015');
    expect(f.severity).toBe('warning');
    expect(f.message).toMatch(/51 compute environments.*50 per Region/);
    expect(codes(run(...many.slice(0, 50)))).toEqual([]);
  });

  test('BATCH-CE-016 service role should be an ARN', () => {
    const f = only(run(ec2({}, { serviceRole: 'AWSBatchServiceRole' })), 'BATCH-CE-016');
    expect(f.severity).toBe('warning');
    expect(f.message).toMatch(/not an ARN/);
  });

  test('BATCH-CE-017 GPU instance types need an NVIDIA image type', () => {
    const f = only(
      run(ec2({ instanceTypes: ['m5', 'g5.xlarge'], ec2Configuration: [{ imageType: 'ECS_AL2023' }] })),
      'BATCH-CE-017',
    );
    expect(f.severity).toBe('warning');
    expect(f.message).toMatch(/GPU instance types \(g5\.xlarge\) but ec2Configuration lists only ECS_AL2023/);
    expect(
      codes(
        run(
          ec2({
            instanceTypes: ['g5'],
            ec2Configuration: [{ imageType: 'ECS_AL2023' }, { imageType: 'ECS_AL2023_NVIDIA' }],
          }),
        ),
      ),
    ).toEqual([]);
    expect(codes(run(ec2({ instanceTypes: ['g5'] })))).toEqual([]);
  });

  test('BATCH-CE-018 A1 with Amazon Linux 2023 only', () => {
    const f = only(
      run(ec2({ instanceTypes: ['a1.large', 'm6g'], ec2Configuration: [{ imageType: 'ECS_AL2023' }] })),
      'BATCH-CE-018',
    );
    expect(f.message).toMatch(/A1 instance types \(a1\.large\) cannot run the Amazon Linux 2023 images/);
    expect(codes(run(ec2({ instanceTypes: ['a1'], ec2Configuration: [{ imageType: 'ECS_AL2' }] })))).toEqual([]);
  });

  test('unresolved values are skipped with an info finding, never passed or failed', () => {
    const f = run(
      ec2(
        {
          maxvCpus: UNRESOLVED_NUMBER,
          bidPercentage: UNRESOLVED_NUMBER,
          type: 'SPOT',
          allocationStrategy: 'SPOT_CAPACITY_OPTIMIZED',
          instanceTypes: [unresolvedString('Param Types')],
        },
        { computeEnvironmentName: unresolvedString('Param Name') },
      ),
    );
    expect(f.every((x) => x.severity === 'info')).toBe(true);
    expect(f.filter((x) => x.code === 'BATCH-UNRESOLVED').map((x) => x.field)).toEqual([
      'computeEnvironmentName',
      'computeResources.maxvCpus',
      'computeResources.bidPercentage',
      'computeResources.instanceTypes[0]',
    ]);
    expect(f[0].message).toMatch(/rule BATCH-CE-001 skipped: the value is Param Name/);
  });
});
