/**
 * EventBridge's event-pattern language: exact values (strings, numbers, booleans, null), `prefix`,
 * `suffix` (each also with `equals-ignore-case`), `equals-ignore-case`, `anything-but` (a value, a list
 * of values, or `prefix` / `suffix` / `equals-ignore-case` / `wildcard`), `numeric` ranges, `exists`,
 * `wildcard`, `cidr` (IPv4 and IPv6), `$or` at any level, nested objects, and arrays in the event (a
 * field matches when any element does). Fields of a pattern are ANDed, the values of one field ORed.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html
 */

/** An event pattern: field → list of allowed values/matchers, or a nested pattern; `$or` → list of patterns. */
export type EventPattern = { readonly [field: string]: EventPattern | readonly unknown[] };

type Leaf = string | number | boolean | null;
type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The leaf values of an event field (arrays flattened; objects are not leaves). */
function leaves(value: unknown): Leaf[] {
  if (Array.isArray(value)) return value.flatMap(leaves);
  if (value === undefined || isObj(value)) return [];
  return [value as Leaf];
}

function numericMatch(ops: readonly unknown[], v: Leaf): boolean {
  if (typeof v !== 'number') return false;
  for (let i = 0; i + 1 < ops.length; i += 2) {
    const op = ops[i];
    const n = Number(ops[i + 1]);
    const ok =
      op === '='
        ? v === n
        : op === '<'
          ? v < n
          : op === '<='
            ? v <= n
            : op === '>'
              ? v > n
              : op === '>='
                ? v >= n
                : false;
    if (!ok) return false;
  }
  return true;
}

const wildcardCache = new Map<string, RegExp>();

/** `*` matches any run of characters; `\*` is a literal asterisk, `\\` a literal backslash. */
function wildcardRegExp(pattern: string): RegExp {
  let re = wildcardCache.get(pattern);
  if (re) return re;
  let src = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && (pattern[i + 1] === '*' || pattern[i + 1] === '\\')) {
      src += `\\${pattern[++i]}`;
    } else if (c === '*') {
      src += '.*';
    } else {
      src += c.replace(/[.+?^${}()|[\]\\/-]/g, '\\$&');
    }
  }
  re = new RegExp(`^${src}$`, 's');
  if (wildcardCache.size < 10_000) wildcardCache.set(pattern, re);
  return re;
}

/** An IP address as a big integer and its family, or undefined when `text` is not one. */
function parseIp(text: string): { v: bigint; bits: 32 | 128 } | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) {
    const parts = text.split('.').map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    return { v: parts.reduce((a, p) => (a << 8n) | BigInt(p), 0n), bits: 32 };
  }
  if (!/^[0-9a-fA-F:]+$/.test(text) || !text.includes(':')) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (groups.some((g) => g.length === 0 || g.length > 4)) return undefined;
  return { v: groups.reduce((a, g) => (a << 16n) | BigInt(parseInt(g, 16)), 0n), bits: 128 };
}

function cidrMatch(cidr: string, value: Leaf): boolean {
  if (typeof value !== 'string') return false;
  const [net, lenText] = cidr.split('/');
  const n = parseIp(net);
  const ip = parseIp(value);
  if (!n || !ip || n.bits !== ip.bits) return false;
  const len = lenText === undefined ? n.bits : Number(lenText);
  if (!Number.isInteger(len) || len < 0 || len > n.bits) return false;
  const shift = BigInt(n.bits - len);
  return ip.v >> shift === n.v >> shift;
}

function lower(v: unknown): string {
  return String(v).toLowerCase();
}

/** `prefix`/`suffix` operand: a string, or `{ "equals-ignore-case": string }`. */
function affixMatch(operand: unknown, v: Leaf, kind: 'prefix' | 'suffix'): boolean {
  if (typeof v !== 'string') return false;
  const test = (s: string, a: string) => (kind === 'prefix' ? s.startsWith(a) : s.endsWith(a));
  if (isObj(operand) && 'equals-ignore-case' in operand)
    return test(v.toLowerCase(), lower(operand['equals-ignore-case']));
  return test(v, String(operand));
}

/** True when `v` is one of the values `anything-but` excludes. */
function excluded(operand: unknown, v: Leaf): boolean {
  if (Array.isArray(operand)) return operand.some((o) => o === v);
  if (!isObj(operand)) return operand === v;
  if ('prefix' in operand) return affixMatch(operand.prefix, v, 'prefix');
  if ('suffix' in operand) return affixMatch(operand.suffix, v, 'suffix');
  if ('equals-ignore-case' in operand) {
    const list = ([] as unknown[]).concat(operand['equals-ignore-case']);
    return typeof v === 'string' && list.some((o) => lower(o) === v.toLowerCase());
  }
  if ('wildcard' in operand) {
    const list = ([] as unknown[]).concat(operand.wildcard);
    return typeof v === 'string' && list.some((o) => wildcardRegExp(String(o)).test(v));
  }
  return false;
}

