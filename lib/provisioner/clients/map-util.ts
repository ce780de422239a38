/**
 * Small typed helpers of the SDK mappers (`batch-map.ts`, `batch-job-map.ts`): checked enum
 * conversion, dropping `undefined` fields, and a compile-time check that every model field exists
 * in the SDK shape it is mapped to.
 */
import { BatchkitError } from '../../core/errors';

/** Code of the error for a value the service returned that this version of batchkit does not know. */
export const UNKNOWN_SDK_VALUE = 'BATCHKIT-PROVISION-007';
/** Code of the error for a value of the app that the AWS Batch API has no member for. */
export const UNKNOWN_APP_VALUE = 'BATCHKIT-PROVISION-008';

/** `containerOrchestrationType` of compute environments and job definitions. */
export const ORCHESTRATION_TYPES: readonly ('ECS' | 'EKS')[] = ['ECS', 'EKS'];

/** The model's value equal to `value`, or undefined when `value` is not one of `allowed`. */
export function oneOf<T extends string>(allowed: readonly T[], value: string | undefined): T | undefined {
  return allowed.find((a) => a === value);
}

/**
 * The model's value equal to `value`; otherwise a {@link BatchkitError} naming the resource, the
 * field, the value and the allowed values. From the SDK (`from: 'aws'`): `BATCHKIT-PROVISION-007`
 * (a field the model requires cannot be left out); from the model (`from: 'app'`), a value the SDK
 * has no member for: `BATCHKIT-PROVISION-008`.
 */
export function required<T extends string>(
  allowed: readonly T[],
  value: string | undefined,
  resource: string,
  field: string,
  from: 'aws' | 'app' = 'aws',
): T {
  const v = oneOf(allowed, value);
  if (v !== undefined) return v;
  const shown = value === undefined ? '(not set)' : `"${value}"`;
  if (from === 'app') {
    throw new BatchkitError(
      UNKNOWN_APP_VALUE,
      'input',
      `${resource}: ${field} is ${shown}, which the AWS API does not accept (allowed: ${allowed.join(', ')}).`,
      {
        fix: `Set ${field} to one of the allowed values in the app, then synthesize again.`,
      },
    );
  }
  throw new BatchkitError(
    UNKNOWN_SDK_VALUE,
    'environment',
    `${resource}: AWS returned ${field} ${shown}, which batchkit does not know (allowed: ${allowed.join(', ')}).`,
    {
      fix: 'Upgrade batchkit to a version that knows this value, or check that the endpoint is an AWS Batch API.',
    },
  );
}

/**
 * The object without its `undefined` fields
 * (the SDK and the diffs read a missing field and an undefined one alike).
 */
export function compact<T extends object>(o: T): T {
  for (const [k, v] of Object.entries(o)) if (v === undefined) Reflect.deleteProperty(o, k);
  return o;
}

/** Each element mapped, the undefined results left out; undefined for an absent list. */
export function mapList<A, B>(list: readonly A[] | undefined, f: (a: A) => B | undefined): B[] | undefined {
  if (list === undefined) return undefined;
  const out: B[] = [];
  for (const a of list) {
    const b = f(a);
    if (b !== undefined) out.push(b);
  }
  return out;
}

/**
 * `true` when every field of `Model` exists in `Sdk`; otherwise the names of the fields that do not.
 * Used as `Check<FieldsIn<Model, Sdk>>` in an exported type: a field the SDK renames or drops fails to compile,
 * and the message names it.
 */
export type FieldsIn<Model, Sdk> = [Exclude<keyof Model, keyof Sdk>] extends [never]
  ? true
  : Exclude<keyof Model, keyof Sdk>;

/**
 * Every field of `Model`, as keys: an object literal `satisfies AllFields<Model>` names each field of
 * the model, so a field added to the model fails to compile until the mapper handles it.
 */
export type AllFields<Model> = Record<keyof Model, unknown>;

/** Compiles only for `true` (see {@link FieldsIn}). */
export type Check<T extends true> = T;
