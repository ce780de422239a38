/**
 * SubmitJob request checks, `BATCH-SJ-001`...: what the Batch API rejects with a ClientException
 * (Batch API reference `SubmitJob`, `JobDependency`, `ArrayProperties`, `ContainerOverrides`;
 * User Guide "Array jobs", "Job dependencies", "Service quotas"). The local Batch API returns the
 * findings' messages as its ClientException messages.
 * @see https://docs.aws.amazon.com/batch/latest/APIReference/API_SubmitJob.html
 */
import { podOverrideFindings } from './submit-job-pods';
import { fargateOverrideFindings, resourceOverrideFindings } from './submit-job-overrides';
import type { ContainerOverrides, SubmitJobRequest } from '../model/job';
import type { JobDefinition } from '../model/job-definition';
import { definitionContainers } from '../model/resources';
import { finding, type Finding, type FindingInput, type ResourceRef, type Severity } from './finding';
import { isObject } from './job-definition-common';
import {
  evaluateOnExitPatternProblems,
  evaluateOnExitStructureProblems,
  retryProblemsToFindings,
} from './job-definition-retry';
import {
  JOB_NAME_ALLOWED,
  JOB_NAME_PATTERN,
  isInteger,
  isReservedEnvName,
  isValidEnvName,
  ENV_NAME_ALLOWED,
  jsonByteLength,
  refPlaceholders,
} from './names';
import { whenKnown } from './rule';

/** Largest SubmitJob payload: 30 KiB. */
export const MAX_SUBMIT_JOB_BYTES = 30 * 1024;
/** Most dependencies of one job. */
export const MAX_DEPENDS_ON = 20;
/** Smallest and largest array size. */
export const ARRAY_SIZE_RANGE = { min: 2, max: 10000 } as const;

/** What a SubmitJob check receives. */
export interface SubmitJobCheckContext {
  /** The request. */
  readonly request: SubmitJobRequest;
  /** The job definition the request names, when known. */
  readonly definition?: JobDefinition;
  /** The resource reference (`SubmitJob "<jobName>"`). */
  readonly ref: ResourceRef;
  /** Code of the running check. */
  readonly code: string;
  /** Builds a finding of the running check. */
  report(input: Omit<FindingInput, 'code' | 'severity' | 'resource'>): Finding;
}

/** One SubmitJob check with a stable code. */
export interface SubmitJobCheck {
  /** Stable code, `BATCH-SJ-NNN`. */
  readonly code: string;
  /** Severity of its findings. */
  readonly severity: Severity;
  /** One line: what it checks. */
  readonly description: string;
  /** Runs the check. */
  check(c: SubmitJobCheckContext): Finding[];
}

/** Every container override of a request with its API path. */
function overridesOf(request: SubmitJobRequest): Array<{ overrides: ContainerOverrides; path: string }> {
  const out: Array<{ overrides: ContainerOverrides; path: string }> = [];
  if (isObject(request.containerOverrides))
    out.push({ overrides: request.containerOverrides, path: 'containerOverrides' });
  const npo = request.nodeOverrides?.nodePropertyOverrides;
  (Array.isArray(npo) ? npo : []).forEach((o, i) => {
    if (isObject(o?.containerOverrides)) {
      out.push({
        overrides: o.containerOverrides,
        path: `nodeOverrides.nodePropertyOverrides[${i}].containerOverrides`,
      });
    }
  });
  return out;
}

function isArrayJob(request: SubmitJobRequest): boolean {
  return request.arrayProperties?.size !== undefined;
}

