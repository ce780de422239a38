/**
 * CloudFormation intrinsic functions and condition functions, evaluated against a
 * {@link StackContext}. Unknowable results become unresolved values (see `model/unresolved.ts`)
 * with a loader note; malformed calls throw BATCHKIT-ASSEMBLY-007.
 */
import { isUnresolved, unresolvedString } from '../model/unresolved';
import { badIntrinsic, brief, describeLocation } from './errors';
import { LOADER_LIMITS, limitError } from './limits';
import { isJsonObject, NO_VALUE, type Json, type JsonObject, type Resolved } from './json';
import { containsUnresolved } from './physical-ids';
import type { StackContext, Where } from './stack-context';

/** Keys that make a one-key object an intrinsic function call. */
export const INTRINSIC_NAMES: ReadonlySet<string> = new Set([
  'Ref',
  'Fn::GetAtt',
  'Fn::Join',
  'Fn::Sub',
  'Fn::Select',
  'Fn::Split',
  'Fn::If',
  'Fn::ImportValue',
  'Fn::GetAZs',
  'Fn::Base64',
  'Fn::FindInMap',
  'Fn::Cidr',
  'Fn::Transform',
  'Fn::Length',
  'Fn::ToJsonString',
  'Fn::Equals',
  'Fn::Not',
  'Fn::And',
  'Fn::Or',
  'Fn::GetStackOutput',
]);

type Ctx = StackContext;

function at(where: Where, fn: string): Where {
  return { ...where, field: where.field ? `${where.field}.${fn}` : fn };
}

function resolved(ctx: Ctx, v: Json, where: Where): Json {
  const r = ctx.resolve(v, where);
  return r === NO_VALUE ? '' : r;
}

function asText(ctx: Ctx, v: Json, where: Where, fn: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw badIntrinsic(
    ctx.location(where),
    fn,
    `got ${brief(v)} where a string is needed`,
    'a string or a function that returns one',
  );
}

function args(ctx: Ctx, v: Json, where: Where, fn: string, min: number, max: number, shape: string): Json[] {
  if (!Array.isArray(v) || v.length < min || v.length > max) {
    throw badIntrinsic(ctx.location(where), fn, `has arguments ${brief(v)}`, shape);
  }
  return v;
}

