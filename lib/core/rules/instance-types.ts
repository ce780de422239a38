/**
 * A catalogue of the EC2 instance families and sizes AWS Batch users put in
 * `computeResources.instanceTypes`, and how Batch reads that list: `optimal`, the
 * `default_x86_64` / `default_arm64` bundles, a family (every size except bare metal) or one
 * `family.size`.
 *
 * The catalogue is deliberately not exhaustive: a type it does not know is reported as unknown,
 * never guessed, so callers can skip checks instead of inventing capacity.
 *
 * `optimal`: the Batch API reference (ComputeResource.instanceTypes) says `optimal` selected from the
 * c4, m4, r4, c5, m5 and r5 families, and that from 2025-11-01 `optimal` behaves like
 * `default_x86_64` (m6i, c6i, r6i and c7i). batchkit resolves `optimal` to the current set by
 * default; pass `{ optimal: 'legacy' }` for the older one.
 * @see https://docs.aws.amazon.com/batch/latest/APIReference/API_ComputeResource.html
 * @see https://docs.aws.amazon.com/batch/latest/userguide/instance-type-compute-table.html
 */

/** CPU architecture of an instance type. */
export type Architecture = 'x86_64' | 'arm64';

/** One instance type. */
export interface InstanceTypeInfo {
  /** `family.size`, e.g. `c5.9xlarge`. */
  readonly name: string;
  /** The family, e.g. `c5`. */
  readonly family: string;
  /** The size, e.g. `9xlarge`, `metal`. */
  readonly size: string;
  /** vCPUs. */
  readonly vcpus: number;
  /** Installed memory in MiB (the nominal figure, before kernel and agent overhead). */
  readonly memoryMiB: number;
  /** NVIDIA GPUs (Inferentia/Trainium accelerators are not GPUs to Batch: 0). */
  readonly gpus: number;
  /** CPU architecture. */
  readonly architecture: Architecture;
  /** True for bare metal sizes, which a family name does not include. */
  readonly metal: boolean;
}

/** One instance family. */
export interface InstanceFamilyInfo {
  /** Family name, e.g. `m6g`. */
  readonly name: string;
  /** CPU architecture of every size. */
  readonly architecture: Architecture;
  /** Every size, smallest first, bare metal included. */
  readonly sizes: readonly InstanceTypeInfo[];
}

/** `[size, vCPUs, memory GiB, GPUs]`. */
type Row = readonly [string, number, number, number];

/**
 * A family as a size ladder: each size's vCPUs follow from its name and its memory is a fixed
 * number of GiB per vCPU. Sizes whose figures break the ladder are listed as they are.
 */
interface SizeLadder {
  /** CPU architecture of every size. */
  readonly architecture: Architecture;
  /** GiB of memory per vCPU. */
  readonly gibPerVcpu: number;
  /** The sizes on the ladder, smallest first, space separated (vCPUs: see {@link vcpusOfSize}). */
  readonly sizes: string;
  /** Bare metal sizes and their vCPUs; memory follows the ladder's ratio. */
  readonly metal?: Readonly<Record<string, number>>;
  /** NVIDIA GPUs of every size (default 0). */
  readonly gpus?: number;
  /** GPUs of the sizes where they differ from `gpus`. */
  readonly gpusBySize?: Readonly<Record<string, number>>;
  /** Sizes off the ladder (other vCPUs or memory): `[size, vCPUs, memory GiB, GPUs]`. */
  readonly offLadder?: readonly Row[];
}

/** vCPUs of a regular size name: medium 1, large 2, xlarge 4, Nxlarge 4N. */
function vcpusOfSize(size: string): number {
  if (size === 'medium') return 1;
  if (size === 'large') return 2;
  if (size === 'xlarge') return 4;
  const m = /^(\d+)xlarge$/.exec(size);
  if (!m) throw new Error(`instance catalogue: size "${size}" is not on a ladder; list it in offLadder`);
  return Number(m[1]) * 4;
}

