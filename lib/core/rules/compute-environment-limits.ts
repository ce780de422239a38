/**
 * Compute environment rules about numeric limits of the API (`BATCH-CE-019`…`021`): an unmanaged
 * environment's fair-share vCPUs, the number of security groups, the update policy's job timeout.
 * @see https://docs.aws.amazon.com/batch/latest/APIReference/API_CreateComputeEnvironment.html
 * @see https://docs.aws.amazon.com/batch/latest/APIReference/API_UpdatePolicy.html
 */
import { environmentRule } from './compute-environment-common';
import type { Rule } from './rule';

/** Most security groups of one compute environment (EC2 allows 5 per network interface). */
export const MAX_CE_SECURITY_GROUPS = 5;
/** Bounds of `updatePolicy.jobExecutionTimeoutMinutes`. */
export const UPDATE_TIMEOUT_MINUTES = { min: 1, max: 360 } as const;

const unmanagedVcpusRule = environmentRule(
  'BATCH-CE-019',
  'error',
  'unmanagedvCpus, when set, is a whole number of vCPUs, 0 or more.',
  ({ ce, report, known }) => {
    if (ce.unmanagedvCpus === undefined) return [];
    return known('unmanagedvCpus', ce.unmanagedvCpus, (v) => {
      if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return [];
      return [
        report({
          field: 'unmanagedvCpus',
          problem: 'unmanagedvCpus is not a whole number of vCPUs, 0 or more.',
          value: v,
          allowed: 'integers >= 0',
          fix: 'set it to the vCPUs of the instances you launch into the cluster.',
        }),
      ];
    });
  },
);

const securityGroupsRule = environmentRule(
  'BATCH-CE-020',
  'error',
  `computeResources.securityGroupIds has at most ${MAX_CE_SECURITY_GROUPS} entries.`,
  ({ ce, report }) => {
    // The count is known even when the ids are tokens (security groups created in the same stack).
    const sgs = ce.computeResources?.securityGroupIds;
    if (!Array.isArray(sgs) || sgs.length <= MAX_CE_SECURITY_GROUPS) return [];
    return [
      report({
        field: 'computeResources.securityGroupIds',
        problem:
          `the environment has ${sgs.length} security groups; ` +
          `instances (and awsvpc tasks) take at most ${MAX_CE_SECURITY_GROUPS}.`,
        value: sgs.length,
        allowed: `1-${MAX_CE_SECURITY_GROUPS} security groups`,
        fix: "merge the security groups' rules into fewer groups.",
      }),
    ];
  },
);

const updateTimeoutRule = environmentRule(
  'BATCH-CE-021',
  'error',
  'updatePolicy.jobExecutionTimeoutMinutes, when set, is a whole number of minutes ' +
    `from ${UPDATE_TIMEOUT_MINUTES.min} to ${UPDATE_TIMEOUT_MINUTES.max}.`,
  ({ ce, report, known }) => {
    const minutes = ce.updatePolicy?.jobExecutionTimeoutMinutes;
    if (minutes === undefined) return [];
    return known('updatePolicy.jobExecutionTimeoutMinutes', minutes, (m) =>
      typeof m === 'number' && Number.isInteger(m) && m >= UPDATE_TIMEOUT_MINUTES.min && m <= UPDATE_TIMEOUT_MINUTES.max
        ? []
        : [
            report({
              field: 'updatePolicy.jobExecutionTimeoutMinutes',
              problem: 'the job execution timeout of infrastructure updates is out of range.',
              value: m,
              allowed: `whole minutes, ${UPDATE_TIMEOUT_MINUTES.min}-${UPDATE_TIMEOUT_MINUTES.max}`,
              fix:
                `use a whole number of minutes from ${UPDATE_TIMEOUT_MINUTES.min} ` +
                `to ${UPDATE_TIMEOUT_MINUTES.max} (Batch's default is 30).`,
            }),
          ],
    );
  },
);

/** Limit rules of compute environments. */
export const LIMIT_RULES: readonly Rule[] = [unmanagedVcpusRule, securityGroupsRule, updateTimeoutRule];
