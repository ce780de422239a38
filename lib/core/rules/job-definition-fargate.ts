/**
 * Job definition rules about the platform: Fargate sizes and what Fargate or EC2 alone supports
 * (Batch API reference `ContainerProperties`, `ResourceRequirement`, `EFSVolumeConfiguration`;
 * gaps of aws-cdk-lib listed in anchors-cdk.md §1.3).
 */
import { PLATFORM_CAPABILITIES } from '../model/common';
import type { Finding } from './finding';
import {
  FARGATE_VCPU_VALUES,
  describeFargateMemoryOptions,
  fargateMemoryOptions,
  fargateVcpuOptions,
  isFargateDefinition,
  platformVersionSupportsEfs,
} from './fargate';
import {
  containerRule,
  definitionRule,
  isObject,
  type ContainerAt,
  type DefinitionCheck,
} from './job-definition-common';
import { resourceSource } from './job-definition-resources';
import { whenKnown, type Rule } from './rule';

/** A rule that checks each container of Fargate job definitions. */
function fargateContainerRule(
  code: string,
  severity: 'error' | 'warning',
  description: string,
  check: (c: DefinitionCheck, at: ContainerAt) => Finding[],
): Rule {
  return containerRule(code, severity, description, (c, at) => (isFargateDefinition(c.jd) ? check(c, at) : []));
}

const fargateSize = fargateContainerRule(
  'BATCH-JD-024',
  'error',
  'Fargate containers request a supported vCPU value (0.25-16) and a ' +
    'memory size allowed with it (the Fargate vCPU/memory table).',
  (c, at) => {
    const vcpu = resourceSource(at.container, 'VCPU');
    const mem = resourceSource(at.container, 'MEMORY');
    if (!vcpu || !mem) {
      const missing = [!vcpu ? 'VCPU' : undefined, !mem ? 'MEMORY' : undefined].filter(Boolean).join(' and ');
      return [
        c.report({
          field: `${at.path}.resourceRequirements`,
          problem: `a Fargate container must state ${missing} in resourceRequirements.`,
          allowed: `VCPU one of ${FARGATE_VCPU_VALUES.join(', ')} with a MEMORY value allowed for it`,
          fix:
            'Add e.g. { "type": "VCPU", "value": "1" } and { "type": "MEMORY", ' +
            '"value": "2048" } to resourceRequirements.',
        }),
      ];
    }
    return whenKnown(c.ctx, c.ref, `${at.path}.${vcpu.field}`, vcpu.raw, () =>
      whenKnown(c.ctx, c.ref, `${at.path}.${mem.field}`, mem.raw, () => {
        if (vcpu.amount === undefined || mem.amount === undefined) return []; // non-numeric: BATCH-JD-013
        const options = fargateMemoryOptions(vcpu.amount);
        if (options.length === 0) {
          return [
            c.report({
              field: `${at.path}.${vcpu.field}`,
              problem: 'Fargate does not offer this number of vCPUs.',
              value: vcpu.raw,
              allowed: FARGATE_VCPU_VALUES.join(', '),
              fix:
                `Use one of the Fargate vCPU values; for ${mem.amount} MiB: ` +
                `${fargateVcpuOptions(mem.amount).join(', ') || 'none - change the memory too'}.`,
            }),
          ];
        }
        if (options.includes(mem.amount)) return [];
        const vcpusForMemory = fargateVcpuOptions(mem.amount);
        return [
          c.report({
            field: `${at.path}.${mem.field}`,
            problem: `Fargate does not run ${vcpu.amount} vCPU with ${mem.amount} MiB of memory.`,
            value: { vcpus: vcpu.amount, memoryMiB: mem.amount },
            allowed: `with ${vcpu.amount} vCPU: ${describeFargateMemoryOptions(vcpu.amount)}`,
            fix: vcpusForMemory.length
              ? `Pick a memory size from the list, or change vCPUs to ` +
                `${vcpusForMemory.join(' or ')} for ${mem.amount} MiB.`
              : 'Pick a memory size from the list (it is a whole number of GiB, in MiB).',
          }),
        ];
      }),
    );
  },
);

