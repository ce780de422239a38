import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { UnmanagedComputeEnvironment } from '../../../lib/constructs/compute/unmanaged-compute-environment';
import { BatchServiceRole } from '../../../lib/constructs/iam/batch-service-role';

const CE = 'AWS::Batch::ComputeEnvironment';

describe('UnmanagedComputeEnvironment', () => {
  test('defaults: UNMANAGED, no compute resources, service-linked role (no role created)', () => {
    const stack = new Stack(new App(), 'S');
    const ce = new UnmanagedComputeEnvironment(stack, 'Ce');
    const t = Template.fromStack(stack);
    t.hasResourceProperties(CE, {
      Type: 'UNMANAGED',
      State: 'ENABLED',
      ServiceRole: Match.absent(),
      ComputeResources: Match.absent(),
      UnmanagedvCpus: Match.absent(),
    });
    t.resourceCountIs('AWS::IAM::Role', 0);
    expect(ce.platform).toBe('EC2');
    expect(ce.architecture).toBe('x86_64');
    expect(ce.model).toMatchObject({ type: 'UNMANAGED', state: 'ENABLED' });
  });

  test('unmanagedvCpus, state, name, service role and architecture', () => {
    const stack = new Stack(new App(), 'S');
    const ce = new UnmanagedComputeEnvironment(stack, 'Ce', {
      unmanagedvCpus: 48,
      enabled: false,
      computeEnvironmentName: 'own-fleet',
      serviceRole: new BatchServiceRole(stack, 'Svc'),
      architecture: 'arm64',
    });
    Template.fromStack(stack).hasResourceProperties(CE, {
      UnmanagedvCpus: 48,
      State: 'DISABLED',
      ComputeEnvironmentName: 'own-fleet',
      ServiceRole: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Svc'), 'Arn'] },
    });
    expect(ce.architecture).toBe('arm64');
    expect(ce.computeEnvironmentName).toBe('own-fleet');
  });

  test.each<[string, object, RegExp]>([
    [
      'negative unmanagedvCpus',
      { unmanagedvCpus: -1 },
      new RegExp(
        String.raw`^S\/Ce: \[BATCH-CE-019\] ComputeEnvironment "<name generated` +
          String.raw` at deployment for S\/Ce>" unmanagedvCpus: .*Got: -1`,
      ),
    ],
    [
      'fractional unmanagedvCpus',
      { unmanagedvCpus: 1.5 },
      /^S\/Ce: \[BATCH-CE-019\].*Got: 1\.5\. Allowed: integers >= 0/,
    ],
    ['name over 128 characters', { computeEnvironmentName: 'n'.repeat(129) }, /^S\/Ce: \[BATCH-CE-001\].*1-128/],
  ])('rejects %s', (_n, props, error) => {
    const stack = new Stack(new App(), 'S');
    expect(() => new UnmanagedComputeEnvironment(stack, 'Ce', props)).toThrow(error);
  });

  test('fromComputeEnvironmentArn', () => {
    const stack = new Stack(new App(), 'S');
    const ce = UnmanagedComputeEnvironment.fromComputeEnvironmentArn(
      stack,
      'I',
      'arn:aws:batch:us-east-1:111111111111:compute-environment/u1',
    );
    expect(ce.computeEnvironmentName).toBe('u1');
    expect(ce.platform).toBe('EC2');
    expect(ce.computeEnvironmentArn).toBe('arn:aws:batch:us-east-1:111111111111:compute-environment/u1');
  });
});