/** The rows of a ladder: its sizes, then its bare metal sizes, then the sizes off the ladder. */
function ladderRows(ladder: SizeLadder): Row[] {
  const rung = (size: string, vcpus: number): Row => [
    size,
    vcpus,
    vcpus * ladder.gibPerVcpu,
    ladder.gpusBySize?.[size] ?? ladder.gpus ?? 0,
  ];
  return [
    ...ladder.sizes.split(' ').map((size) => rung(size, vcpusOfSize(size))),
    ...Object.entries(ladder.metal ?? {}).map(([size, vcpus]) => rung(size, vcpus)),
    ...(ladder.offLadder ?? []),
  ];
}

const M5_SIZES = 'large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge';
const GEN6I_SIZES = `${M5_SIZES} 32xlarge`;
const GEN7I_SIZES = `${M5_SIZES} 48xlarge`;
const GRAVITON_SIZES = 'medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge';
const C5_SIZES = 'large xlarge 2xlarge 4xlarge 9xlarge 12xlarge 18xlarge 24xlarge';
const GPU_SIZES = 'xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge';
/** Bare metal sizes of the 7th-generation Intel families. */
const GEN7I_METAL = { 'metal-24xl': 96, 'metal-48xl': 192 };

/** Families as size ladders. Figures from the EC2 instance type pages. */
const FAMILY_LADDERS: Record<string, SizeLadder> = {
  // General purpose.
  m4: { architecture: 'x86_64', gibPerVcpu: 4, sizes: 'large xlarge 2xlarge 4xlarge 10xlarge 16xlarge' },
  m5: { architecture: 'x86_64', gibPerVcpu: 4, sizes: M5_SIZES, metal: { metal: 96 } },
  m5a: { architecture: 'x86_64', gibPerVcpu: 4, sizes: M5_SIZES },
  m5d: { architecture: 'x86_64', gibPerVcpu: 4, sizes: M5_SIZES, metal: { metal: 96 } },
  m6i: { architecture: 'x86_64', gibPerVcpu: 4, sizes: GEN6I_SIZES, metal: { metal: 128 } },
  m6g: { architecture: 'arm64', gibPerVcpu: 4, sizes: GRAVITON_SIZES, metal: { metal: 64 } },
  m7i: { architecture: 'x86_64', gibPerVcpu: 4, sizes: GEN7I_SIZES, metal: GEN7I_METAL },
  m7g: { architecture: 'arm64', gibPerVcpu: 4, sizes: GRAVITON_SIZES, metal: { metal: 64 } },
  // Burstable: the sizes below large all have 2 vCPUs.
  t3: {
    architecture: 'x86_64',
    gibPerVcpu: 4,
    sizes: 'large xlarge 2xlarge',
    offLadder: [
      ['nano', 2, 0.5, 0],
      ['micro', 2, 1, 0],
      ['small', 2, 2, 0],
      ['medium', 2, 4, 0],
    ],
  },
  a1: { architecture: 'arm64', gibPerVcpu: 2, sizes: 'medium large xlarge 2xlarge 4xlarge', metal: { metal: 16 } },
  // Compute optimized.
  c4: {
    architecture: 'x86_64',
    gibPerVcpu: 1.875,
    sizes: 'large xlarge 2xlarge 4xlarge',
    offLadder: [['8xlarge', 36, 60, 0]],
  },
  c5: { architecture: 'x86_64', gibPerVcpu: 2, sizes: C5_SIZES, metal: { metal: 96 } },
  c5a: { architecture: 'x86_64', gibPerVcpu: 2, sizes: M5_SIZES },
  c5n: {
    architecture: 'x86_64',
    gibPerVcpu: 2.625,
    sizes: 'large xlarge 2xlarge 4xlarge',
    offLadder: [
      ['9xlarge', 36, 96, 0],
      ['18xlarge', 72, 192, 0],
      ['metal', 72, 192, 0],
    ],
  },
  c6i: { architecture: 'x86_64', gibPerVcpu: 2, sizes: GEN6I_SIZES, metal: { metal: 128 } },
  c6g: { architecture: 'arm64', gibPerVcpu: 2, sizes: GRAVITON_SIZES, metal: { metal: 64 } },
  c7i: { architecture: 'x86_64', gibPerVcpu: 2, sizes: GEN7I_SIZES, metal: GEN7I_METAL },
  c7g: { architecture: 'arm64', gibPerVcpu: 2, sizes: GRAVITON_SIZES, metal: { metal: 64 } },
  // Memory optimized.
  r4: { architecture: 'x86_64', gibPerVcpu: 7.625, sizes: 'large xlarge 2xlarge 4xlarge 8xlarge 16xlarge' },
  r5: { architecture: 'x86_64', gibPerVcpu: 8, sizes: M5_SIZES, metal: { metal: 96 } },
  r6i: { architecture: 'x86_64', gibPerVcpu: 8, sizes: GEN6I_SIZES, metal: { metal: 128 } },
  r6g: { architecture: 'arm64', gibPerVcpu: 8, sizes: GRAVITON_SIZES, metal: { metal: 64 } },
  r7i: { architecture: 'x86_64', gibPerVcpu: 8, sizes: GEN7I_SIZES, metal: GEN7I_METAL },
  r7g: { architecture: 'arm64', gibPerVcpu: 8, sizes: GRAVITON_SIZES, metal: { metal: 64 } },
  x2idn: { architecture: 'x86_64', gibPerVcpu: 16, sizes: '16xlarge 24xlarge 32xlarge', metal: { metal: 128 } },
  x2iedn: {
    architecture: 'x86_64',
    gibPerVcpu: 32,
    sizes: 'xlarge 2xlarge 4xlarge 8xlarge 16xlarge 24xlarge 32xlarge',
    metal: { metal: 128 },
  },
  x2gd: { architecture: 'arm64', gibPerVcpu: 16, sizes: GRAVITON_SIZES, metal: { metal: 64 } },
  // Accelerated computing: 1 GPU a size unless gpusBySize says otherwise.
  g4dn: {
    architecture: 'x86_64',
    gibPerVcpu: 4,
    sizes: GPU_SIZES,
    metal: { metal: 96 },
    gpus: 1,
    gpusBySize: { '12xlarge': 4, metal: 8 },
  },
  g5: {
    architecture: 'x86_64',
    gibPerVcpu: 4,
    sizes: `${GPU_SIZES} 24xlarge 48xlarge`,
    gpus: 1,
    gpusBySize: { '12xlarge': 4, '24xlarge': 4, '48xlarge': 8 },
  },
  g6: {
    architecture: 'x86_64',
    gibPerVcpu: 4,
    sizes: `${GPU_SIZES} 24xlarge 48xlarge`,
    gpus: 1,
    gpusBySize: { '12xlarge': 4, '24xlarge': 4, '48xlarge': 8 },
  },
  p3: {
    architecture: 'x86_64',
    gibPerVcpu: 7.625,
    sizes: '2xlarge 8xlarge 16xlarge',
    gpus: 1,
    gpusBySize: { '8xlarge': 4, '16xlarge': 8 },
  },
  p4d: { architecture: 'x86_64', gibPerVcpu: 12, sizes: '24xlarge', gpus: 8 },
  p5: { architecture: 'x86_64', gibPerVcpu: 2048 / 192, sizes: '48xlarge', gpus: 8 },
  // Inferentia and Trainium accelerators are not GPUs to Batch.
  inf1: { architecture: 'x86_64', gibPerVcpu: 2, sizes: 'xlarge 2xlarge 6xlarge 24xlarge' },
  trn1: { architecture: 'x86_64', gibPerVcpu: 4, sizes: '2xlarge 32xlarge' },
};