const fargateGpu = fargateContainerRule(
  'BATCH-JD-025',
  'error',
  'Fargate containers request no GPU (GPUs are not available on Fargate).',
  (c, at) => {
    const reqs = Array.isArray(at.container.resourceRequirements) ? at.container.resourceRequirements : [];
    return reqs.flatMap((r, i) =>
      r?.type === 'GPU'
        ? [
            c.report({
              field: `${at.path}.resourceRequirements[${i}]`,
              problem: 'GPUs are not available for jobs that run on Fargate resources.',
              value: r,
              allowed: 'VCPU and MEMORY only on Fargate',
              fix:
                'Remove the GPU requirement, or run the job on EC2 ' +
                '(platformCapabilities ["EC2"]) in a GPU compute environment.',
            }),
          ]
        : [],
    );
  },
);

const fargateEfs = fargateContainerRule(
  'BATCH-JD-026',
  'error',
  'A Fargate job with EFS volumes uses platform version 1.4.0 or later (or LATEST).',
  (c, at) => {
    const volumes = Array.isArray(at.container.volumes) ? at.container.volumes : [];
    const efs = volumes.findIndex((v) => isObject(v?.efsVolumeConfiguration));
    if (efs < 0) return [];
    const field = `${at.path}.fargatePlatformConfiguration.platformVersion`;
    return whenKnown(c.ctx, c.ref, field, at.container.fargatePlatformConfiguration?.platformVersion, (v) =>
      platformVersionSupportsEfs(v)
        ? []
        : [
            c.report({
              field,
              problem:
                `the container mounts an EFS volume (volumes[${efs}]) but its Fargate ` +
                `platform version does not support EFS.`,
              value: v,
              allowed: '"1.4.0" or later, or "LATEST" (the default)',
              fix: 'Set platformVersion to "LATEST" or "1.4.0", or remove it to use LATEST.',
            }),
          ],
    );
  },
);

const multinodeFargate = definitionRule(
  'BATCH-JD-027',
  'error',
  'Multi-node parallel job definitions do not run on Fargate.',
  (c) =>
    c.jd.type === 'multinode' && isFargateDefinition(c.jd)
      ? [
          c.report({
            field: 'platformCapabilities',
            problem: 'multi-node parallel jobs are not supported on Fargate resources.',
            value: c.jd.platformCapabilities,
            allowed: '["EC2"] (or leave platformCapabilities out) for type multinode',
            fix:
              'Set platformCapabilities to ["EC2"], ' +
              'or make it a container job (type "container") to run on Fargate.',
          }),
        ]
      : [],
);

/** Container fields that only one platform uses. */
const EC2_ONLY: ReadonlyArray<{ path: string; get: (at: ContainerAt) => unknown }> = [
  { path: 'privileged', get: (at) => (at.container.privileged === true ? true : undefined) },
  { path: 'linuxParameters.devices', get: (at) => at.container.linuxParameters?.devices },
  { path: 'linuxParameters.maxSwap', get: (at) => at.container.linuxParameters?.maxSwap },
  { path: 'linuxParameters.swappiness', get: (at) => at.container.linuxParameters?.swappiness },
  { path: 'linuxParameters.sharedMemorySize', get: (at) => at.container.linuxParameters?.sharedMemorySize },
  { path: 'linuxParameters.tmpfs', get: (at) => at.container.linuxParameters?.tmpfs },
  { path: 'instanceType', get: (at) => at.container.instanceType },
];
const FARGATE_ONLY: ReadonlyArray<{ path: string; get: (at: ContainerAt) => unknown }> = [
  { path: 'networkConfiguration', get: (at) => at.container.networkConfiguration },
  { path: 'fargatePlatformConfiguration', get: (at) => at.container.fargatePlatformConfiguration },
  { path: 'ephemeralStorage', get: (at) => at.container.ephemeralStorage },
  { path: 'runtimePlatform', get: (at) => at.container.runtimePlatform },
];

