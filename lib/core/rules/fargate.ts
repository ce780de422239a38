/**
 * What Fargate accepts: the vCPU/memory table and platform versions.
 *
 * The vCPU/memory table is the one of the AWS Batch API reference, `ResourceRequirement.value`,
 * type="VCPU" ("For jobs that are running on Fargate resources, then value must match one of the
 * supported values and the MEMORY values must be one of the values supported for that VCPU
 * value. The supported values are 0.25, 0.5, 1, 2, 4, 8, and 16"):
 *   0.25 → 512, 1024, 2048
 *   0.5  → 1024-4096 in steps of 1024
 *   1    → 2048-8192 in steps of 1024
 *   2    → 4096-16384 in steps of 1024
 *   4    → 8192-30720 in steps of 1024
 *   8    → 16384-61440 in steps of 4096
 *   16   → 32768-122880 in steps of 8192
 * (The same page's memory-keyed list also names 8 vCPU for 8192 MiB; the vCPU-keyed list above,
 * which matches the Fargate task-size table of Amazon ECS, does not, and is what batchkit uses.)
 * @see https://docs.aws.amazon.com/batch/latest/APIReference/API_ResourceRequirement.html
 */
import type { JobDefinition } from '../model/job-definition';

/** One row of the Fargate table: a vCPU value and the memory sizes (MiB) allowed with it. */
export interface FargateSize {
  /** vCPUs. */
  readonly vcpus: number;
  /** Allowed memory values in MiB, ascending. */
  readonly memoryMiB: readonly number[];
}

function steps(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

/** The Fargate vCPU/memory table. */
export const FARGATE_SIZES: readonly FargateSize[] = [
  { vcpus: 0.25, memoryMiB: [512, 1024, 2048] },
  { vcpus: 0.5, memoryMiB: steps(1024, 4096, 1024) },
  { vcpus: 1, memoryMiB: steps(2048, 8192, 1024) },
  { vcpus: 2, memoryMiB: steps(4096, 16384, 1024) },
  { vcpus: 4, memoryMiB: steps(8192, 30720, 1024) },
  { vcpus: 8, memoryMiB: steps(16384, 61440, 4096) },
  { vcpus: 16, memoryMiB: steps(32768, 122880, 8192) },
];

/** The vCPU values Fargate accepts. */
export const FARGATE_VCPU_VALUES: readonly number[] = FARGATE_SIZES.map((s) => s.vcpus);

/** Memory sizes (MiB) Fargate accepts with `vcpus`; empty when Fargate does not offer that vCPU value. */
export function fargateMemoryOptions(vcpus: number): readonly number[] {
  return FARGATE_SIZES.find((s) => s.vcpus === vcpus)?.memoryMiB ?? [];
}

/** vCPU values Fargate accepts with `memoryMiB`, ascending; empty when no vCPU value allows it. */
export function fargateVcpuOptions(memoryMiB: number): number[] {
  return FARGATE_SIZES.filter((s) => s.memoryMiB.includes(memoryMiB)).map((s) => s.vcpus);
}

/** True when Fargate runs a task with this many vCPUs and this much memory. */
export function isValidFargateSize(vcpus: number, memoryMiB: number): boolean {
  return fargateMemoryOptions(vcpus).includes(memoryMiB);
}

/** Compact text of the memory options of a vCPU value: `1024-4096 MiB in steps of 1024`. */
export function describeFargateMemoryOptions(vcpus: number): string {
  const options = fargateMemoryOptions(vcpus);
  if (options.length === 0) return `none (Fargate vCPU values are ${FARGATE_VCPU_VALUES.join(', ')})`;
  if (options.length <= 3) return `${options.join(', ')} MiB`;
  return `${options[0]}-${options[options.length - 1]} MiB in steps of ${options[1] - options[0]}`;
}

/** The whole table in one line, for messages. */
export function describeFargateTable(): string {
  return FARGATE_SIZES.map((s) => `${s.vcpus} vCPU → ${describeFargateMemoryOptions(s.vcpus)}`).join('; ');
}

/** True when a job definition runs on Fargate (`platformCapabilities` includes FARGATE; the default is EC2). */
export function isFargateDefinition(jd: Pick<JobDefinition, 'platformCapabilities'>): boolean {
  return Array.isArray(jd.platformCapabilities) && jd.platformCapabilities.includes('FARGATE');
}

/** The Fargate platform version from which EFS volumes are supported. */
export const EFS_MIN_PLATFORM_VERSION = '1.4.0';

/**
 * Compares Fargate platform versions: negative when `a` is older than `b`, 0 when equal,
 * positive when newer. `LATEST` is newer than any number. Undefined when either is neither
 * `LATEST` nor a dotted number (`1.4.0`).
 */
export function compareFargatePlatformVersions(a: string, b: string): number | undefined {
  const parse = (v: string): number[] | 'LATEST' | undefined =>
    v === 'LATEST' ? 'LATEST' : /^\d+(\.\d+)*$/.test(v) ? v.split('.').map(Number) : undefined;
  const pa = parse(a);
  const pb = parse(b);
  if (pa === undefined || pb === undefined) return undefined;
  if (pa === 'LATEST' || pb === 'LATEST') return (pa === 'LATEST' ? 1 : 0) - (pb === 'LATEST' ? 1 : 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * True when a Fargate platform version supports EFS volumes (1.4.0 or newer, or LATEST).
 * An absent version means LATEST, Batch's default.
 */
export function platformVersionSupportsEfs(platformVersion: string | undefined): boolean {
  const cmp = compareFargatePlatformVersions(platformVersion ?? 'LATEST', EFS_MIN_PLATFORM_VERSION);
  return cmp !== undefined && cmp >= 0;
}