/** One value of a pattern field's list against one leaf of the event. */
function leafMatches(m: Obj, v: Leaf): boolean {
  if ('prefix' in m) return affixMatch(m.prefix, v, 'prefix');
  if ('suffix' in m) return affixMatch(m.suffix, v, 'suffix');
  if ('equals-ignore-case' in m) return typeof v === 'string' && v.toLowerCase() === lower(m['equals-ignore-case']);
  if ('numeric' in m) return Array.isArray(m.numeric) && numericMatch(m.numeric, v);
  if ('wildcard' in m) return typeof v === 'string' && wildcardRegExp(String(m.wildcard)).test(v);
  if ('cidr' in m) return cidrMatch(String(m.cidr), v);
  if ('anything-but' in m) return !excluded(m['anything-but'], v);
  return false;
}

function matcherMatches(m: unknown, value: unknown, present: boolean): boolean {
  if (!isObj(m)) {
    // Exact value: a string, number, boolean or null (null also matches a null field).
    return present && leaves(value).some((v) => v === m);
  }
  if ('exists' in m) {
    const isLeaf = present && leaves(value).length > 0;
    return m.exists === true ? isLeaf && value !== null : !present;
  }
  if (!present) return false;
  return leaves(value).some((v) => leafMatches(m, v));
}

function fieldOf(e: unknown, field: string): { present: boolean; value: unknown } {
  if (!isObj(e) || !Object.prototype.hasOwnProperty.call(e, field) || e[field] === undefined)
    return { present: false, value: undefined };
  return { present: true, value: e[field] };
}

/** True when `event` matches `pattern`. */
export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  for (const [field, rule] of Object.entries(pattern)) {
    if (field === '$or' && Array.isArray(rule)) {
      if (!rule.some((alt) => isObj(alt) && matchesPattern(alt as EventPattern, event))) return false;
      continue;
    }
    const { present, value } = fieldOf(event, field);
    if (Array.isArray(rule)) {
      if (!rule.some((m) => matcherMatches(m, value, present))) return false;
      continue;
    }
    const nested = rule as EventPattern;
    const objects = Array.isArray(value) ? value.filter(isObj) : isObj(value) ? [value] : [];
    if (objects.length === 0) {
      // An absent object: only a pattern of `exists: false` (all the way down) matches.
      if (!matchesPattern(nested, {})) return false;
      continue;
    }
    if (!objects.some((o) => matchesPattern(nested, o))) return false;
  }
  return true;
}

const LEAF_OPERATORS = new Set([
  'prefix',
  'suffix',
  'equals-ignore-case',
  'numeric',
  'wildcard',
  'cidr',
  'anything-but',
  'exists',
]);
const NUMERIC_OPS = new Set(['=', '<', '<=', '>', '>=']);

/**
 * Problems of a pattern EventBridge would refuse (PutRule's "Event pattern is not valid"): a field whose
 * value is neither a list nor an object, an unknown operator, a malformed `numeric`, `cidr` or `$or`.
 * Each problem names the JSON path. Empty when the pattern is valid.
 */
export function patternProblems(pattern: unknown, where = '$'): string[] {
  if (!isObj(pattern)) return [`${where}: a pattern must be a JSON object`];
  const out: string[] = [];
  for (const [field, rule] of Object.entries(pattern)) {
    const at = `${where}.${field}`;
    if (field === '$or') {
      if (!Array.isArray(rule) || rule.length < 2) out.push(`${at}: $or takes a list of at least 2 patterns`);
      else rule.forEach((alt, i) => out.push(...patternProblems(alt, `${at}[${i}]`)));
    } else if (Array.isArray(rule)) {
      rule.forEach((m, i) => {
        if (!isObj(m)) {
          if (m !== null && !['string', 'number', 'boolean'].includes(typeof m))
            out.push(`${at}[${i}]: a value must be a string, number, boolean, null or an operator object`);
          return;
        }
        const keys = Object.keys(m);
        if (keys.length !== 1 || !LEAF_OPERATORS.has(keys[0])) {
          out.push(`${at}[${i}]: unknown operator ${JSON.stringify(keys)}; allowed: ${[...LEAF_OPERATORS].join(', ')}`);
          return;
        }
        const op = keys[0];
        const arg = m[op];
        if (
          op === 'numeric' &&
          (!Array.isArray(arg) ||
            arg.length === 0 ||
            arg.length % 2 !== 0 ||
            arg.some((x, j) => (j % 2 === 0 ? !NUMERIC_OPS.has(String(x)) : typeof x !== 'number')))
        ) {
          out.push(`${at}[${i}]: numeric takes pairs of an operator (=, <, <=, >, >=) and a number`);
        }
        if (op === 'exists' && typeof arg !== 'boolean') out.push(`${at}[${i}]: exists takes true or false`);
        if (op === 'cidr' && (typeof arg !== 'string' || !parseIp(arg.split('/')[0])))
          out.push(`${at}[${i}]: cidr takes an IPv4 or IPv6 block such as 10.0.0.0/24`);
      });
    } else if (isObj(rule)) {
      out.push(...patternProblems(rule, at));
    } else {
      out.push(`${at}: a field's value must be a list of values or a nested pattern`);
    }
  }
  return out;
}