function buildCatalogue(): ReadonlyMap<string, InstanceFamilyInfo> {
  const families = new Map<string, InstanceFamilyInfo>();
  for (const [family, ladder] of Object.entries(FAMILY_LADDERS)) {
    const architecture = ladder.architecture;
    const sizes = ladderRows(ladder)
      .map(([size, vcpus, gib, gpus]) => ({
        name: `${family}.${size}`,
        family,
        size,
        vcpus,
        memoryMiB: Math.round(gib * 1024),
        gpus,
        architecture,
        metal: size.startsWith('metal'),
      }))
      .sort((a, b) => a.vcpus - b.vcpus || a.memoryMiB - b.memoryMiB);
    families.set(family, { name: family, architecture, sizes });
  }
  return families;
}

/** Every family batchkit knows, by name. */
export const INSTANCE_FAMILIES: ReadonlyMap<string, InstanceFamilyInfo> = buildCatalogue();

const INSTANCE_TYPES: ReadonlyMap<string, InstanceTypeInfo> = new Map(
  [...INSTANCE_FAMILIES.values()].flatMap((f) => f.sizes.map((t) => [t.name, t] as const)),
);

/** Families `optimal` selects from since 2025-11-01 (the same as `default_x86_64`). */
export const OPTIMAL_FAMILIES: readonly string[] = ['m6i', 'c6i', 'r6i', 'c7i'];
/** Families `optimal` selected from before 2025-11-01. */
export const LEGACY_OPTIMAL_FAMILIES: readonly string[] = ['c4', 'm4', 'r4', 'c5', 'm5', 'r5'];
/** Families of the `default_x86_64` bundle. */
export const DEFAULT_X86_64_FAMILIES: readonly string[] = ['m6i', 'c6i', 'r6i', 'c7i'];
/** Families of the `default_arm64` bundle. */
export const DEFAULT_ARM64_FAMILIES: readonly string[] = ['m6g', 'c6g', 'r6g', 'c7g'];

