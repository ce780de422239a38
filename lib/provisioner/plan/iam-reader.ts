/**
 * Inline IAM policies of the app's roles, which the Batch model does not carry: a role's own
 * `Policies` and every `AWS::IAM::Policy` attached to it (CDK's `grant*()` writes these), read with
 * the core loader's intrinsic resolution. Keyed by role name, then policy name.
 */
import { NoteSink } from '../../core/assembly/notes';
import { readTemplateFile } from '../../core/assembly/parse';
import { roleName } from '../../core/assembly/physical-ids';
import { StackContext } from '../../core/assembly/stack-context';
import type { DeploymentEnvironment } from '../../core/model/batch-model';
import { stacksAt } from './network-reader';

/** Role name → policy name → policy document. */
export type InlinePolicies = Map<string, Record<string, unknown>>;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads the inline policies of every role of the app. */
export function readInlinePolicies(appPath: string, env: DeploymentEnvironment, stacks?: readonly string[]): InlinePolicies {
  const out: InlinePolicies = new Map();
  const put = (role: string, name: string, doc: unknown) => {
    if (!isObject(doc)) return;
    out.set(role, { ...(out.get(role) ?? {}), [name]: doc });
  };
  for (const stack of stacksAt(appPath, stacks)) {
    const ctx = new StackContext(
      { sourceStack: stack.artifactId, stackName: stack.stackName, file: stack.templateFile, template: readTemplateFile(stack.templateFile), env, parameterValues: {} },
      new NoteSink(),
    );
    for (const [logicalId, resource] of Object.entries(ctx.resources)) {
      if (!ctx.included(logicalId)) continue;
      if (resource.Type === 'AWS::IAM::Role') {
        const props = ctx.properties(logicalId);
        for (const p of Array.isArray(props.Policies) ? props.Policies : []) {
          if (isObject(p) && typeof p.PolicyName === 'string') put(roleName(ctx, logicalId), p.PolicyName, p.PolicyDocument);
        }
      } else if (resource.Type === 'AWS::IAM::Policy') {
        const props = ctx.properties(logicalId);
        const name = typeof props.PolicyName === 'string' ? props.PolicyName : logicalId;
        for (const r of Array.isArray(props.Roles) ? props.Roles : []) if (typeof r === 'string') put(r, name, props.PolicyDocument);
      }
    }
  }
  return out;
}