const CHECKS: readonly SubmitJobCheck[] = [
  {
    code: 'BATCH-SJ-001',
    severity: 'error',
    description: 'jobName is 1-128 characters: first a letter or digit, then letters, digits, hyphens and underscores.',
    check: (c) =>
      whenKnown(c, c.ref, 'jobName', c.request.jobName, (n) =>
        typeof n === 'string' && JOB_NAME_PATTERN.test(n)
          ? []
          : [
              c.report({
                field: 'jobName',
                problem: 'the job name is not valid.',
                value: n,
                allowed: JOB_NAME_ALLOWED,
                fix:
                  'Start the name with a letter or digit and replace other characters ' +
                  '(spaces, dots, slashes) with hyphens.',
              }),
            ],
      ),
  },
  {
    code: 'BATCH-SJ-002',
    severity: 'error',
    description: 'dependsOn has at most 20 entries.',
    check: (c) => {
      const deps = c.request.dependsOn;
      if (!Array.isArray(deps) || deps.length <= MAX_DEPENDS_ON) return [];
      return [
        c.report({
          field: 'dependsOn',
          problem: `the job depends on ${deps.length} jobs.`,
          value: deps.length,
          allowed: `at most ${MAX_DEPENDS_ON} dependencies`,
          fix:
            'Depend on one array job (or a small "join" job) that the other jobs ' +
            'feed into, instead of on each job directly.',
        }),
      ];
    },
  },
  {
    code: 'BATCH-SJ-003',
    severity: 'error',
    description:
      'Each dependsOn entry has a jobId (SEQUENTIAL may omit it) and a type, if any, of N_TO_N or SEQUENTIAL.',
    check: (c) =>
      (Array.isArray(c.request.dependsOn) ? c.request.dependsOn : []).flatMap((d, i) => {
        const out: Finding[] = [];
        const type = isObject(d) ? d.type : undefined;
        if (type !== undefined && type !== 'N_TO_N' && type !== 'SEQUENTIAL') {
          out.push(
            c.report({
              field: `dependsOn[${i}].type`,
              problem: 'the dependency type is not known to Batch.',
              value: type,
              allowed: 'N_TO_N or SEQUENTIAL (array jobs), or no type',
              fix: 'Leave type out for a plain dependency; use N_TO_N or SEQUENTIAL only for array jobs.',
            }),
          );
        }
        const jobId = isObject(d) ? d.jobId : undefined;
        if (type !== 'SEQUENTIAL' && (typeof jobId !== 'string' || jobId === '')) {
          out.push(
            c.report({
              field: `dependsOn[${i}].jobId`,
              problem: 'the dependency names no job.',
              value: jobId,
              allowed: 'the jobId returned by an earlier SubmitJob (SEQUENTIAL dependencies may omit it)',
              fix: 'Set jobId to the id of the job this one waits for.',
            }),
          );
        }
        return out;
      }),
  },
  {
    code: 'BATCH-SJ-004',
    severity: 'error',
    description: 'N_TO_N and SEQUENTIAL dependencies are used only by array jobs (arrayProperties.size set).',
    check: (c) =>
      isArrayJob(c.request)
        ? []
        : (Array.isArray(c.request.dependsOn) ? c.request.dependsOn : []).flatMap((d, i) =>
            d?.type === 'N_TO_N' || d?.type === 'SEQUENTIAL'
              ? [
                  c.report({
                    field: `dependsOn[${i}].type`,
                    problem:
                      `a ${d.type} dependency applies only to array jobs, and this request ` +
                      `has no arrayProperties.size.`,
                    value: d.type,
                    allowed: 'no type for a non-array job; N_TO_N or SEQUENTIAL with arrayProperties.size 2-10000',
                    fix: 'Remove type, or submit an array job by setting arrayProperties.size.',
                  }),
                ]
              : [],
          ),
  },
  {
    code: 'BATCH-SJ-005',
    severity: 'error',
    description: 'arrayProperties.size is an integer from 2 to 10000.',
    check: (c) => {
      const size = c.request.arrayProperties?.size;
      if (size === undefined) return [];
      return whenKnown(c, c.ref, 'arrayProperties.size', size, (s) =>
        isInteger(s) && s >= ARRAY_SIZE_RANGE.min && s <= ARRAY_SIZE_RANGE.max
          ? []
          : [
              c.report({
                field: 'arrayProperties.size',
                problem: 'the array size is out of range.',
                value: s,
                allowed: `an integer from ${ARRAY_SIZE_RANGE.min} to ${ARRAY_SIZE_RANGE.max}`,
                fix:
                  s === 1
                    ? 'Leave arrayProperties out to run a single job.'
                    : 'Split the work into array jobs of at most 10000 children.',
              }),
            ],
      );
    },
  },
  {
    code: 'BATCH-SJ-006',
    severity: 'error',
    description:
      'A retryStrategy override has attempts 1-10 and valid evaluateOnExit ' +
      'entries (at most 5, a condition each, RETRY/EXIT, valid patterns).',
    check: (c) => {
      const rs = c.request.retryStrategy;
      if (!isObject(rs)) return [];
      const out: Finding[] = [];
      if (rs.attempts !== undefined) {
        out.push(
          ...whenKnown(c, c.ref, 'retryStrategy.attempts', rs.attempts, (a) =>
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
          ),
        );
      }
      const problems = [
        ...evaluateOnExitStructureProblems(rs, 'retryStrategy'),
        ...evaluateOnExitPatternProblems(rs, 'retryStrategy'),
      ];
      out.push(...retryProblemsToFindings(problems, c, c.ref, c.report));
      return out;
    },
  },
  {
    code: 'BATCH-SJ-007',
    severity: 'error',
    description: 'A timeout override has attemptDurationSeconds >= 60.',
    check: (c) => {
      const t = c.request.timeout?.attemptDurationSeconds;
      if (t === undefined) return [];
      return whenKnown(c, c.ref, 'timeout.attemptDurationSeconds', t, (s) =>
        isInteger(s) && s >= 60
          ? []
          : [
              c.report({
                field: 'timeout.attemptDurationSeconds',
                problem: 'the attempt timeout is shorter than Batch allows or not a whole number of seconds.',
                value: s,
                allowed: 'an integer >= 60 (seconds)',
                fix: "Set the timeout to 60 seconds or more, or leave it out to use the job definition's.",
              }),
            ],
      );
    },
  },
  {
    code: 'BATCH-SJ-008',
    severity: 'error',
    description: 'Environment overrides have a name (without "=") and value, and no name starts with AWS_BATCH.',
    check: (c) =>
      overridesOf(c.request).flatMap(({ overrides, path }) =>
        (Array.isArray(overrides.environment) ? overrides.environment : []).flatMap((kv, i) => {
          const field = `${path}.environment[${i}]`;
          const name = isObject(kv) ? kv.name : undefined;
          if (typeof name !== 'string' || name === '' || typeof kv.value !== 'string') {
            return [
              c.report({
                field,
                problem: 'the environment override has no name or no value.',
                value: kv,
                allowed: '{ "name": "<non-empty string>", "value": "<string>" }',
                fix: 'Give every environment entry both a name and a value.',
              }),
            ];
          }
          return whenKnown(c, c.ref, `${field}.name`, name, (n) => {
            if (!isValidEnvName(n)) {
              return [
                c.report({
                  field: `${field}.name`,
                  problem:
                    'the environment variable name contains "=", which ends a name in the ' +
                    'NAME=value form the container receives.',
                  value: n,
                  allowed: ENV_NAME_ALLOWED,
                  fix: `Rename the variable without "=", e.g. "${n.replace(/=/g, '_')}".`,
                }),
              ];
            }
            return isReservedEnvName(n)
              ? [
                  c.report({
                    field: `${field}.name`,
                    problem:
                      'environment variables must not start with AWS_BATCH; Batch reserves ' +
                      'that prefix for the variables it sets.',
                    value: n,
                    allowed: 'any name that does not start with AWS_BATCH',
                    fix: `Rename the variable, e.g. "MY_${n}".`,
                  }),
                ]
              : [];
          });
        }),
      ),
  },
  {
    code: 'BATCH-SJ-009',
    severity: 'error',
    description:
      'vcpus, memory and resourceRequirements overrides are positive (memory ' +
      '>= 4 MiB, GPU a whole number) with types VCPU, MEMORY or GPU.',
    check: (c) => overridesOf(c.request).flatMap(({ overrides, path }) => resourceOverrideFindings(c, overrides, path)),
  },
  {
    code: 'BATCH-SJ-010',
    severity: 'error',
    description: 'The serialized SubmitJob request is at most 30 KiB (30720 bytes).',
    check: (c) => {
      const bytes = jsonByteLength(c.request);
      if (bytes <= MAX_SUBMIT_JOB_BYTES) return [];
      return [
        c.report({
          problem: `the request is ${bytes} bytes when serialized, over the SubmitJob payload limit.`,
          value: bytes,
          allowed: `at most ${MAX_SUBMIT_JOB_BYTES} bytes (30 KiB)`,
          fix:
            'Pass large inputs by reference (an S3 URI or SSM parameter name in ' +
            'parameters or environment) instead of inline.',
        }),
      ];
    },
  },
  {
    code: 'BATCH-SJ-011',
    severity: 'error',
    description:
      'Every Ref::name placeholder in the command gets a value from the ' +
      'request parameters or the definition defaults.',
    check: (c) => {
      if (!c.definition) return [];
      const params = { ...(c.definition.parameters ?? {}), ...(c.request.parameters ?? {}) };
      const commands: Array<{ command: unknown; path: string }> = [];
      const override = c.request.containerOverrides?.command;
      if (override !== undefined) commands.push({ command: override, path: 'containerOverrides.command' });
      else {
        for (const dc of definitionContainers(c.definition)) {
          commands.push({ command: dc.container.command, path: `jobDefinition ${dc.path}.command` });
        }
      }
      (c.request.nodeOverrides?.nodePropertyOverrides ?? []).forEach((o, i) => {
        if (o?.containerOverrides?.command !== undefined) {
          commands.push({
            command: o.containerOverrides.command,
            path: `nodeOverrides.nodePropertyOverrides[${i}].containerOverrides.command`,
          });
        }
      });
      return commands.flatMap(({ command, path }) => {
        const args = Array.isArray(command) ? command.filter((a): a is string => typeof a === 'string') : [];
        const missing = refPlaceholders(args).filter((p) => !Object.prototype.hasOwnProperty.call(params, p));
        return missing.map((p) =>
          c.report({
            field: path,
            problem:
              `the command uses Ref::${p}, but neither the request's parameters nor ` +
              `the job definition's defaults give "${p}" a value.`,
            value: `Ref::${p}`,
            allowed: `parameters with a "${p}" entry`,
            fix:
              `Pass parameters: { "${p}": "<value>" } in the request, or add a ` +
              `default for "${p}" to the job definition.`,
          }),
        );
      });
    },
  },
  {
    code: 'BATCH-SJ-012',
    severity: 'error',
    description:
      'Overrides fit the definition type: containerOverrides and ' +
      'arrayProperties only for container definitions, nodeOverrides only for multinode.',
    check: (c) => {
      const d = c.definition;
      if (!d) return [];
      const out: Finding[] = [];
      if (d.type === 'multinode' && c.request.containerOverrides !== undefined) {
        out.push(
          c.report({
            field: 'containerOverrides',
            problem:
              `the job definition "${d.jobDefinitionName}" is multinode; ` +
              `containerOverrides apply only to single-node container jobs.`,
            allowed: 'nodeOverrides.nodePropertyOverrides[].containerOverrides for multinode job definitions',
            fix:
              'Move the overrides to nodeOverrides: { nodePropertyOverrides: [{ ' +
              'targetNodes: "0:", containerOverrides: {...} }] }.',
          }),
        );
      }
      if (d.type === 'multinode' && c.request.arrayProperties !== undefined) {
        out.push(
          c.report({
            field: 'arrayProperties',
            problem:
              `the job definition "${d.jobDefinitionName}" is multinode; multi-node ` +
              `parallel jobs cannot be array jobs.`,
            value: c.request.arrayProperties,
            allowed: 'arrayProperties only with container job definitions',
            fix: 'Remove arrayProperties, or submit several multi-node jobs.',
          }),
        );
      }
      if (d.type === 'container' && c.request.nodeOverrides !== undefined) {
        out.push(
          c.report({
            field: 'nodeOverrides',
            problem:
              `the job definition "${d.jobDefinitionName}" is a container definition; ` +
              `nodeOverrides apply only to multinode definitions.`,
            allowed: 'containerOverrides for container job definitions',
            fix: 'Use containerOverrides instead of nodeOverrides.',
          }),
        );
      }
      return out;
    },
  },
  {
    code: 'BATCH-SJ-013',
    severity: 'error',
    description: 'On a Fargate job definition, the vCPU/memory after overrides is a combination Fargate supports.',
    check: (c) => (c.definition ? fargateOverrideFindings(c, c.definition) : []),
  },
  {
    code: 'BATCH-SJ-014',
    severity: 'error',
    description:
      'ecsPropertiesOverride/eksPropertiesOverride only for ' +
      'ecsProperties/eksProperties definitions (no containerOverrides there), naming their containers.',
    check: (c) => (c.definition ? podOverrideFindings(c.request, c.definition, c.report) : []),
  },
];

/** The SubmitJob checks, for documentation (code, severity, description). */
export const SUBMIT_JOB_CHECKS: readonly SubmitJobCheck[] = CHECKS;

/**
 * Checks a SubmitJob request as the Batch API would before accepting it. With the job definition
 * the request names, also checks what depends on it (placeholders, override kinds, Fargate sizes).
 * Returns findings of resource kind `SubmitJob`, in code order; none means the request is valid.
 */
export function validateSubmitJob(request: SubmitJobRequest, definition?: JobDefinition): Finding[] {
  const name = typeof request?.jobName === 'string' && request.jobName !== '' ? request.jobName : '(unnamed)';
  const ref: ResourceRef = { kind: 'SubmitJob', name };
  return CHECKS.flatMap((check) =>
    check.check({
      request,
      definition,
      ref,
      code: check.code,
      report: (input) => finding({ ...input, code: check.code, severity: check.severity, resource: ref }),
    }),
  );
}
