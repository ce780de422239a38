/**
 * Inline IAM policies of the app's roles, which the Batch model does not carry: a role's own
 * `Policies` and every `AWS::IAM::Policy` attached to it (CDK's `grant*()` writes these), read with
 * the core loader's intrinsic resolution (`readResources`). Keyed by role name, then policy name.
 */
import { readResources } from '../../core/assembly';
import type { DeploymentEnvironment } from '../../core/model/batch-model';

/** Role name → policy name → policy document. */
export type InlinePolicies = Map<string, Record<string, unknown>>;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads the inline policies of every role of the app. */
export function readInlinePolicies(
  appPath: string,
  env: DeploymentEnvironment,
  stacks?: readonly string[],
): InlinePolicies {
  const out: InlinePolicies = new Map();
  const put = (role: string, name: string, doc: unknown) => {
    if (!isObject(doc)) return;
    out.set(role, { ...(out.get(role) ?? {}), [name]: doc });
  };
  for (const r of readResources(appPath, ['AWS::IAM::Role', 'AWS::IAM::Policy'], { environment: env, stacks })) {
    const props = r.properties;
    if (r.type === 'AWS::IAM::Role') {
      // A role's `Ref` is its name.
      for (const p of Array.isArray(props.Policies) ? props.Policies : []) {
        if (isObject(p) && typeof p.PolicyName === 'string') put(r.refValue, p.PolicyName, p.PolicyDocument);
      }
    } else {
      const name = typeof props.PolicyName === 'string' ? props.PolicyName : r.logicalId;
      for (const role of Array.isArray(props.Roles) ? props.Roles : [])
        if (typeof role === 'string') put(role, name, props.PolicyDocument);
    }
  }
  return out;
}
