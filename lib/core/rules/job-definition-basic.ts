/**
 * Job definition rules about the definition as a whole and its container basics: name, type,
 * image, vCPUs, memory, retry attempts, timeout, `Ref::` placeholders and size
 * (User Guide "Job definition parameters", "Service quotas"; seeds-requirements §6 items 1-7, 14, 15).
 */
import type { ContainerProperties, LoadedJobDefinition } from '../model/job-definition';
import { JOB_DEFINITION_TYPES } from '../model/job-definition';
import type { Finding } from './finding';
import { containerRule, definitionRule, isObject, type DefinitionCheck } from './job-definition-common';
import { describeNodes, nodesWithout } from './job-definition-multinode';
import { resourceSource } from './job-definition-resources';
import { isFargateDefinition } from './fargate';
import {
  IMAGE_ALLOWED,
  IMAGE_PATTERN,
  RESOURCE_NAME_ALLOWED,
  RESOURCE_NAME_PATTERN,
  isInteger,
  jsonByteLength,
  refPlaceholders,
} from './names';
import { whenKnown, type Rule } from './rule';

/** Largest job definition RegisterJobDefinition accepts: 24 KiB. */
export const MAX_JOB_DEFINITION_BYTES = 24 * 1024;

const name = definitionRule(
  'BATCH-JD-001',
  'error',
  'jobDefinitionName is 1-128 letters, digits, hyphens and underscores.',
  (c) =>
    whenKnown(c.ctx, c.ref, 'jobDefinitionName', c.jd.jobDefinitionName, (n) =>
      typeof n === 'string' && RESOURCE_NAME_PATTERN.test(n)
        ? []
        : [
            c.report({
              field: 'jobDefinitionName',
              problem: 'the job definition name is not valid.',
              value: n,
              allowed: RESOURCE_NAME_ALLOWED,
              fix:
                'Rename the job definition, e.g. replace spaces and dots with hyphens, ' +
                'and keep it within 128 characters.',
            }),
          ],
    ),
);

const type = definitionRule(
  'BATCH-JD-002',
  'error',
  'type is container or multinode; container has exactly one of ' +
    'containerProperties, ecsProperties, eksProperties and no ' +
    'nodeProperties; multinode has nodeProperties and none of those.',
  (c) => {
    const { jd } = c;
    if (!(JOB_DEFINITION_TYPES as readonly string[]).includes(jd.type)) {
      return [
        c.report({
          field: 'type',
          problem: 'the job definition type is not known to Batch.',
          value: jd.type,
          allowed: JOB_DEFINITION_TYPES.join(', '),
          fix: 'Use "container" for single-node and array jobs, "multinode" for multi-node parallel jobs.',
        }),
      ];
    }
    const hasContainer = isObject(jd.containerProperties);
    const hasNodes = isObject(jd.nodeProperties);
    const kinds = (['containerProperties', 'ecsProperties', 'eksProperties'] as const).filter((k) => isObject(jd[k]));
    const out: Finding[] = [];
    if (jd.type === 'container' && kinds.length === 0) {
      out.push(
        c.report({
          field: 'containerProperties',
          problem: 'a job definition of type container has no containerProperties, ecsProperties or eksProperties.',
          allowed:
            'containerProperties (one container), ecsProperties (an ECS task of ' +
            'containers) or eksProperties (an EKS pod)',
          fix: 'Add containerProperties, or set type to "multinode" if this is a multi-node parallel job.',
        }),
      );
    }
    if (kinds.length > 1) {
      out.push(
        c.report({
          field: kinds[1],
          problem: `a job definition has ${kinds.join(' and ')}; it can have only one of them.`,
          value: kinds.join(', '),
          allowed: 'exactly one of containerProperties, ecsProperties, eksProperties',
          fix: `Keep ${kinds[0]} and remove ${kinds.slice(1).join(' and ')}, or register separate job definitions.`,
        }),
      );
    }
    if (jd.type === 'multinode' && (isObject(jd.ecsProperties) || isObject(jd.eksProperties))) {
      out.push(
        c.report({
          field: isObject(jd.ecsProperties) ? 'ecsProperties' : 'eksProperties',
          problem: 'a job definition of type multinode has top-level ecsProperties or eksProperties.',
          allowed: 'ecsProperties/eksProperties only with type container',
          fix: 'Set type to "container", or describe the nodes in nodeProperties.nodeRangeProperties.',
        }),
      );
    }
    if (jd.type === 'container' && hasNodes) {
      out.push(
        c.report({
          field: 'nodeProperties',
          problem: 'a job definition of type container has nodeProperties.',
          allowed: 'nodeProperties only with type multinode',
          fix: 'Remove nodeProperties, or set type to "multinode" and move the container into nodeRangeProperties.',
        }),
      );
    }
    if (jd.type === 'multinode' && !hasNodes) {
      out.push(
        c.report({
          field: 'nodeProperties',
          problem: 'a job definition of type multinode has no nodeProperties.',
          allowed: 'nodeProperties with numNodes, mainNode and nodeRangeProperties',
          fix: 'Add nodeProperties, or set type to "container" for a single-node job.',
        }),
      );
    }
    if (jd.type === 'multinode' && hasContainer) {
      out.push(
        c.report({
          field: 'containerProperties',
          problem: 'a job definition of type multinode has top-level containerProperties.',
          allowed: 'containers only in nodeProperties.nodeRangeProperties[].container',
          fix: 'Move the container into a node range (nodeRangeProperties[].container) and remove containerProperties.',
        }),
      );
    }
    return out;
  },
);

