/**
 * A small schema language for the request shapes of the Batch API model (restJson1 bodies), and the
 * validator the server runs on every request before an operation sees it: JSON types, required
 * members, unknown members, enum values, string lengths, list and map sizes, integer ranges.
 * Every problem becomes a `ClientException` that names the member path, the bad value, what is
 * allowed and how to fix it.
 */
import { checkDocumentDepth } from './document-depth';
import { clientError } from './errors';

/** Longest string accepted where the model sets no limit (the SubmitJob payload limit is 30 KiB). */
export const MAX_STRING_LENGTH = 30 * 1024;

/** A shape of the API model. */
export type Shape =
  | {
      readonly kind: 'string';
      readonly name: string;
      readonly min?: number;
      readonly max?: number;
      readonly enum?: readonly string[];
      /** The enum is matched in any case (the model says "the values aren't case sensitive"). */
      readonly anyCase?: boolean;
    }
  | { readonly kind: 'integer' | 'long'; readonly name: string; readonly min?: number; readonly max?: number }
  | { readonly kind: 'float'; readonly name: string }
  | { readonly kind: 'boolean'; readonly name: string }
  | {
      readonly kind: 'list';
      readonly name: string;
      readonly member: Shape;
      readonly min?: number;
      readonly max?: number;
    }
  | {
      readonly kind: 'map';
      readonly name: string;
      readonly key: Shape;
      readonly value: Shape;
      readonly min?: number;
      readonly max?: number;
    }
  | { readonly kind: 'structure'; readonly name: string; readonly members: Readonly<Record<string, Member>> }
  | { readonly kind: 'document'; readonly name: string };

/** A member of a structure. */
export interface Member {
  /** Its shape. */
  readonly shape: Shape;
  /** Whether the model marks it required. */
  readonly required: boolean;
}

/** Limits of a string shape. */
export interface StringLimits {
  /** Shape name in the model. @default 'String' */
  readonly name?: string;
  /** Minimum length. @default - none */
  readonly min?: number;
  /** Maximum length. @default MAX_STRING_LENGTH */
  readonly max?: number;
  /** Allowed values. @default - any */
  readonly enum?: readonly string[];
}

/** A string shape. */
export function str(limits: StringLimits = {}): Shape {
  return { kind: 'string', name: limits.name ?? 'String', min: limits.min, max: limits.max, enum: limits.enum };
}

/** An enum (string) shape. */
export function enumOf(name: string, values: readonly string[]): Shape {
  return { kind: 'string', name, enum: values };
}

/** An enum shape whose values AWS accepts in any case; the value is kept as sent. */
export function anyCaseEnumOf(name: string, values: readonly string[]): Shape {
  return { kind: 'string', name, enum: values, anyCase: true };
}

/** A 32-bit integer shape. */
export function int(name = 'Integer', min?: number, max?: number): Shape {
  return { kind: 'integer', name, min, max };
}

/** A 64-bit integer shape. */
export function long(name = 'Long', min?: number, max?: number): Shape {
  return { kind: 'long', name, min, max };
}

/** A float shape. */
export const FLOAT: Shape = { kind: 'float', name: 'Float' };
/** A boolean shape. */
export const BOOL: Shape = { kind: 'boolean', name: 'Boolean' };
/** The plain `String` shape. */
export const STRING: Shape = str();
/** The plain `Integer` shape. */
export const INTEGER: Shape = int();

/** A list shape. */
export function list(name: string, member: Shape, min?: number, max?: number): Shape {
  return { kind: 'list', name, member, min, max };
}

/** A map shape. */
export function map(name: string, key: Shape, value: Shape, min?: number, max?: number): Shape {
  return { kind: 'map', name, key, value, min, max };
}

/** A JSON object accepted as is (deep EKS/ECS shapes the local executor does not run). */
export function doc(name: string): Shape {
  return { kind: 'document', name };
}

/** Marks a member required. */
export function req(shape: Shape): Member {
  return { shape, required: true };
}

