/**
 * Compute environment rules about instance types (`BATCH-CE-012`…`014`, `017`, `018`): syntax,
 * types outside batchkit's catalogue, architecture mixes, and the AMI image types the instance
 * types need.
 * @see https://docs.aws.amazon.com/batch/latest/APIReference/API_ComputeResource.html
 * @see https://docs.aws.amazon.com/batch/latest/APIReference/API_Ec2Configuration.html
 */
import type { ComputeResource } from '../model/compute-environment';
import { isUnresolved } from '../model/unresolved';
import { environmentRule } from './compute-environment-common';
import { resolveInstanceTypes } from './instance-types';
import type { Rule } from './rule';

const instanceTypeSyntaxRule = environmentRule(
  'BATCH-CE-012',
  'error',
  'Each instanceTypes entry is optimal, default_x86_64, default_arm64, a family (c5) or a family.size (c5.large).',
  ({ ce, report, known }) => {
    const cr = ce.computeResources;
    if (!cr?.instanceTypes) return [];
    // A list parameter without a default (`!Ref InstanceTypes`) is one unresolved value, not a list.
    if (!Array.isArray(cr.instanceTypes)) return known('computeResources.instanceTypes', cr.instanceTypes, () => []);
    return cr.instanceTypes.flatMap((entry, i) =>
      known(`computeResources.instanceTypes[${i}]`, entry, (e) =>
        resolveInstanceTypes([e]).invalid.length === 0
          ? []
          : [
              report({
                field: `computeResources.instanceTypes[${i}]`,
                problem: 'the entry is not an instance type, family or keyword.',
                value: e,
                allowed:
                  'optimal, default_x86_64, default_arm64, a family such as "c5", or a size such as "c5.2xlarge"',
                fix: 'correct the spelling (lower case, family.size).',
              }),
            ],
      ),
    );
  },
);

const unknownInstanceTypeRule = environmentRule(
  'BATCH-CE-013',
  'info',
  "instanceTypes entries outside batchkit's catalogue are listed, and the capacity checks that need them are skipped.",
  ({ ce, report }) => {
    const cr = ce.computeResources;
    if (!cr?.instanceTypes || isUnresolved(cr.instanceTypes)) return [];
    const unknown = resolveInstanceTypes(cr.instanceTypes).unknown;
    return unknown.length === 0
      ? []
      : [
          report({
            field: 'computeResources.instanceTypes',
            problem:
              `batchkit does not know ${unknown.join(', ')}; placement checks (vCPU, ` +
              `memory, GPU, architecture) skip this environment's sizes.`,
            value: unknown,
          }),
        ];
  },
);

const architectureRule = environmentRule(
  'BATCH-CE-014',
  'error',
  'All instance types of one environment share one architecture (no x86 and ARM mix).',
  ({ ce, report }) => {
    const cr = ce.computeResources;
    if (!cr?.instanceTypes || isUnresolved(cr.instanceTypes)) return [];
    const r = resolveInstanceTypes(cr.instanceTypes);
    if (r.architectures.length < 2) return [];
    const by = (a: string): string =>
      r.entries
        .filter((e) => e.architecture === a)
        .map((e) => e.entry)
        .join(', ');
    return [
      report({
        field: 'computeResources.instanceTypes',
        problem:
          `the instance types mix architectures: x86_64 (${by('x86_64')}) and ` +
          `arm64 (${by('arm64')}); Batch rejects the environment.`,
        value: cr.instanceTypes,
        allowed: 'instance types of one architecture',
        fix: 'split them into two compute environments (and two job queues), one per architecture.',
      }),
    ];
  },
);

/** Image types of `ec2Configuration`, when every entry's type is known; undefined otherwise. */
function imageTypesOf(cr: ComputeResource): string[] | undefined {
  const conf = cr.ec2Configuration;
  if (!conf || conf.length === 0 || conf.some((c) => isUnresolved(c.imageType))) return undefined;
  return conf.map((c) => c.imageType);
}

const gpuImageRule = environmentRule(
  'BATCH-CE-017',
  'warning',
  'GPU instance types come with an NVIDIA image type (ECS_AL2_NVIDIA, ECS_AL2023_NVIDIA) when ec2Configuration is set.',
  ({ ce, report }) => {
    const cr = ce.computeResources;
    const imageTypes = cr && imageTypesOf(cr);
    if (!cr?.instanceTypes || !imageTypes || isUnresolved(cr.instanceTypes)) return [];
    const gpuTypes = resolveInstanceTypes(cr.instanceTypes)
      .entries.filter((e) => e.types.some((t) => t.gpus > 0))
      .map((e) => e.entry);
    if (
      gpuTypes.length === 0 ||
      imageTypes.some((t) => t.endsWith('_NVIDIA')) ||
      cr.ec2Configuration?.some((c) => c.imageIdOverride)
    )
      return [];
    return [
      report({
        field: 'computeResources.ec2Configuration',
        problem:
          `the environment allows GPU instance types (${gpuTypes.join(', ')}) but ` +
          `ec2Configuration lists only ${imageTypes.join(', ')}; GPU instances ` +
          `would boot an image without NVIDIA drivers and GPU jobs could not use their GPUs.`,
        value: imageTypes,
        allowed: 'an NVIDIA image type for GPU instances: ECS_AL2023_NVIDIA or ECS_AL2_NVIDIA',
        fix:
          'add { imageType: "ECS_AL2023_NVIDIA" } to ec2Configuration, or leave ' +
          'ec2Configuration out so Batch picks the GPU image.',
      }),
    ];
  },
);

const a1ImageRule = environmentRule(
  'BATCH-CE-018',
  'error',
  'A1 instance types are not used with Amazon Linux 2023 image types only (AL2023 does not support A1).',
  ({ ce, report }) => {
    const cr = ce.computeResources;
    const imageTypes = cr && imageTypesOf(cr);
    if (!cr?.instanceTypes || !imageTypes || isUnresolved(cr.instanceTypes)) return [];
    const a1 = resolveInstanceTypes(cr.instanceTypes)
      .entries.filter((e) => e.types.some((t) => t.family === 'a1'))
      .map((e) => e.entry);
    if (a1.length === 0 || !imageTypes.every((t) => t.startsWith('ECS_AL2023'))) return [];
    return [
      report({
        field: 'computeResources.ec2Configuration',
        problem:
          `A1 instance types (${a1.join(', ')}) cannot run the Amazon Linux 2023 ` +
          `images the environment asks for (${imageTypes.join(', ')}).`,
        value: imageTypes,
        allowed: 'for A1: ECS_AL2 (or a Graviton 2+ family such as m6g, c7g with ECS_AL2023)',
        fix: 'replace a1 with a newer Graviton family (m6g, c6g, c7g), or use imageType ECS_AL2.',
      }),
    ];
  },
);

/** Instance type rules of compute environments. */
export const INSTANCE_TYPE_RULES: readonly Rule[] = [
  instanceTypeSyntaxRule,
  unknownInstanceTypeRule,
  architectureRule,
  gpuImageRule,
  a1ImageRule,
];