/** Keywords Batch accepts in `instanceTypes` besides families and sizes. */
export const INSTANCE_TYPE_KEYWORDS = ['optimal', 'default_x86_64', 'default_arm64'] as const;

/** How one `instanceTypes` entry was read. */
export type InstanceTypeEntryKind = 'keyword' | 'family' | 'size' | 'unknown' | 'invalid';

/** One `instanceTypes` entry and what it stands for. */
export interface ResolvedEntry {
  /** The entry as written. */
  readonly entry: string;
  /** keyword (`optimal`, ...), family, size, unknown (well formed, not in the catalogue), invalid (malformed). */
  readonly kind: InstanceTypeEntryKind;
  /** The instance types it stands for (empty for unknown and invalid entries). */
  readonly types: readonly InstanceTypeInfo[];
  /** The architecture, when known (also for keywords). */
  readonly architecture?: Architecture;
}

/** Result of {@link resolveInstanceTypes}. */
export interface ResolvedInstanceTypes {
  /** Every known instance type the list allows, without duplicates, smallest first. */
  readonly types: readonly InstanceTypeInfo[];
  /** Well-formed entries the catalogue does not know (checks depending on them must be skipped). */
  readonly unknown: readonly string[];
  /** Malformed entries (neither keyword, family nor `family.size`). */
  readonly invalid: readonly string[];
  /** The architectures the known entries use (more than one is a mix Batch rejects). */
  readonly architectures: readonly Architecture[];
  /** Each entry as read. */
  readonly entries: readonly ResolvedEntry[];
}

/** Options of {@link resolveInstanceTypes}. */
export interface ResolveOptions {
  /**
   * What `optimal` stands for.
   * @default 'current' - m6i, c6i, r6i, c7i (Batch's behaviour since 2025-11-01)
   */
  readonly optimal?: 'current' | 'legacy';
}

/** Syntax of a family (`c5`, `c5n`, `x2iedn`, `u-6tb1`) and of a size. */
const FAMILY_SYNTAX = /^[a-z][a-z0-9-]*[0-9][a-z0-9-]*$/;
const SIZE_SYNTAX = /^(?:nano|micro|small|medium|large|\d*xlarge|metal(?:-\d+xl)?)$/;

/** True when the entry is a keyword, a family name or a `family.size`, as Batch's syntax allows. */
export function isInstanceTypeSyntax(entry: string): boolean {
  if ((INSTANCE_TYPE_KEYWORDS as readonly string[]).includes(entry)) return true;
  const [family, size, ...rest] = entry.split('.');
  if (rest.length > 0 || !FAMILY_SYNTAX.test(family)) return false;
  return size === undefined || SIZE_SYNTAX.test(size);
}

function familySizes(family: string): InstanceTypeInfo[] {
  return (INSTANCE_FAMILIES.get(family)?.sizes ?? []).filter((t) => !t.metal);
}

function keywordFamilies(keyword: string, options: ResolveOptions): readonly string[] {
  if (keyword === 'default_arm64') return DEFAULT_ARM64_FAMILIES;
  if (keyword === 'default_x86_64') return DEFAULT_X86_64_FAMILIES;
  return options.optimal === 'legacy' ? LEGACY_OPTIMAL_FAMILIES : OPTIMAL_FAMILIES;
}