/** A structure shape; members given as a bare shape are optional. */
export function struct(name: string, members: Record<string, Shape | Member>): Shape {
  const out: Record<string, Member> = {};
  for (const [k, v] of Object.entries(members)) {
    out[k] = 'kind' in v ? { shape: v, required: false } : v;
  }
  return { kind: 'structure', name, members: out };
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * Checks `value` against `shape` and returns it with `null` members dropped (restJson1 treats a
 * null member as absent). Throws a `ClientException` on the first problem, naming the member path.
 */
export function validateShape(value: unknown, shape: Shape, path = ''): unknown {
  switch (shape.kind) {
    case 'string':
      return checkString(value, shape, path);
    case 'integer':
    case 'long':
      return checkInteger(value, shape, path);
    case 'float':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw typeError(path, shape, 'a number', value);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw typeError(path, shape, 'true or false', value);
      return value;
    case 'list':
      return checkList(value, shape, path);
    case 'map':
      return checkMap(value, shape, path);
    case 'structure':
      return checkStructure(value, shape, path);
    case 'document':
      if (!isPlainObject(value)) throw typeError(path, shape, 'a JSON object', value);
      checkDocumentDepth(value, path);
      return value;
  }
}

/** An unpaired UTF-16 surrogate (`\\ud800` in JSON): with the `u` flag, only lone halves match. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

function checkString(value: unknown, shape: Extract<Shape, { kind: 'string' }>, path: string): string {
  if (typeof value !== 'string') throw typeError(path, shape, 'a string', value);
  const lone = LONE_SURROGATE.exec(value);
  if (lone) {
    throw clientError(
      `${capital(where(path))} holds an unpaired UTF-16 surrogate (\\u` +
        `${lone[0].charCodeAt(0).toString(16)} at character ${lone.index}), ` +
        'which is not a Unicode character and cannot be written as UTF-8. Fix: ' +
        'send valid Unicode text (escape both halves of a surrogate pair, or neither).',
    );
  }
  if (shape.enum && !(shape.anyCase ? shape.enum.includes(value.toUpperCase()) : shape.enum.includes(value))) {
    throw clientError(
      `Invalid value ${show(value)} for ${where(path)} (${shape.name}). Allowed values: ${shape.enum.join(', ')}. ` +
        (shape.anyCase
          ? 'Fix: use one of the allowed values (in any case).'
          : 'Fix: use one of the allowed values; they are case-sensitive.'),
    );
  }
  const max = shape.max ?? MAX_STRING_LENGTH;
  if (value.length > max) {
    throw clientError(
      `${capital(where(path))} is ${value.length} characters long; at most ${max} are allowed (${shape.name}). ` +
        'Fix: shorten the value.',
    );
  }
  if (shape.min !== undefined && value.length < shape.min) {
    throw clientError(
      `${capital(where(path))} is ${value.length} characters long; at least ` +
        `${shape.min} are required (${shape.name}). ` +
        'Fix: give a longer value.',
    );
  }
  return value;
}

function checkInteger(value: unknown, shape: Extract<Shape, { kind: 'integer' | 'long' }>, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw typeError(path, shape, 'an integer', value);
  const min = shape.min ?? (shape.kind === 'integer' ? INT32_MIN : Number.MIN_SAFE_INTEGER);
  const max = shape.max ?? (shape.kind === 'integer' ? INT32_MAX : Number.MAX_SAFE_INTEGER);
  if (value < min || value > max) {
    throw clientError(
      `${capital(where(path))} is ${value}, outside ${min}..${max} (${shape.name}). Fix: give a value in that range.`,
    );
  }
  return value;
}

function checkList(value: unknown, shape: Extract<Shape, { kind: 'list' }>, path: string): unknown[] {
  if (!Array.isArray(value)) throw typeError(path, shape, 'a JSON array', value);
  checkCount(value.length, shape, path, 'entries');
  return value.map((v, i) => {
    const p = `${path}[${i}]`;
    if (v === null) throw typeError(p, shape.member, describeExpected(shape.member), v);
    return validateShape(v, shape.member, p);
  });
}

function checkMap(value: unknown, shape: Extract<Shape, { kind: 'map' }>, path: string): Record<string, unknown> {
  if (!isPlainObject(value)) throw typeError(path, shape, 'a JSON object', value);
  const entries = Object.entries(value);
  checkCount(entries.length, shape, path, 'entries');
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    validateShape(k, shape.key, `${path} key ${show(k)}`);
    const p = `${path}.${k}`;
    if (v === null) throw typeError(p, shape.value, describeExpected(shape.value), v);
    // defineProperty: a key such as "__proto__" stays a plain entry of the map.
    Object.defineProperty(out, k, {
      value: validateShape(v, shape.value, p),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

function checkStructure(
  value: unknown,
  shape: Extract<Shape, { kind: 'structure' }>,
  path: string,
): Record<string, unknown> {
  if (!isPlainObject(value)) throw typeError(path, shape, 'a JSON object', value);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const member = Object.prototype.hasOwnProperty.call(shape.members, k) ? shape.members[k] : undefined;
    if (!member) {
      throw clientError(
        `Unknown member ${show(k)} in ${path ? `${path} (${shape.name})` : `the ${shape.name}`}. ` +
          `Allowed members: ${Object.keys(shape.members).join(', ')}. ` +
          'Fix: remove it or correct its spelling (members are case-sensitive camelCase).',
      );
    }
    if (v === null) continue;
    out[k] = validateShape(v, member.shape, path ? `${path}.${k}` : k);
  }
  for (const [k, m] of Object.entries(shape.members)) {
    if (m.required && out[k] === undefined) {
      const p = path ? `${path}.${k}` : k;
      throw clientError(
        `Missing required member ${p} (${m.shape.name}) in ${path ? path : `the ${shape.name}`}. Fix: add ${k}.`,
      );
    }
  }
  return out;
}

function checkCount(n: number, shape: { name: string; min?: number; max?: number }, path: string, what: string): void {
  if (shape.max !== undefined && n > shape.max) {
    throw clientError(
      `${capital(where(path))} has ${n} ${what}; at most ${shape.max} are ` +
        `allowed (${shape.name}). Fix: send fewer.`,
    );
  }
  if (shape.min !== undefined && n < shape.min) {
    throw clientError(`${capital(where(path))} has ${n} ${what}; at least ${shape.min} are required (${shape.name}).`);
  }
}

function typeError(path: string, shape: Shape, expected: string, value: unknown): Error {
  return clientError(
    `${capital(where(path))} must be ${expected} (${shape.name}), got ${jsonType(value)}${
      value !== null && typeof value !== 'object' ? ` ${show(value)}` : ''
    }. Fix: send ${expected}.`,
  );
}

function describeExpected(shape: Shape): string {
  switch (shape.kind) {
    case 'string':
      return 'a string';
    case 'integer':
    case 'long':
      return 'an integer';
    case 'float':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'list':
      return 'a JSON array';
    default:
      return 'a JSON object';
  }
}

function where(path: string): string {
  return path ? `member ${path}` : 'the request body';
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  return `a ${typeof value}`;
}

function show(value: unknown): string {
  const s = JSON.stringify(value) ?? String(value);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** True for a JSON object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
