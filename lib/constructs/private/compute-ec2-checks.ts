/**
 * Checks of a managed EC2/Spot compute environment's props that the Batch API shape alone cannot
 * express: architecture coherence of instance types and images, Spot-only settings, role inputs.
 */
import { Duration, Token } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { AllocationStrategy, EcsImageType, isNvidiaImage, type ComputeImage } from '../compute/compute-options';
import type { BatchInstanceType } from '../compute/instance-type';
import { constructError, constructWarning } from './job-findings';

/** Instance types and images: no x86/ARM mix, no `optimal` with ARM, no AL2023 with A1, GPU ⇒ NVIDIA image. */
export function checkInstanceTypes(
  scope: Construct,
  types: readonly BatchInstanceType[],
  images: readonly ComputeImage[] | undefined,
): void {
  const arm = types.filter((t) => t.architecture === 'arm64');
  const x86 = types.filter((t) => t.architecture === 'x86_64');
  const x86Keywords = x86.filter((t) => t.kind === 'optimal' || t.kind === 'default');
  if (arm.length > 0 && x86Keywords.length > 0) {
    throw constructError(
      scope,
      'BATCHKIT-CE-012',
      `instance type "${x86Keywords[0].name}" selects x86_64 instances only, but ${arm.map((t) => t.name).join(', ')} ${arm.length === 1 ? 'is' : 'are'} ARM (Graviton).`,
      {
        allowed: 'one architecture per compute environment',
        fix: `use BatchInstanceType.DEFAULT_ARM64 or list ARM families instead of "${x86Keywords[0].name}", or create a separate environment for x86_64.`,
      },
    );
  }
  if (arm.length > 0 && x86.length > 0) {
    throw constructError(scope, 'BATCHKIT-CE-011', 'instance types mix x86_64 and ARM architectures.', {
      value: { x86_64: x86.map((t) => t.name), arm64: arm.map((t) => t.name) },
      allowed: 'instance types of one architecture per compute environment',
      fix: 'split them into two compute environments (and two job queues: a queue cannot mix architectures either).',
    });
  }
  const effectiveImages = images ?? [{ imageType: EcsImageType.ECS_AL2023 }];
  const a1 = types.filter((t) => t.family === 'a1');
  const al2023 = effectiveImages.find(
    (i) => i.imageType === EcsImageType.ECS_AL2023 || i.imageType === EcsImageType.ECS_AL2023_NVIDIA,
  );
  if (a1.length > 0 && al2023) {
    throw constructError(scope, 'BATCHKIT-CE-013', `Amazon Linux 2023 (${al2023.imageType}) does not support A1 instances.`, {
      value: a1.map((t) => t.name),
      fix: 'use a newer Graviton family (m7g, c7g, ...) or images: [{ imageType: EcsImageType.ECS_AL2 }].',
    });
  }
  if (images && types.some((t) => t.isGpu) && !images.some((i) => isNvidiaImage(i.imageType))) {
    constructWarning(
      scope,
      'BATCHKIT-CE-W01',
      `GPU instance types (${types
        .filter((t) => t.isGpu)
        .map((t) => t.name)
        .join(', ')}) are listed but no NVIDIA image is: GPU jobs will not see their GPUs. Add { imageType: EcsImageType.ECS_AL2023_NVIDIA } to images.`,
    );
  }
}

/** Spot-only settings need `spot`; bid percentage 0-100; SPOT_* strategies need `spot`. */
export function checkSpot(
  scope: Construct,
  p: { spot: boolean; spotBidPercentage?: number; spotFleetRole?: iam.IRole; allocationStrategy?: AllocationStrategy },
): void {
  if (!p.spot) {
    const spotOnly: string[] = [];
    if (p.spotBidPercentage !== undefined) spotOnly.push('spotBidPercentage');
    if (p.spotFleetRole !== undefined) spotOnly.push('spotFleetRole');
    if (
      p.allocationStrategy === AllocationStrategy.SPOT_CAPACITY_OPTIMIZED ||
      p.allocationStrategy === AllocationStrategy.SPOT_PRICE_CAPACITY_OPTIMIZED
    ) {
      spotOnly.push(`allocationStrategy ${p.allocationStrategy}`);
    }
    if (spotOnly.length) {
      throw constructError(scope, 'BATCHKIT-CE-020', `${spotOnly.join(', ')} apply only to Spot environments, and spot is not set.`, {
        fix: `set spot: true, or remove ${spotOnly.join(', ')}.`,
      });
    }
  }
  const bid = p.spotBidPercentage;
  if (bid !== undefined && !Token.isUnresolved(bid) && (!Number.isInteger(bid) || bid < 0 || bid > 100)) {
    throw constructError(scope, 'BATCHKIT-CE-021', 'spotBidPercentage is out of range.', {
      value: bid,
      allowed: 'integers 0-100 (percent of the On-Demand price)',
      fix: 'leave it out to pay up to the On-Demand price, or set a whole percentage.',
    });
  }
}

/** Security groups (at most 5), role inputs, update timeout. */
export function checkCommon(
  scope: Construct,
  p: { securityGroupCount: number; instanceRole?: iam.IRole; instanceProfile?: iam.IInstanceProfile; updateTimeout?: Duration },
): void {
  if (p.securityGroupCount > 5) {
    throw constructError(scope, 'BATCHKIT-CE-025', 'too many security groups.', {
      value: p.securityGroupCount,
      allowed: 'at most 5 per compute environment',
      fix: 'merge rules into fewer security groups.',
    });
  }
  if (p.instanceRole && p.instanceProfile) {
    throw constructError(scope, 'BATCHKIT-CE-024', 'both instanceRole and instanceProfile are set.', {
      fix: 'pass instanceProfile (an existing profile) or instanceRole (batchkit makes one profile for it), not both.',
    });
  }
  if (p.updateTimeout && !p.updateTimeout.isUnresolved()) {
    const minutes = p.updateTimeout.toMinutes({ integral: false });
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 360) {
      throw constructError(scope, 'BATCHKIT-CE-026', 'updateTimeout is out of range.', {
        value: p.updateTimeout.toHumanString(),
        allowed: 'whole minutes, 1-360 (UpdatePolicy.JobExecutionTimeoutMinutes)',
        fix: 'use Duration.minutes(n) with 1 <= n <= 360.',
      });
    }
  }
}
