import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { BatchInstanceType, familyArchitecture } from '../../../lib/constructs/compute/instance-type';

describe('BatchInstanceType', () => {
  test.each<[BatchInstanceType, string, string, string | undefined, boolean]>([
    [BatchInstanceType.of(ec2.InstanceClass.C5, ec2.InstanceSize.XLARGE4), 'c5.4xlarge', 'type', 'x86_64', false],
    [
      BatchInstanceType.of(ec2.InstanceClass.COMPUTE7_GRAVITON3, ec2.InstanceSize.LARGE),
      'c7g.large',
      'type',
      'arm64',
      false,
    ],
    [BatchInstanceType.family(ec2.InstanceClass.MEMORY6_INTEL), 'r6i', 'family', 'x86_64', false],
    [BatchInstanceType.family(ec2.InstanceClass.G5), 'g5', 'family', 'x86_64', true],
    [BatchInstanceType.family(ec2.InstanceClass.G5G), 'g5g', 'family', 'arm64', true],
    [BatchInstanceType.fromEc2(new ec2.InstanceType('p4d.24xlarge')), 'p4d.24xlarge', 'type', 'x86_64', true],
    [BatchInstanceType.custom('a1.medium'), 'a1.medium', 'type', 'arm64', false],
    [BatchInstanceType.custom('c7gn'), 'c7gn', 'family', 'arm64', false],
    [BatchInstanceType.custom('optimal'), 'optimal', 'optimal', 'x86_64', false],
    [BatchInstanceType.custom('default_arm64'), 'default_arm64', 'default', 'arm64', false],
    [BatchInstanceType.DEFAULT_X86_64, 'default_x86_64', 'default', 'x86_64', false],
  ])('%s', (t, name, kind, arch, gpu) => {
    expect(t.toString()).toBe(name);
    expect(t.kind).toBe(kind);
    expect(t.architecture).toBe(arch);
    expect(t.isGpu).toBe(gpu);
  });

  test('custom keywords return the shared instances', () => {
    expect(BatchInstanceType.custom('optimal')).toBe(BatchInstanceType.OPTIMAL);
  });

  test('custom rejects what cannot be an instance type', () => {
    expect(() => BatchInstanceType.custom('C5.Large')).toThrow(/BATCHKIT-CDK-008.*"C5.Large"/);
    expect(() => BatchInstanceType.custom('')).toThrow(/BATCHKIT-CDK-008/);
  });

  test('custom uses the core syntax (BATCH-CE-012): a size that is no EC2 size is rejected, real ones pass', () => {
    expect(() => BatchInstanceType.custom('c5.huge')).toThrow(/BATCHKIT-CDK-008.*"c5.huge"/);
    expect(() => BatchInstanceType.custom('m')).toThrow(/BATCHKIT-CDK-008/);
    expect(BatchInstanceType.custom('c5.2xlarge').kind).toBe('type');
    expect(BatchInstanceType.custom('u-6tb1').kind).toBe('family');
  });

  test('familyArchitecture of unknown shapes is undefined', () => {
    expect(familyArchitecture('u-6tb1')).toBeUndefined();
    expect(familyArchitecture('m6i')).toBe('x86_64');
    expect(familyArchitecture('hpc7g')).toBe('arm64');
  });
});
