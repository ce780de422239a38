/**
 * Every rule batchkit knows, in one list. `batchkit validate`, the constructs, the local executor
 * and the provisioner all run this list, so they cannot disagree.
 */
import type { BatchModel } from '../model/batch-model';
import type { Finding } from './finding';
import { runRules, type Rule, type RunRulesOptions } from './rule';
import { COMPUTE_ENVIRONMENT_RULES } from './compute-environment';
import { CROSS_RESOURCE_RULES } from './cross-resource';
import { JOB_DEFINITION_RULES } from './job-definition';
import { JOB_QUEUE_RULES } from './job-queue';
import { NAG_RULES } from './nag';
import { EKS_COMPUTE_ENVIRONMENT_RULES } from './compute-environment-eks';

export * from './finding';
export * from './rule';
export { validateSubmitJob } from './submit-job';
export { firstMatchingAction, matchesExitPattern, matchesReasonPattern } from './retry-patterns';
export { NAG_RULES, batchLaunchTemplates } from './nag';
export {
  BATCHKIT_NAG_RULES,
  BatchkitNagRule,
  nagRuleInfo,
  type BatchkitNagRuleInfo,
  type NagHit,
  type NagSeverity,
} from './nag-codes';
export { fargateMemoryOptions, fargateVcpuOptions, isValidFargateSize } from './fargate';

/** All rules. */
export const ALL_RULES: readonly Rule[] = [
  ...JOB_DEFINITION_RULES,
  ...COMPUTE_ENVIRONMENT_RULES,
  ...EKS_COMPUTE_ENVIRONMENT_RULES,
  ...JOB_QUEUE_RULES,
  ...CROSS_RESOURCE_RULES,
];

/** The rules `batchkit validate` runs: {@link ALL_RULES} and the nag rules. */
export const VALIDATE_RULES: readonly Rule[] = [...ALL_RULES, ...NAG_RULES];

/** Runs {@link ALL_RULES} over a model. */
export function validateModel(model: BatchModel, options?: RunRulesOptions): Finding[] {
  return runRules(ALL_RULES, model, options);
}