const misplaced = containerRule(
  'BATCH-JD-028',
  'warning',
  'No EC2-only container fields (privileged, devices, swap, shm, tmpfs, ' +
    'instanceType) on Fargate, and no Fargate-only fields ' +
    '(networkConfiguration, fargatePlatformConfiguration, ephemeralStorage, runtimePlatform) on EC2.',
  (c, at) => {
    const fargate = isFargateDefinition(c.jd);
    const list = fargate ? EC2_ONLY : FARGATE_ONLY;
    return list
      .filter((f) => f.get(at) !== undefined)
      .map((f) =>
        c.report({
          field: `${at.path}.${f.path}`,
          problem: fargate
            ? `${f.path} applies only to jobs on EC2 resources; Batch rejects or ignores it for Fargate.`
            : `${f.path} applies only to jobs on Fargate resources and has no effect on EC2.`,
          value: f.get(at),
          allowed: fargate ? 'fields supported on Fargate' : 'fields supported on EC2',
          fix: fargate
            ? `Remove ${f.path}, or run the job on EC2 (platformCapabilities ["EC2"]).`
            : `Remove ${f.path}, or set platformCapabilities to ["FARGATE"] if the job is meant for Fargate.`,
        }),
      );
  },
);

const executionRole = fargateContainerRule(
  'BATCH-JD-029',
  'error',
  'Fargate containers have an executionRoleArn (ECS needs it to pull images and write logs).',
  (c, at) =>
    whenKnown(c.ctx, c.ref, `${at.path}.executionRoleArn`, at.container.executionRoleArn, (arn) =>
      typeof arn === 'string' && arn !== ''
        ? []
        : [
            c.report({
              field: `${at.path}.executionRoleArn`,
              problem: 'a Fargate job needs an execution role.',
              allowed: 'the ARN of a role trusted by ecs-tasks.amazonaws.com with AmazonECSTaskExecutionRolePolicy',
              fix: 'Set executionRoleArn to such a role (e.g. arn:aws:iam::<account>:role/ecsTaskExecutionRole).',
            }),
          ],
    ),
);

const fargateDeprecatedFields = fargateContainerRule(
  'BATCH-JD-030',
  'error',
  'Fargate containers state vCPU and memory in resourceRequirements, not in the EC2-only vcpus/memory fields.',
  (c, at) =>
    (['vcpus', 'memory'] as const)
      .filter((k) => at.container[k] !== undefined)
      .map((k) =>
        c.report({
          field: `${at.path}.${k}`,
          problem: `${k} is not applicable to jobs on Fargate resources.`,
          value: at.container[k],
          allowed: `resourceRequirements { "type": "${k === 'vcpus' ? 'VCPU' : 'MEMORY'}", "value": "..." }`,
          fix: `Move the value into resourceRequirements as type ${k === 'vcpus' ? 'VCPU' : 'MEMORY'} and remove ${k}.`,
        }),
      ),
);

const platformCapabilities = definitionRule(
  'BATCH-JD-031',
  'error',
  'platformCapabilities, when set, is exactly one of EC2 or FARGATE.',
  (c) => {
    const pc = c.jd.platformCapabilities;
    if (pc === undefined) return [];
    return whenKnown(c.ctx, c.ref, 'platformCapabilities', pc, (v) => {
      const ok = Array.isArray(v) && v.length === 1 && (PLATFORM_CAPABILITIES as readonly string[]).includes(v[0]);
      if (ok) return [];
      return [
        c.report({
          field: 'platformCapabilities',
          problem: 'the platform capabilities are not one known platform.',
          value: v,
          allowed: '["EC2"] or ["FARGATE"]',
          fix: 'Name exactly one platform: ["EC2"] (the default) or ["FARGATE"].',
        }),
      ];
    });
  },
);

/** The platform rules. */
export const FARGATE_RULES: readonly Rule[] = [
  fargateSize,
  fargateGpu,
  fargateEfs,
  multinodeFargate,
  misplaced,
  executionRole,
  fargateDeprecatedFields,
  platformCapabilities,
];
