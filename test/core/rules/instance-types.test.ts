import {
  DEFAULT_ARM64_FAMILIES,
  INSTANCE_FAMILIES,
  LEGACY_OPTIMAL_FAMILIES,
  OPTIMAL_FAMILIES,
  architectureOf,
  gpuCountOf,
  instanceTypeInfo,
  isInstanceTypeSyntax,
  resolveInstanceTypes,
  schedulableMemoryMiB,
} from '../../../lib/core/rules/instance-types';
import catalogueFixture from '../../fixtures/instance-catalogue.json';

describe('instance type catalogue', () => {
  // The fixture was written by test/fixtures/dump-instance-catalogue.ts from the hand-written
  // tables, before they became size ladders: the generated catalogue must equal it exactly.
  test('the size ladders generate exactly the catalogue of the fixture (families, order, every field)', () => {
    const generated = JSON.parse(JSON.stringify([...INSTANCE_FAMILIES.values()]));
    expect(generated).toStrictEqual(catalogueFixture);
    const types = catalogueFixture.flatMap((f) => f.sizes);
    expect(types).toHaveLength(261);
    for (const t of types) expect(instanceTypeInfo(t.name)).toStrictEqual(t);
  });

  test('covers the families Batch users use', () => {
    const required = [
      'm5',
      'm5a',
      'm5d',
      'm6i',
      'm6g',
      'm7i',
      'm7g',
      'c5',
      'c5a',
      'c5n',
      'c6i',
      'c6g',
      'c7i',
      'c7g',
      'r5',
      'r6i',
      'r6g',
      'r7i',
      'r7g',
      't3',
      'a1',
      'g4dn',
      'g5',
      'g6',
      'p3',
      'p4d',
      'p5',
      'inf1',
      'trn1',
      'x2idn',
      'x2iedn',
      'x2gd',
    ];
    for (const f of required) expect(INSTANCE_FAMILIES.get(f)?.sizes.length).toBeGreaterThan(0);
  });

  test.each([
    ['m5.large', 2, 8192, 0, 'x86_64'],
    ['c5.9xlarge', 36, 73728, 0, 'x86_64'],
    ['c5n.18xlarge', 72, 196608, 0, 'x86_64'],
    ['r5.24xlarge', 96, 786432, 0, 'x86_64'],
    ['m6g.medium', 1, 4096, 0, 'arm64'],
    ['c7g.16xlarge', 64, 131072, 0, 'arm64'],
    ['t3.nano', 2, 512, 0, 'x86_64'],
    ['a1.metal', 16, 32768, 0, 'arm64'],
    ['g4dn.12xlarge', 48, 196608, 4, 'x86_64'],
    ['g5.48xlarge', 192, 786432, 8, 'x86_64'],
    ['p3.2xlarge', 8, 62464, 1, 'x86_64'],
    ['p4d.24xlarge', 96, 1179648, 8, 'x86_64'],
    ['p5.48xlarge', 192, 2097152, 8, 'x86_64'],
    ['inf1.6xlarge', 24, 49152, 0, 'x86_64'],
    ['trn1.32xlarge', 128, 524288, 0, 'x86_64'],
    ['x2iedn.32xlarge', 128, 4194304, 0, 'x86_64'],
    ['m7i.metal-48xl', 192, 786432, 0, 'x86_64'],
  ])('%s: %i vCPUs, %i MiB, %i GPUs, %s', (name, vcpus, memoryMiB, gpus, architecture) => {
    expect(instanceTypeInfo(name)).toMatchObject({ vcpus, memoryMiB, gpus, architecture });
  });
});

