/**
 * What a check of the nag rule pack reports, and small helpers to read resolved L1 values.
 */
import { Token } from 'aws-cdk-lib';
import type { BatchkitNagRule } from '../nag-rule';

/** One violation of a rule on one resource. */
export interface NagHit {
  /** The rule. */
  readonly rule: BatchkitNagRule;
  /** The CloudFormation property path, e.g. `ContainerProperties.Environment[2]`. */
  readonly field: string;
  /** What is wrong, one sentence. */
  readonly problem: string;
  /** The bad value, when showing it is safe. */
  readonly value?: string;
  /** How to fix it. */
  readonly fix: string;
}

/** A plain object, or undefined. */
export type Obj = Record<string, unknown>;

/** Reads a key in camelCase (L1 props) or PascalCase (overrides, policy documents). */
export function pick(obj: unknown, camel: string): unknown {
  if (!isObj(obj)) return undefined;
  if (obj[camel] !== undefined) return obj[camel];
  return obj[camel.charAt(0).toUpperCase() + camel.slice(1)];
}

/** An object value, or undefined. */
export function pickObj(obj: unknown, camel: string): Obj | undefined {
  const v = pick(obj, camel);
  return isObj(v) ? v : undefined;
}

/** An array value (a single value becomes a one-element array), or []. */
export function pickList(obj: unknown, camel: string): unknown[] {
  const v = pick(obj, camel);
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

/** True for a plain object. */
export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** True when the value is `true` or the string `"true"` (CloudFormation accepts both). */
export function isTrue(v: unknown): boolean {
  return v === true || (typeof v === 'string' && v.toLowerCase() === 'true');
}

/** True when the value is a known literal (not a token and not an intrinsic function object). */
export function isKnown(v: unknown): boolean {
  if (v === undefined) return false;
  if (typeof v === 'string' || typeof v === 'number') return !Token.isUnresolved(v);
  if (isObj(v)) return !Object.keys(v).some((k) => k === 'Ref' || k.startsWith('Fn::'));
  return true;
}