/** Evaluates one intrinsic function call `{ [name]: value }`. */
export function evaluateIntrinsic(ctx: Ctx, name: string, value: Json, where: Where): Resolved {
  const w = at(where, name);
  switch (name) {
    case 'Ref': {
      const target = resolved(ctx, value, w);
      return ctx.ref(asText(ctx, target, w, 'Ref'), where);
    }
    case 'Fn::GetAtt':
      return getAtt(ctx, value, where, w);
    case 'Fn::Join': {
      const [delim, list] = args(ctx, value, w, name, 2, 2, '{ "Fn::Join": ["<delimiter>", [<values>]] }');
      const items = resolved(ctx, list, w);
      if (!Array.isArray(items))
        throw badIntrinsic(
          ctx.location(w),
          name,
          'has a second argument that is not a list',
          '{ "Fn::Join": ["<delimiter>", [<values>]] }',
        );
      return bounded(ctx, items.map((i) => asText(ctx, i, w, name)).join(asText(ctx, delim, w, name)), w, name);
    }
    case 'Fn::Sub':
      return sub(ctx, value, where, w);
    case 'Fn::Select': {
      const [index, list] = args(ctx, value, w, name, 2, 2, '{ "Fn::Select": [<index>, [<values>]] }');
      const i = Number(resolved(ctx, index, w));
      const items = resolved(ctx, list, w);
      if (typeof items === 'string' && isUnresolved(items))
        return unresolvedString(`Fn::Select ${i} of an unknown list`);
      if (!Array.isArray(items) || !Number.isInteger(i) || i < 0) {
        throw badIntrinsic(
          ctx.location(w),
          name,
          `has arguments ${brief([index, items])}`,
          '{ "Fn::Select": [<index ≥ 0>, [<values>]] }',
        );
      }
      if (i >= items.length) {
        if (items.some(containsUnresolved)) return unresolvedString(`Fn::Select ${i} of an unknown list`);
        throw badIntrinsic(
          ctx.location(w),
          name,
          `selects index ${i} of a list of ${items.length}`,
          'an index smaller than the list length',
        );
      }
      return items[i];
    }
    case 'Fn::Split': {
      const [delim, source] = args(ctx, value, w, name, 2, 2, '{ "Fn::Split": ["<delimiter>", "<string>"] }');
      const s = asText(ctx, resolved(ctx, source, w), w, name);
      if (isUnresolved(s)) return [unresolvedString(`Fn::Split of ${s}`)];
      return s.split(asText(ctx, delim, w, name));
    }
    case 'Fn::If': {
      const [cond, yes, no] = args(
        ctx,
        value,
        w,
        name,
        3,
        3,
        '{ "Fn::If": ["<condition>", <value if true>, <value if false>] }',
      );
      const condName = asText(ctx, cond, w, name);
      const c = ctx.condition(condName, w);
      if (c === undefined) {
        ctx.note(where.logicalId, `condition ${condName} depends on values known only at deployment`, where.field);
        return unresolvedString(`Fn::If ${condName}`);
      }
      return ctx.resolve(c ? yes : no, { ...where, field: `${w.field}[${c ? 1 : 2}]` });
    }
    case 'Fn::ImportValue': {
      const exportName = asText(ctx, resolved(ctx, value, w), w, name);
      ctx.note(
        where.logicalId,
        `Fn::ImportValue ${exportName} is an export of another stack, known only at deployment`,
        where.field,
      );
      return unresolvedString(`Fn::ImportValue ${exportName}`);
    }
    case 'Fn::GetAZs': {
      const region = resolved(ctx, value, w);
      const r = typeof region === 'string' && region !== '' ? region : ctx.env.region;
      return ['a', 'b', 'c'].map((z) => `${r}${z}`);
    }
    case 'Fn::Base64': {
      const s = asText(ctx, resolved(ctx, value, w), w, name);
      if (isUnresolved(s)) return unresolvedString(`Fn::Base64 of a value known only at deployment`);
      return Buffer.from(s, 'utf8').toString('base64');
    }
    case 'Fn::FindInMap':
      return findInMap(ctx, value, w);
    case 'Fn::Length': {
      const list = resolved(ctx, value, w);
      if (!Array.isArray(list))
        throw badIntrinsic(ctx.location(w), name, 'has an argument that is not a list', '{ "Fn::Length": [<values>] }');
      return list.length;
    }
    case 'Fn::ToJsonString':
      return JSON.stringify(resolved(ctx, value, w));
    case 'Fn::Equals':
    case 'Fn::Not':
    case 'Fn::And':
    case 'Fn::Or': {
      const c = evaluateCondition(ctx, { [name]: value }, where);
      return c === undefined ? unresolvedString(name) : String(c);
    }
    default:
      ctx.note(
        where.logicalId,
        `${name} is not evaluated by batchkit; the value is known only at deployment`,
        where.field,
      );
      return unresolvedString(name);
  }
}

function getAtt(ctx: Ctx, value: Json, where: Where, w: Where): Json {
  let parts: Json[];
  if (typeof value === 'string') {
    const dot = value.indexOf('.');
    parts = dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)];
  } else {
    parts = args(ctx, value, w, 'Fn::GetAtt', 2, 2, '{ "Fn::GetAtt": ["<LogicalId>", "<Attribute>"] }');
  }
  if (parts.length !== 2)
    throw badIntrinsic(
      ctx.location(w),
      'Fn::GetAtt',
      `has argument ${brief(value)}`,
      '{ "Fn::GetAtt": ["<LogicalId>", "<Attribute>"] }',
    );
  const logicalId = asText(ctx, parts[0], w, 'Fn::GetAtt');
  const attribute = asText(ctx, resolved(ctx, parts[1], w), w, 'Fn::GetAtt');
  return ctx.getAtt(logicalId, attribute, where);
}

/** `text`, unless it is longer than {@link LOADER_LIMITS.maxValueChars}. */
function bounded(ctx: Ctx, text: string, w: Where, fn: string): string {
  if (text.length <= LOADER_LIMITS.maxValueChars) return text;
  const loc = ctx.location({ ...w, field: `${w.field.split('.').slice(0, 3).join('.')}…` });
  throw limitError(
    `${describeLocation(loc)}: ${fn} builds a string of ${text.length} ` +
      `characters, more than the loader's limit of ${LOADER_LIMITS.maxValueChars}.`,
    'Build shorter values: CloudFormation property values are at most a few ' +
      'KB; a name built from names of names doubles at every step.',
  );
}