describe('resolveInstanceTypes', () => {
  test('a family is every size except bare metal: c5 excludes c5.metal', () => {
    const r = resolveInstanceTypes(['c5']);
    const names = r.types.map((t) => t.name);
    expect(names).toEqual([
      'c5.large',
      'c5.xlarge',
      'c5.2xlarge',
      'c5.4xlarge',
      'c5.9xlarge',
      'c5.12xlarge',
      'c5.18xlarge',
      'c5.24xlarge',
    ]);
    expect(names).not.toContain('c5.metal');
    expect(resolveInstanceTypes(['c5.metal']).types.map((t) => t.name)).toEqual(['c5.metal']);
  });

  test('optimal is the default_x86_64 families (current) or c4/m4/r4/c5/m5/r5 (legacy)', () => {
    const current = resolveInstanceTypes(['optimal']);
    expect(new Set(current.types.map((t) => t.family))).toEqual(new Set(OPTIMAL_FAMILIES));
    expect(current.architectures).toEqual(['x86_64']);
    expect(current.types.some((t) => t.metal)).toBe(false);
    const legacy = resolveInstanceTypes(['optimal'], { optimal: 'legacy' });
    expect(new Set(legacy.types.map((t) => t.family))).toEqual(new Set(LEGACY_OPTIMAL_FAMILIES));
    expect(legacy.types[legacy.types.length - 1].vcpus).toBe(96);
    const arm = resolveInstanceTypes(['default_arm64']);
    expect(new Set(arm.types.map((t) => t.family))).toEqual(new Set(DEFAULT_ARM64_FAMILIES));
    expect(arm.architectures).toEqual(['arm64']);
  });

  test('duplicates collapse, results are ordered smallest first', () => {
    const r = resolveInstanceTypes(['m5.xlarge', 'm5', 'm5.large']);
    expect(r.types.filter((t) => t.name === 'm5.large')).toHaveLength(1);
    expect(r.types[0].name).toBe('m5.large');
    expect(r.types).toHaveLength(8);
  });

  test('unknown types are reported, not guessed; malformed ones are invalid', () => {
    const r = resolveInstanceTypes(['m5.large', 'z9q', 'm5.huge', 'M5.LARGE', 'c5.large.x']);
    expect(r.unknown).toEqual(['z9q']);
    expect(r.invalid).toEqual(['m5.huge', 'M5.LARGE', 'c5.large.x']);
    expect(r.types.map((t) => t.name)).toEqual(['m5.large']);
    expect(r.entries.map((e) => e.kind)).toEqual(['size', 'unknown', 'invalid', 'invalid', 'invalid']);
  });

  test('a mix of x86 and ARM shows as two architectures', () => {
    expect(resolveInstanceTypes(['m5', 'm6g.large']).architectures).toEqual(['arm64', 'x86_64']);
    expect(resolveInstanceTypes(['optimal', 'c5']).architectures).toEqual(['x86_64']);
  });
});

describe('helpers', () => {
  test('isInstanceTypeSyntax', () => {
    for (const ok of [
      'optimal',
      'default_arm64',
      'c5',
      'c5n',
      'x2iedn.32xlarge',
      'm7i.metal-24xl',
      't3.nano',
      'u-6tb1',
    ]) {
      expect(isInstanceTypeSyntax(ok)).toBe(true);
    }
    for (const bad of ['', 'c', 'c5.', 'c5.gigantic', 'C5', 'c5 large', 'optimal.large', 'default']) {
      expect(isInstanceTypeSyntax(bad)).toBe(false);
    }
  });

  test('architectureOf and gpuCountOf', () => {
    expect(architectureOf('a1.large')).toBe('arm64');
    expect(architectureOf('m7g')).toBe('arm64');
    expect(architectureOf('optimal')).toBe('x86_64');
    expect(architectureOf('z9q.large')).toBeUndefined();
    expect(gpuCountOf('g4dn.xlarge')).toBe(1);
    expect(gpuCountOf('g4dn')).toBe(4);
    expect(gpuCountOf('p3.16xlarge')).toBe(8);
    expect(gpuCountOf('m5')).toBe(0);
    expect(gpuCountOf('optimal')).toBe(0);
    expect(gpuCountOf('z9q')).toBeUndefined();
  });

  test('schedulable memory: the nominal memory never fits (m4.large 8192 → 7955 MiB)', () => {
    expect(schedulableMemoryMiB({ memoryMiB: 8192 })).toBe(7955);
    expect(schedulableMemoryMiB(instanceTypeInfo('m5.large')!)).toBeLessThan(8192);
  });
});
