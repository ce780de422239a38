/**
 * The compute environment constructs render their props to the core model and run the core rule
 * list on it. The real list is being filled in by the rules' owners, so this test swaps in two
 * rules of its own and checks what the constructs hand them and how findings come back.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { BatchModel } from '../../../lib/core/model/batch-model';
import type { ComputeEnvironment } from '../../../lib/core/model/compute-environment';
import { isUnresolved } from '../../../lib/core/model/unresolved';
import { finding } from '../../../lib/core/rules/finding';
import type { Rule } from '../../../lib/core/rules/rule';

const seen: ComputeEnvironment[] = [];

jest.mock('../../../lib/core/rules', () => {
  const actual = jest.requireActual('../../../lib/core/rules');
  const rules: Rule[] = [
    {
      code: 'TEST-CE-ERR',
      severity: 'error',
      description: 'maxvCpus above 1000',
      check(model: BatchModel) {
        seen.push(...model.computeEnvironments);
        return model.computeEnvironments
          .filter((ce) => (ce.computeResources?.maxvCpus ?? 0) > 1000)
          .map((ce) =>
            finding({
              code: 'TEST-CE-ERR',
              severity: 'error',
              resource: { kind: 'ComputeEnvironment', name: ce.computeEnvironmentName },
              field: 'computeResources.maxvCpus',
              problem: 'too many vCPUs.',
              value: ce.computeResources?.maxvCpus,
              allowed: '<= 1000',
              fix: 'lower maxvCpus.',
            }),
          );
      },
    },
    {
      code: 'TEST-CE-WARN',
      severity: 'warning',
      description: 'unmanaged environments',
      check(model: BatchModel) {
        return model.computeEnvironments
          .filter((ce) => ce.type === 'UNMANAGED')
          .map((ce) =>
            finding({
              code: 'TEST-CE-WARN',
              severity: 'warning',
              resource: { kind: 'ComputeEnvironment', name: ce.computeEnvironmentName },
              problem: 'scales only by hand.',
            }),
          );
      },
    },
  ];
  return { ...actual, ALL_RULES: rules };
});

// Imported after the mock so the constructs see the test rules.
import { FargateComputeEnvironment } from '../../../lib/constructs/compute/fargate-compute-environment';
import { BatchInstanceType } from '../../../lib/constructs/compute/instance-type';
import { ManagedEc2ComputeEnvironment } from '../../../lib/constructs/compute/managed-ec2-compute-environment';
import { UnmanagedComputeEnvironment } from '../../../lib/constructs/compute/unmanaged-compute-environment';

function setup(): { stack: Stack; vpc: ec2.Vpc } {
  const stack = new Stack(new App(), 'S');
  return { stack, vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 }) };
}

beforeEach(() => {
  seen.length = 0;
});

test('the EC2 model handed to the rules has the API shape; deploy-time values are unresolved', () => {
  const { stack, vpc } = setup();
  new ManagedEc2ComputeEnvironment(stack, 'Ce', {
    vpc,
    spot: true,
    maxvCpus: 64,
    instanceTypes: [BatchInstanceType.custom('m6i')],
  });
  expect(seen).toHaveLength(1);
  const ce = seen[0];
  expect(ce).toMatchObject({
    type: 'MANAGED',
    state: 'ENABLED',
    replaceComputeEnvironment: false,
    computeResources: {
      type: 'SPOT',
      allocationStrategy: 'SPOT_PRICE_CAPACITY_OPTIMIZED',
      minvCpus: 0,
      maxvCpus: 64,
      instanceTypes: ['m6i'],
      ec2Configuration: [{ imageType: 'ECS_AL2023' }],
    },
  });
  expect(isUnresolved(ce.computeEnvironmentName)).toBe(true);
  expect(isUnresolved(ce.computeResources?.instanceRole)).toBe(true);
  expect(isUnresolved(ce.computeResources?.spotIamFleetRole)).toBe(true);
  expect(ce.computeResources?.subnets).toHaveLength(2);
});

test('a rule error stops synthesis with the construct path, rule code, field and fix', () => {
  const { stack, vpc } = setup();
  expect(
    () => new FargateComputeEnvironment(stack, 'Big', { vpc, maxvCpus: 4096, computeEnvironmentName: 'big' }),
  ).toThrow(
    new RegExp(
      String.raw`^S\/Big: \[TEST-CE-ERR\] ComputeEnvironment "big" computeRes` +
        String.raw`ources.maxvCpus: too many vCPUs. Got: 4096. Allowed: <= 1000` +
        String.raw`. Fix: lower maxvCpus.`,
    ),
  );
  expect(() => {
    const s2 = setup();
    new ManagedEc2ComputeEnvironment(s2.stack, 'Big', { vpc: s2.vpc, maxvCpus: 2000 });
  }).toThrow(/\[TEST-CE-ERR\]/);
});

test('a rule warning becomes an acknowledgeable annotation on the construct', () => {
  const stack = new Stack(new App(), 'S');
  new UnmanagedComputeEnvironment(stack, 'U', { computeEnvironmentName: 'own' });
  expect(seen[0]).toEqual({
    computeEnvironmentName: 'own',
    type: 'UNMANAGED',
    state: 'ENABLED',
    serviceRole: undefined,
    unmanagedvCpus: undefined,
  });
  Annotations.fromStack(stack).hasWarning(
    '/S/U',
    Match.stringLikeRegexp('TEST-CE-WARN.*ComputeEnvironment "own".*scales only by hand'),
  );
});

test('the Fargate model', () => {
  const { stack, vpc } = setup();
  new FargateComputeEnvironment(stack, 'F', { vpc, spot: true });
  expect(seen[0].computeResources).toMatchObject({ type: 'FARGATE_SPOT', maxvCpus: 256 });
  expect(seen[0].computeResources?.instanceTypes).toBeUndefined();
});
