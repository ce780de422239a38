/**
 * Values that cannot be known before deployment (an `Fn::ImportValue`, a parameter without a
 * default, an attribute of a resource outside the template, or a CDK token in a construct).
 *
 * The model keeps Batch API types (`string`, `number`), so unknown values are encoded the way the
 * CDK encodes its own tokens: strings contain `${Token[...]}` and numbers are a huge negative
 * double. Rules call {@link isUnresolved} and skip such values with a note, never guess.
 */

/** Prefix of an unresolved string value written by the batchkit loader. */
const LOADER_TOKEN_PREFIX = '${Token[batchkit:';

/**
 * The number that stands for an unresolved numeric value. CDK encodes number tokens as doubles
 * around -1.888e+289; batchkit's loader uses one such double too.
 */
export const UNRESOLVED_NUMBER = -1.8881545897087626e289;

/** An unresolved string: `${Token[batchkit:<description>]}`. */
export function unresolvedString(description: string): string {
  return `${LOADER_TOKEN_PREFIX}${description.replace(/\]\}/g, '] }')}]}`;
}

/** True when a value is, or contains, a value that cannot be known before deployment. */
export function isUnresolved(value: unknown): boolean {
  if (typeof value === 'string') {
    return value.includes('${Token[');
  }
  if (typeof value === 'number') {
    return value <= -1e289 || Number.isNaN(value);
  }
  if (Array.isArray(value)) {
    return value.some(isUnresolved);
  }
  return false;
}

/** Human description of an unresolved value, for messages (`Fn::ImportValue SharedVpcId`). */
export function describeUnresolved(value: unknown): string {
  if (typeof value === 'string') {
    const m = /\$\{Token\[batchkit:(.*?)\]\}/.exec(value);
    if (m) return m[1];
    return 'a CDK token';
  }
  return 'a value known only at deployment';
}
