/**
 * Typed readers of the CloudFormation properties of EC2 networking resources and launch
 * templates (resolved, references already `ref(<key>)` or real ids). A property of the wrong type
 * is error `BATCHKIT-PROVISION-009` naming the stack, the resource, the property, what it holds and
 * the type it must have, instead of an EC2 call with a wrong value.
 */
import { brief } from '../../core/assembly/errors';
import { BatchkitError } from '../../core/errors';
import { isRecord } from './refs';

/** Code of the error for a CloudFormation property of the wrong type. */
export const CFN_PROPERTY_ERROR = 'BATCHKIT-PROVISION-009';

/** The resource a property belongs to, for messages. */
export interface PropsOwner {
  /** Stack (assembly artifact) of the resource. */
  readonly stack: string;
  /** Logical id in the stack's template. */
  readonly logicalId: string;
  /** CloudFormation type (`AWS::EC2::Subnet`). */
  readonly cfnType: string;
}

/** Resolved CloudFormation properties. */
export type Props = Readonly<Record<string, unknown>>;

function wrongType(owner: PropsOwner, key: string, expected: string, value: unknown): BatchkitError {
  const holds = value === undefined ? 'not set' : brief(value, 80);
  const resource = `${owner.cfnType} "${owner.logicalId}" in stack ${owner.stack}`;
  const message =
    `${resource}: property ${key} is ${holds}; ` + `batchkit needs ${expected} to create or update it through the SDK.`;
  const fix =
    `Give ${key} as ${expected} in the app (a literal, a parameter, or a Ref/Fn::GetAtt batchkit resolves), ` +
    'then synthesize again.';
  return new BatchkitError(CFN_PROPERTY_ERROR, 'input', message, { fix });
}

/** A string property that must be set. */
export function str(p: Props, key: string, owner: PropsOwner): string {
  const v = p[key];
  if (typeof v === 'string') return v;
  throw wrongType(owner, key, 'a string', v);
}

/** A string property, or undefined when not set. */
export function optStr(p: Props, key: string, owner: PropsOwner): string | undefined {
  return p[key] === undefined ? undefined : str(p, key, owner);
}

/** An object property (`LaunchTemplateData`), or undefined when not set. */
export function optObj(p: Props, key: string, owner: PropsOwner): Record<string, unknown> | undefined {
  const v = p[key];
  if (v === undefined) return undefined;
  if (isRecord(v) && !Array.isArray(v)) return v;
  throw wrongType(owner, key, 'an object', v);
}

/** A list of objects (`SecurityGroupIngress`), empty when not set. */
export function objList(p: Props, key: string, owner: PropsOwner): Record<string, unknown>[] {
  const v = p[key];
  if (v === undefined) return [];
  if (Array.isArray(v)) {
    const out: Record<string, unknown>[] = [];
    for (const x of v) {
      if (!isRecord(x) || Array.isArray(x)) throw wrongType(owner, key, 'a list of objects', v);
      out.push(x);
    }
    return out;
  }
  throw wrongType(owner, key, 'a list of objects', v);
}

/** A CloudFormation tag. */
export interface CfnTag {
  /** Key. */
  readonly Key: string;
  /** Value. */
  readonly Value: string;
}

/** `Tags`: a list of `{Key, Value}` with string keys and scalar values (read as strings), empty when not set. */
export function tagList(p: Props, key: string, owner: PropsOwner): CfnTag[] {
  return objList(p, key, owner).map((t) => {
    if (typeof t.Key !== 'string') throw wrongType(owner, `${key}[].Key`, 'a string', t.Key);
    const v = t.Value;
    if (v === undefined || v === null) return { Key: t.Key, Value: '' };
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
      return { Key: t.Key, Value: String(v) };
    throw wrongType(owner, `${key}[${JSON.stringify(t.Key)}].Value`, 'a string', v);
  });
}
