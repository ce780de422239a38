/** JSON values as read from templates and manifests. */

/** Any JSON value. */
export type Json = string | number | boolean | null | Json[] | JsonObject;
/** A JSON object. */
export interface JsonObject {
  [key: string]: Json;
}

/** True for a plain JSON object (not an array, not null). */
export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A property of an object when it is a string. */
export function stringProp(o: unknown, key: string): string | undefined {
  if (!isJsonObject(o)) return undefined;
  const v = o[key];
  return typeof v === 'string' ? v : undefined;
}

/** A property of an object when it is an object. */
export function objectProp(o: unknown, key: string): JsonObject | undefined {
  if (!isJsonObject(o)) return undefined;
  const v = o[key];
  return isJsonObject(v) ? v : undefined;
}

/** `AWS::NoValue`: a property or list element that is removed. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');
/** A resolved value, or {@link NO_VALUE}. */
export type Resolved = Json | typeof NO_VALUE;
