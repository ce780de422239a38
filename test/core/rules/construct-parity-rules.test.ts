/**
 * Rules added so that `batchkit validate` checks on any template what the constructs used to check
 * on their own: BATCH-CE-019 (unmanagedvCpus), BATCH-CE-020 (security group count), BATCH-CE-021
 * (update timeout), BATCH-JD-035 (EFS transit encryption and root directory). A compliant and a
 * non-compliant case each.
 */
import { emptyBatchModel } from '../../../lib/core/model/batch-model';
import type { ComputeResource, LoadedComputeEnvironment } from '../../../lib/core/model/compute-environment';
import type { EFSVolumeConfiguration, LoadedJobDefinition } from '../../../lib/core/model/job-definition';
import { UNRESOLVED_NUMBER } from '../../../lib/core/model/unresolved';
import { ALL_RULES } from '../../../lib/core/rules';
import type { Finding } from '../../../lib/core/rules/finding';
import { runRules } from '../../../lib/core/rules/rule';

function ec2(
  cr: Partial<ComputeResource> = {},
  extra: Partial<LoadedComputeEnvironment> = {},
): LoadedComputeEnvironment {
  return {
    computeEnvironmentName: 'ce-1',
    type: 'MANAGED',
    computeResources: {
      type: 'EC2',
      maxvCpus: 64,
      instanceTypes: ['m6i'],
      subnets: ['subnet-1'],
      securityGroupIds: ['sg-1'],
      instanceRole: 'arn:aws:iam::123456789012:instance-profile/ecsInstanceRole',
      ...cr,
    },
    ...extra,
  };
}

function efsJob(config: Partial<EFSVolumeConfiguration>): LoadedJobDefinition {
  return {
    jobDefinitionName: 'jd',
    type: 'container',
    containerProperties: {
      image: 'busybox',
      resourceRequirements: [
        { type: 'VCPU', value: '1' },
        { type: 'MEMORY', value: '512' },
      ],
      volumes: [{ name: 'data', efsVolumeConfiguration: { fileSystemId: 'fs-1', ...config } }],
      mountPoints: [{ sourceVolume: 'data', containerPath: '/data' }],
    },
  };
}

function only(code: string, part: { ce?: LoadedComputeEnvironment; jd?: LoadedJobDefinition }): Finding[] {
  const model = emptyBatchModel();
  if (part.ce) model.computeEnvironments.push(part.ce);
  if (part.jd) model.jobDefinitions.push(part.jd);
  return runRules(
    ALL_RULES.filter((r) => r.code === code),
    model,
  ).filter((f) => f.code === code);
}

describe('BATCH-CE-019 unmanagedvCpus', () => {
  const unmanaged = (unmanagedvCpus: number): LoadedComputeEnvironment => ({
    computeEnvironmentName: 'u',
    type: 'UNMANAGED',
    unmanagedvCpus,
  });
  test('a whole number of vCPUs, 0 or more, passes', () => {
    expect(only('BATCH-CE-019', { ce: unmanaged(0) })).toEqual([]);
    expect(only('BATCH-CE-019', { ce: unmanaged(48) })).toEqual([]);
  });
  test.each([-1, 1.5])('%p is an error naming the field and the allowed values', (v) => {
    const [f] = only('BATCH-CE-019', { ce: unmanaged(v) });
    expect(f).toMatchObject({ severity: 'error', field: 'unmanagedvCpus', value: v, allowed: 'integers >= 0' });
  });
  test('an unresolved value is skipped with an info finding', () => {
    const findings = runRules(
      ALL_RULES.filter((r) => r.code === 'BATCH-CE-019'),
      { ...emptyBatchModel(), computeEnvironments: [unmanaged(UNRESOLVED_NUMBER)] },
    );
    expect(findings.map((f) => [f.code, f.severity])).toEqual([['BATCH-UNRESOLVED', 'info']]);
  });
});

describe('BATCH-CE-020 security groups', () => {
  test('five security groups pass', () => {
    expect(only('BATCH-CE-020', { ce: ec2({ securityGroupIds: ['a', 'b', 'c', 'd', 'e'] }) })).toEqual([]);
  });
  test('six are an error with the count, also when the ids are tokens', () => {
    const [f] = only('BATCH-CE-020', { ce: ec2({ securityGroupIds: ['a', 'b', 'c', 'd', 'e', 'f'] }) });
    expect(f).toMatchObject({
      severity: 'error',
      field: 'computeResources.securityGroupIds',
      value: 6,
      allowed: '1-5 security groups',
    });
    const tokens = Array.from({ length: 6 }, (_, i) => `\${Token[TOKEN.${i}]}`);
    expect(only('BATCH-CE-020', { ce: ec2({ securityGroupIds: tokens }) })).toHaveLength(1);
  });
});

describe('BATCH-CE-021 update timeout', () => {
  test.each([1, 30, 360])('%p minutes pass', (m) => {
    expect(only('BATCH-CE-021', { ce: ec2({}, { updatePolicy: { jobExecutionTimeoutMinutes: m } }) })).toEqual([]);
  });
  test.each([0, 1.5, 361])('%p minutes are an error', (m) => {
    const [f] = only('BATCH-CE-021', { ce: ec2({}, { updatePolicy: { jobExecutionTimeoutMinutes: m } }) });
    expect(f).toMatchObject({
      severity: 'error',
      field: 'updatePolicy.jobExecutionTimeoutMinutes',
      value: m,
      allowed: 'whole minutes, 1-360',
    });
  });
});

describe('BATCH-JD-035 EFS volumes', () => {
  test('transit encryption with an access point, IAM authorization and root "/" pass; plain EFS needs nothing', () => {
    expect(
      only('BATCH-JD-035', {
        jd: efsJob({
          transitEncryption: 'ENABLED',
          rootDirectory: '/',
          authorizationConfig: { accessPointId: 'fsap-1', iam: 'ENABLED' },
        }),
      }),
    ).toEqual([]);
    expect(only('BATCH-JD-035', { jd: efsJob({ rootDirectory: '/data' }) })).toEqual([]);
  });
  test('an access point without transit encryption is an error on the transitEncryption field', () => {
    const [f] = only('BATCH-JD-035', { jd: efsJob({ authorizationConfig: { accessPointId: 'fsap-1' } }) });
    expect(f).toMatchObject({
      severity: 'error',
      field: 'containerProperties.volumes[0].efsVolumeConfiguration.transitEncryption',
      allowed: 'ENABLED',
    });
    expect(f.message).toMatch(/volume "data" uses an access point without transit encryption/);
  });
  test('IAM authorization with transit encryption DISABLED is an error', () => {
    const findings = only('BATCH-JD-035', {
      jd: efsJob({ transitEncryption: 'DISABLED', authorizationConfig: { iam: 'ENABLED' } }),
    });
    expect(findings.map((f) => f.message)).toEqual([
      expect.stringMatching(/uses IAM authorization without transit encryption/),
    ]);
  });
  test('a root directory other than "/" with an access point is an error on rootDirectory', () => {
    const [f] = only('BATCH-JD-035', {
      jd: efsJob({
        transitEncryption: 'ENABLED',
        rootDirectory: '/data',
        authorizationConfig: { accessPointId: 'fsap-1' },
      }),
    });
    expect(f).toMatchObject({
      field: 'containerProperties.volumes[0].efsVolumeConfiguration.rootDirectory',
      value: '/data',
    });
  });
});