/** Reads one entry of `instanceTypes`. */
export function resolveInstanceTypeEntry(entry: string, options: ResolveOptions = {}): ResolvedEntry {
  if ((INSTANCE_TYPE_KEYWORDS as readonly string[]).includes(entry)) {
    const types = keywordFamilies(entry, options).flatMap(familySizes);
    return { entry, kind: 'keyword', types, architecture: entry === 'default_arm64' ? 'arm64' : 'x86_64' };
  }
  if (!isInstanceTypeSyntax(entry)) return { entry, kind: 'invalid', types: [] };
  if (entry.includes('.')) {
    const t = INSTANCE_TYPES.get(entry);
    return t
      ? { entry, kind: 'size', types: [t], architecture: t.architecture }
      : { entry, kind: 'unknown', types: [] };
  }
  const family = INSTANCE_FAMILIES.get(entry);
  return family
    ? { entry, kind: 'family', types: familySizes(entry), architecture: family.architecture }
    : { entry, kind: 'unknown', types: [] };
}

/**
 * Expands `instanceTypes` the way Batch reads it: keywords to their families, a family to every
 * size except bare metal (`c5` does not include `c5.metal`), `family.size` to itself. Unknown and
 * malformed entries are listed, not guessed.
 */
export function resolveInstanceTypes(
  instanceTypes: readonly string[],
  options: ResolveOptions = {},
): ResolvedInstanceTypes {
  const entries = instanceTypes.map((e) => resolveInstanceTypeEntry(e, options));
  const byName = new Map<string, InstanceTypeInfo>();
  for (const e of entries) for (const t of e.types) byName.set(t.name, t);
  const architectures = [...new Set(entries.flatMap((e) => (e.architecture ? [e.architecture] : [])))].sort();
  return {
    types: [...byName.values()].sort(
      (a, b) => a.vcpus - b.vcpus || a.memoryMiB - b.memoryMiB || a.name.localeCompare(b.name),
    ),
    unknown: entries.filter((e) => e.kind === 'unknown').map((e) => e.entry),
    invalid: entries.filter((e) => e.kind === 'invalid').map((e) => e.entry),
    architectures,
    entries,
  };
}

/** The catalogue entry of one `family.size`, or undefined. */
export function instanceTypeInfo(instanceType: string): InstanceTypeInfo | undefined {
  return INSTANCE_TYPES.get(instanceType);
}

/** Architecture of a keyword, family or `family.size`; undefined when unknown. */
export function architectureOf(instanceType: string): Architecture | undefined {
  return resolveInstanceTypeEntry(instanceType).architecture;
}

/**
 * GPUs of a `family.size`, or the most GPUs any size of a family or keyword offers; undefined
 * when the entry is unknown.
 */
export function gpuCountOf(instanceType: string): number | undefined {
  const e = resolveInstanceTypeEntry(instanceType);
  if (e.kind === 'unknown' || e.kind === 'invalid') return undefined;
  return Math.max(0, ...e.types.map((t) => t.gpus));
}

/**
 * Platform memory overhead Batch cannot give to jobs: the guide's `m4.large` example has 8192 MiB
 * installed and 7985 MiB reported by the operating system, about 2.5% (kernel and platform).
 */
export const PLATFORM_MEMORY_OVERHEAD = 0.025;
/** MiB the default Batch AMI reserves for the ECS agent and system processes (`ECS_RESERVED_MEMORY`). */
export const ECS_AGENT_RESERVED_MIB = 32;

/**
 * The memory a job can reserve on an instance of this size: installed memory less 2.5% platform
 * overhead less 32 MiB for the ECS agent (m4.large: 8192 → 7955 MiB; the guide's instance registered
 * 7953). A job asking for the nominal memory never fits.
 * @see https://docs.aws.amazon.com/batch/latest/userguide/memory-management.html
 */
export function schedulableMemoryMiB(t: Pick<InstanceTypeInfo, 'memoryMiB'>): number {
  return Math.floor(t.memoryMiB * (1 - PLATFORM_MEMORY_OVERHEAD)) - ECS_AGENT_RESERVED_MIB;
}
