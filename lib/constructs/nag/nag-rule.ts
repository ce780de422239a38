/**
 * batchkit's nag rule pack: the codes, severities and descriptions live in the core
 * (`lib/core/rules/nag-codes.ts`), where `batchkit validate` runs the same checks; re-exported here
 * for the aspect's users.
 */
export { BATCHKIT_NAG_RULES, BatchkitNagRule, nagRuleInfo } from '../../core/rules/nag-codes';
export type { BatchkitNagRuleInfo, NagSeverity } from '../../core/rules/nag-codes';
