/**
 * BATCHKIT-NAG-006: IAM statements that allow sensitive, resource-scopable actions on `Resource: "*"`.
 */
import type { PolicyStatementModel } from '../model/batch-model';
import { BatchkitNagRule, type NagHit } from './nag-codes';

/**
 * Actions that can (and should) be scoped to resource ARNs. Read-only `Describe*` / `List*`
 * calls of Batch and ECS support only `*`, so they are not reported.
 */
const SCOPED_PREFIXES = ['batch:', 'ecs:', 'secretsmanager:', 'ssm:getparameter', 'kms:', 'iam:passrole'];
const UNSCOPABLE = /^(batch|ecs):(describe|list)/i;

/** True when the action is sensitive and can be scoped to resources. */
export function isScopableSensitiveAction(action: string): boolean {
  const a = action.toLowerCase();
  if (a === '*') return true;
  if (UNSCOPABLE.test(a)) return false;
  return SCOPED_PREFIXES.some((p) => a.startsWith(p) || (a.endsWith('*') && p.startsWith(a.slice(0, -1))));
}

/**
 * Checks the statements of one policy document; `base` is its property path
 * (`PolicyDocument`, `Policies[0].PolicyDocument`).
 */
export function nagPolicyStatements(statements: readonly PolicyStatementModel[], base: string): NagHit[] {
  const hits: NagHit[] = [];
  statements.forEach((statement, i) => {
    if (statement.effect !== 'Allow' || !statement.resources.includes('*')) return;
    const sensitive = statement.actions.filter(isScopableSensitiveAction);
    if (sensitive.length === 0) return;
    hits.push({
      rule: BatchkitNagRule.WILDCARD_RESOURCE,
      field: `${base}.Statement[${i}].Resource`,
      problem: `allows ${sensitive.join(', ')} on every resource of the account.`,
      value: '*',
      fix:
        'scope Resource to the ARNs the principal needs ' +
        '(use the grant methods: queue.grantSubmitJob(role), secret.grantRead(role), ...).',
    });
  });
  return hits;
}