const image = containerRule(
  'BATCH-JD-003',
  'error',
  'Every container has an image of up to 255 letters, digits, -, _, :, ., /, # (and @ for digests).',
  (c, at) => {
    const field = `${at.path}.image`;
    return whenKnown(c.ctx, c.ref, field, at.container.image, (img) => {
      if (img === undefined || img === '') {
        return [
          c.report({
            field,
            problem: 'the container has no image.',
            allowed: IMAGE_ALLOWED,
            fix:
              'Set image, e.g. "public.ecr.aws/docker/library/busybox:latest" or an ' +
              'ECR URI "<account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>".',
          }),
        ];
      }
      if (typeof img === 'string' && IMAGE_PATTERN.test(img)) return [];
      return [
        c.report({
          field,
          problem: 'the image reference has characters or a length Batch does not accept.',
          value: img,
          allowed: IMAGE_ALLOWED,
          fix: 'Use a plain image reference such as "repository-url/image:tag" without spaces or shell syntax.',
        }),
      ];
    });
  },
);

/** Checks one container's vCPU or memory amount on EC2; the MNP per-node check is separate. */
function ec2Amount(
  c: DefinitionCheck,
  path: string,
  container: ContainerProperties,
  kind: 'VCPU' | 'MEMORY',
  required: boolean,
): Finding[] {
  const src = resourceSource(container, kind);
  const what = kind === 'VCPU' ? 'vCPUs' : 'memory (MiB)';
  const min = kind === 'VCPU' ? 1 : 4;
  if (!src) {
    if (!required) return [];
    return [
      c.report({
        field: `${path}.resourceRequirements`,
        problem: `the container does not state its ${what}.`,
        allowed:
          kind === 'VCPU'
            ? 'a VCPU resource requirement: an integer >= 1'
            : 'a MEMORY resource requirement: an integer >= 4 (MiB)',
        fix: `Add { "type": "${kind}", "value": "${kind === 'VCPU' ? '1' : '2048'}" } to resourceRequirements.`,
      }),
    ];
  }
  const field = `${path}.${src.field}`;
  return whenKnown(c.ctx, c.ref, field, src.raw, () => {
    // Non-numeric resourceRequirements values are reported by BATCH-JD-013.
    if (src.amount === undefined && typeof src.raw === 'string') return [];
    if (isInteger(src.amount) && src.amount >= min) return [];
    return [
      c.report({
        field,
        problem:
          kind === 'VCPU'
            ? 'an EC2 job needs a whole number of at least one vCPU.'
            : 'a job needs a whole number of at least 4 MiB of memory.',
        value: src.raw,
        allowed: `an integer >= ${min}`,
        fix:
          kind === 'VCPU'
            ? 'Request 1 or more whole vCPUs (fractional vCPUs exist only on Fargate).'
            : 'Request at least 4 MiB; leave headroom for the ECS agent when sizing for an instance type.',
      }),
    ];
  });
}

/** On a multi-node definition: nodes whose ranges state no value of `kind` anywhere. */
function nodesMissing(c: DefinitionCheck, kind: 'VCPU' | 'MEMORY'): Finding[] {
  const jd: LoadedJobDefinition = c.jd;
  const ranges = jd.nodeProperties?.nodeRangeProperties ?? [];
  const missing = nodesWithout(jd, (i) => {
    const container = ranges[i]?.container;
    return isObject(container) && resourceSource(container, kind) !== undefined;
  });
  if (!missing || missing.length === 0) return [];
  return [
    c.report({
      field: 'nodeProperties.nodeRangeProperties[].container.resourceRequirements',
      problem:
        `node(s) ${describeNodes(missing)} get no ` +
        `${kind === 'VCPU' ? 'vCPU' : 'memory'} value from any node range; it ` +
        `must be specified for each node at least once.`,
      allowed: `a ${kind} resource requirement in a node range covering every node`,
      fix: `Add { "type": "${kind}", "value": "..." } to the container of a range covering those nodes.`,
    }),
  ];
}

