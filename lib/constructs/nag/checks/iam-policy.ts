/**
 * BATCHKIT-NAG-006: IAM statements that allow sensitive, resource-scopable actions on
 * `Resource: "*"`.
 */
import { BatchkitNagRule } from '../nag-rule';
import { type NagHit, isObj, pick, pickList } from './hit';

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
 * Checks one resolved policy document; `base` is its property path
 * (`PolicyDocument`, `Policies[0].PolicyDocument`).
 */
export function checkPolicyDocument(document: unknown, base: string): NagHit[] {
  const hits: NagHit[] = [];
  pickList(document, 'Statement').forEach((statement, i) => {
    if (!isObj(statement) || pick(statement, 'Effect') !== 'Allow') return;
    const resources = pickList(statement, 'Resource');
    if (!resources.includes('*')) return;
    const actions = pickList(statement, 'Action').filter((a): a is string => typeof a === 'string');
    const sensitive = actions.filter(isScopableSensitiveAction);
    if (sensitive.length === 0) return;
    hits.push({
      rule: BatchkitNagRule.WILDCARD_RESOURCE,
      field: `${base}.Statement[${i}].Resource`,
      problem: `allows ${sensitive.join(', ')} on every resource of the account.`,
      value: '*',
      fix: 'scope Resource to the ARNs the principal needs (use the grant methods: queue.grantSubmitJob(role), secret.grantRead(role), ...).',
    });
  });
  return hits;
}
