import {
  FARGATE_SIZES,
  FARGATE_VCPU_VALUES,
  compareFargatePlatformVersions,
  describeFargateMemoryOptions,
  fargateMemoryOptions,
  fargateVcpuOptions,
  isFargateDefinition,
  isValidFargateSize,
  platformVersionSupportsEfs,
} from '../../../lib/core/rules/fargate';

describe('Fargate vCPU/memory table', () => {
  test('vCPU values are those of the Batch API reference', () => {
    expect(FARGATE_VCPU_VALUES).toEqual([0.25, 0.5, 1, 2, 4, 8, 16]);
  });

  test('0.25 vCPU allows 512, 1024 and 2048 MiB only', () => {
    expect(fargateMemoryOptions(0.25)).toEqual([512, 1024, 2048]);
  });

  test.each([
    [0.5, 1024, 4096, 1024, 4],
    [1, 2048, 8192, 1024, 7],
    [2, 4096, 16384, 1024, 13],
    [4, 8192, 30720, 1024, 23],
    [8, 16384, 61440, 4096, 12],
    [16, 32768, 122880, 8192, 12],
  ])('%s vCPU: %s..%s MiB in steps of %s (%s sizes)', (vcpus, min, max, step, count) => {
    const options = fargateMemoryOptions(vcpus);
    expect(options[0]).toBe(min);
    expect(options[options.length - 1]).toBe(max);
    expect(options).toHaveLength(count);
    options.slice(1).forEach((m, i) => expect(m - options[i]).toBe(step));
  });

  test('unsupported vCPU values have no memory options', () => {
    expect(fargateMemoryOptions(3)).toEqual([]);
    expect(fargateMemoryOptions(0.75)).toEqual([]);
    expect(fargateMemoryOptions(32)).toEqual([]);
  });

  test('valid and invalid combinations', () => {
    expect(isValidFargateSize(0.25, 512)).toBe(true);
    expect(isValidFargateSize(0.25, 3072)).toBe(false);
    expect(isValidFargateSize(1, 2048)).toBe(true);
    expect(isValidFargateSize(1, 1024)).toBe(false);
    expect(isValidFargateSize(8, 20480)).toBe(true);
    expect(isValidFargateSize(8, 17408)).toBe(false); // 1024 steps stop at 4 vCPU
    expect(isValidFargateSize(16, 122880)).toBe(true);
    expect(isValidFargateSize(16, 131072)).toBe(false);
  });

  test('vCPU options of a memory size', () => {
    expect(fargateVcpuOptions(2048)).toEqual([0.25, 0.5, 1]);
    expect(fargateVcpuOptions(16384)).toEqual([2, 4, 8]);
    expect(fargateVcpuOptions(65536)).toEqual([16]);
    expect(fargateVcpuOptions(100)).toEqual([]);
  });

  test('memory options read as compact text', () => {
    expect(describeFargateMemoryOptions(0.25)).toBe('512, 1024, 2048 MiB');
    expect(describeFargateMemoryOptions(8)).toBe('16384-61440 MiB in steps of 4096');
    expect(describeFargateMemoryOptions(3)).toMatch(/none \(Fargate vCPU values are 0.25, 0.5, 1, 2, 4, 8, 16\)/);
  });

  test('every row is ascending', () => {
    for (const row of FARGATE_SIZES) expect([...row.memoryMiB].sort((a, b) => a - b)).toEqual(row.memoryMiB);
  });
});

describe('platform', () => {
  test('a definition is Fargate only when platformCapabilities includes FARGATE', () => {
    expect(isFargateDefinition({ platformCapabilities: ['FARGATE'] })).toBe(true);
    expect(isFargateDefinition({ platformCapabilities: ['EC2'] })).toBe(false);
    expect(isFargateDefinition({})).toBe(false);
  });

  test('platform versions compare numerically, LATEST above all', () => {
    expect(compareFargatePlatformVersions('1.4.0', '1.4.0')).toBe(0);
    expect(compareFargatePlatformVersions('1.3.0', '1.4.0')).toBeLessThan(0);
    expect(compareFargatePlatformVersions('1.10.0', '1.4.0')).toBeGreaterThan(0);
    expect(compareFargatePlatformVersions('LATEST', '1.4.0')).toBeGreaterThan(0);
    expect(compareFargatePlatformVersions('1.4', '1.4.0')).toBe(0);
    expect(compareFargatePlatformVersions('newest', '1.4.0')).toBeUndefined();
  });

  test('EFS needs 1.4.0 or later; absent means LATEST', () => {
    expect(platformVersionSupportsEfs(undefined)).toBe(true);
    expect(platformVersionSupportsEfs('LATEST')).toBe(true);
    expect(platformVersionSupportsEfs('1.4.0')).toBe(true);
    expect(platformVersionSupportsEfs('1.3.0')).toBe(false);
    expect(platformVersionSupportsEfs('bogus')).toBe(false);
  });
});