function sub(ctx: Ctx, value: Json, where: Where, w: Where): string {
  let text: string;
  let vars: JsonObject = {};
  if (typeof value === 'string') {
    text = value;
  } else {
    const [t, v] = args(
      ctx,
      value,
      w,
      'Fn::Sub',
      1,
      2,
      '{ "Fn::Sub": "<string>" } or { "Fn::Sub": ["<string>", { <variables> }] }',
    );
    text = asText(ctx, t, w, 'Fn::Sub');
    if (v !== undefined) {
      if (!isJsonObject(v))
        throw badIntrinsic(
          ctx.location(w),
          'Fn::Sub',
          'has variables that are not a map',
          '{ "Fn::Sub": ["<string>", { "Name": <value> }] }',
        );
      vars = v;
    }
  }
  const out = text.replace(/\$\{([^}]*)\}/g, (_m, inner: string) => {
    if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
    const name = inner.trim();
    if (Object.prototype.hasOwnProperty.call(vars, name)) {
      return asText(ctx, resolved(ctx, vars[name], { ...w, field: `${w.field}.${name}` }), w, 'Fn::Sub');
    }
    const dot = name.indexOf('.');
    if (dot > 0 && !name.startsWith('AWS::')) {
      return asText(ctx, ctx.getAtt(name.slice(0, dot), name.slice(dot + 1), where), w, 'Fn::Sub');
    }
    const r = ctx.ref(name, where);
    if (r === NO_VALUE) return '';
    return asText(ctx, Array.isArray(r) ? r.join(',') : r, w, 'Fn::Sub');
  });
  return bounded(ctx, out, w, 'Fn::Sub');
}

function findInMap(ctx: Ctx, value: Json, w: Where): Resolved {
  const shape = '{ "Fn::FindInMap": ["<MapName>", "<TopLevelKey>", "<SecondLevelKey>"] }';
  const a = args(ctx, value, w, 'Fn::FindInMap', 3, 4, shape);
  const [mapName, top, second] = a.slice(0, 3).map((x) => asText(ctx, resolved(ctx, x, w), w, 'Fn::FindInMap'));
  const fallback = isJsonObject(a[3]) && a[3].DefaultValue !== undefined ? a[3].DefaultValue : undefined;
  if ([mapName, top, second].some((k) => isUnresolved(k)))
    return unresolvedString(`Fn::FindInMap ${mapName}.${top}.${second}`);
  const map = ctx.mappings[mapName];
  const level1 = isJsonObject(map) ? map[top] : undefined;
  const found = isJsonObject(level1) ? level1[second] : undefined;
  if (found !== undefined) return found;
  if (fallback !== undefined) return ctx.resolve(fallback, w);
  throw badIntrinsic(
    ctx.location(w),
    'Fn::FindInMap',
    `looks up ${mapName}.${top}.${second}, which the Mappings section does not have`,
    `keys that exist in Mappings (${Object.keys(ctx.mappings).join(', ') || 'none declared'})`,
  );
}

/** Evaluates a condition expression: true, false, or undefined when it depends on unknown values. */
export function evaluateCondition(ctx: Ctx, expr: Json, where: Where): boolean | undefined {
  if (typeof expr === 'boolean') return expr;
  if (typeof expr === 'string' && (expr === 'true' || expr === 'false')) return expr === 'true';
  if (isJsonObject(expr)) {
    const keys = Object.keys(expr);
    if (keys.length === 1) {
      const key = keys[0];
      const value = expr[key];
      const w = at(where, key);
      const list = (min: number, max: number): Json[] =>
        args(ctx, value, w, key, min, max, `{ "${key}": [<conditions>] }`);
      switch (key) {
        case 'Condition':
          return ctx.condition(asText(ctx, value, w, 'Condition'), w);
        case 'Fn::Equals': {
          const [a, b] = list(2, 2).map((x) => resolved(ctx, x, w));
          if (containsUnresolved(a) || containsUnresolved(b)) return undefined;
          return JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));
        }
        case 'Fn::Not': {
          const c = evaluateCondition(ctx, list(1, 1)[0], w);
          return c === undefined ? undefined : !c;
        }
        case 'Fn::And':
        case 'Fn::Or': {
          const values = list(2, 10).map((c) => evaluateCondition(ctx, c, w));
          const decisive = key === 'Fn::And' ? false : true;
          if (values.includes(decisive)) return decisive;
          return values.includes(undefined) ? undefined : !decisive;
        }
        default: {
          const r = ctx.resolve(expr, where);
          if (r === 'true' || r === 'false') return r === 'true';
          if (typeof r === 'string' && isUnresolved(r)) return undefined;
        }
      }
    }
  }
  throw badIntrinsic(
    ctx.location(where),
    'condition',
    `is ${brief(expr)}`,
    'Fn::Equals, Fn::Not, Fn::And, Fn::Or or { "Condition": "<name>" }',
  );
}

/** CloudFormation compares values as strings: `1` equals `"1"`. */
function normalize(v: Json): Json {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map(normalize);
  return v;
}
