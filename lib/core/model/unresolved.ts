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

/**
 * Text for people: every unresolved part written as `<description>` (`spot-<parameter Namespace>`,
 * `<Fn::ImportValue SharedVpcId>`), a CDK token as `<token>`. The internal `${Token[...]}` encoding
 * never reaches output (messages, JSON reports, names served by the local API).
 */
export function displayUnresolved(text: string): string {
  if (!text.includes('${Token[')) return text;
  return text
    .replace(/\$\{Token\[batchkit:(.*?)\]\}/g, (_m, d: string) => `<${d}>`)
    .replace(/\$\{Token\[[^\]]*\]\}/g, '<token>');
}

/**
 * {@link displayUnresolved} over a value: strings, list elements and object values; an unresolved number becomes
 * `<number known only at deployment>`.
 */
export function displayValue<T>(value: T): T | string {
  if (typeof value === 'string') return displayUnresolved(value);
  if (typeof value === 'number' && isUnresolved(value)) return '<number known only at deployment>';
  if (Array.isArray(value)) return value.map((v) => displayValue(v)) as unknown as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, displayValue(v)])) as T;
  }
  return value;
}