function amountRule(code: string, kind: 'VCPU' | 'MEMORY', description: string): Rule {
  return definitionRule(code, 'error', description, (c) => {
    if (isFargateDefinition(c.jd)) return []; // BATCH-JD-024 checks Fargate sizes.
    if (isObject(c.jd.nodeProperties)) {
      const ranges = c.jd.nodeProperties.nodeRangeProperties ?? [];
      const perContainer = ranges.flatMap((r, i) =>
        isObject(r?.container)
          ? ec2Amount(c, `nodeProperties.nodeRangeProperties[${i}].container`, r.container, kind, false)
          : [],
      );
      return [...perContainer, ...nodesMissing(c, kind)];
    }
    if (!isObject(c.jd.containerProperties)) return [];
    return ec2Amount(c, 'containerProperties', c.jd.containerProperties, kind, true);
  });
}

const vcpus = amountRule(
  'BATCH-JD-004',
  'VCPU',
  'EC2 containers state vCPUs (resourceRequirements VCPU or vcpus) as an ' +
    'integer >= 1; for multi-node jobs, for every node at least once.',
);

const memory = amountRule(
  'BATCH-JD-005',
  'MEMORY',
  'EC2 containers state memory (resourceRequirements MEMORY or memory) as ' +
    'an integer >= 4 MiB; for multi-node jobs, for every node at least once.',
);

const attempts = definitionRule('BATCH-JD-006', 'error', 'retryStrategy.attempts is an integer from 1 to 10.', (c) => {
  const value = c.jd.retryStrategy?.attempts;
  if (value === undefined) return [];
  return whenKnown(c.ctx, c.ref, 'retryStrategy.attempts', value, (a) =>
    isInteger(a) && a >= 1 && a <= 10
      ? []
      : [
          c.report({
            field: 'retryStrategy.attempts',
            problem: 'the number of attempts is out of range.',
            value: a,
            allowed: 'an integer from 1 to 10',
            fix: 'Set attempts between 1 (no retry) and 10.',
          }),
        ],
  );
});

const timeout = definitionRule(
  'BATCH-JD-007',
  'error',
  'timeout.attemptDurationSeconds is an integer of at least 60.',
  (c) => {
    const value = c.jd.timeout?.attemptDurationSeconds;
    if (value === undefined) return [];
    return whenKnown(c.ctx, c.ref, 'timeout.attemptDurationSeconds', value, (s) =>
      isInteger(s) && s >= 60
        ? []
        : [
            c.report({
              field: 'timeout.attemptDurationSeconds',
              problem: 'the attempt timeout is shorter than Batch allows or not a whole number of seconds.',
              value: s,
              allowed: 'an integer >= 60 (seconds)',
              fix: 'Set the timeout to 60 seconds or more, or remove it to let attempts run without a time limit.',
            }),
          ],
    );
  },
);

const placeholders = containerRule(
  'BATCH-JD-020',
  'warning',
  'Every Ref::name placeholder in a command has a default in parameters (otherwise each SubmitJob must supply it).',
  (c, at) => {
    const command = Array.isArray(at.container.command) ? at.container.command : [];
    const defaults = isObject(c.jd.parameters) ? c.jd.parameters : {};
    const out: Finding[] = [];
    command.forEach((arg, i) => {
      const field = `${at.path}.command[${i}]`;
      out.push(
        ...whenKnown(c.ctx, c.ref, field, arg, (a) =>
          refPlaceholders([a])
            .filter((p) => !Object.prototype.hasOwnProperty.call(defaults, p))
            .map((p) =>
              c.report({
                field,
                problem:
                  `the placeholder Ref::${p} has no default in parameters; a job ` +
                  `submitted without parameter "${p}" runs with the literal text "Ref::${p}".`,
                value: a,
                allowed: `a parameters entry "${p}", or a value supplied in every SubmitJob`,
                fix:
                  `Add "${p}" to the job definition's parameters with a default value, or ` +
                  `always pass parameters: { "${p}": "..." } when submitting.`,
              }),
            ),
        ),
      );
    });
    return out;
  },
);

/** The job definition as RegisterJobDefinition receives it (without what the service or loader adds). */
export function registrationPayload(jd: LoadedJobDefinition): Record<string, unknown> {
  const { source: _source, jobDefinitionArn: _arn, revision: _revision, status: _status, ...payload } = jd;
  return payload;
}

const size = definitionRule(
  'BATCH-JD-021',
  'error',
  'The serialized job definition is at most 24 KiB (24576 bytes), the RegisterJobDefinition limit.',
  (c) => {
    const bytes = jsonByteLength(registrationPayload(c.jd));
    if (bytes <= MAX_JOB_DEFINITION_BYTES) return [];
    return [
      c.report({
        problem: `the job definition is ${bytes} bytes when serialized, over the RegisterJobDefinition limit.`,
        value: bytes,
        allowed: `at most ${MAX_JOB_DEFINITION_BYTES} bytes (24 KiB)`,
        fix:
          'Move large environment values, scripts or parameters out of the ' +
          'definition (S3, SSM Parameter Store, Secrets Manager) and read them at run time.',
      }),
    ];
  },
);

/** Rules about the definition as a whole and container basics. */
export const BASIC_RULES: readonly Rule[] = [name, type, image, vcpus, memory, attempts, timeout, placeholders, size];
