/**
 * A small EventBridge event-pattern matcher, enough to prove which events a rule would select:
 * exact values, `prefix`, `suffix`, `exists`, `anything-but` (value, list or prefix), `numeric`
 * comparisons, `equals-ignore-case`, nested objects and arrays in the event (any element matches).
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html
 */

/** An event pattern: field → list of allowed values/matchers, or a nested pattern. */
export type EventPattern = { readonly [field: string]: EventPattern | readonly unknown[] };

type Leaf = string | number | boolean | null;

function leaves(value: unknown): Leaf[] {
  if (Array.isArray(value)) return value.flatMap(leaves);
  if (value === undefined || (typeof value === 'object' && value !== null)) return [];
  return [value as Leaf];
}

function numericMatch(ops: readonly unknown[], v: Leaf): boolean {
  if (typeof v !== 'number') return false;
  for (let i = 0; i + 1 < ops.length; i += 2) {
    const op = ops[i];
    const n = Number(ops[i + 1]);
    const ok = op === '=' ? v === n : op === '<' ? v < n : op === '<=' ? v <= n : op === '>' ? v > n : op === '>=' ? v >= n : false;
    if (!ok) return false;
  }
  return true;
}

function matcherMatches(m: unknown, value: unknown, present: boolean): boolean {
  if (m === null || typeof m !== 'object') return present && leaves(value).some((v) => v === m);
  const obj = m as Record<string, unknown>;
  if ('exists' in obj) return obj.exists === present && (present ? value !== null : true);
  if (!present) return false;
  const vals = leaves(value);
  if ('prefix' in obj) {
    const p = obj.prefix;
    if (typeof p === 'object' && p !== null && 'equals-ignore-case' in p) {
      const s = String((p as Record<string, unknown>)['equals-ignore-case']).toLowerCase();
      return vals.some((v) => typeof v === 'string' && v.toLowerCase().startsWith(s));
    }
    return vals.some((v) => typeof v === 'string' && v.startsWith(String(p)));
  }
  if ('suffix' in obj) return vals.some((v) => typeof v === 'string' && v.endsWith(String(obj.suffix)));
  if ('equals-ignore-case' in obj) return vals.some((v) => typeof v === 'string' && v.toLowerCase() === String(obj['equals-ignore-case']).toLowerCase());
  if ('numeric' in obj) return vals.some((v) => numericMatch(obj.numeric as unknown[], v));
  if ('anything-but' in obj) {
    const ab = obj['anything-but'];
    if (Array.isArray(ab)) return vals.some((v) => !ab.includes(v));
    if (typeof ab === 'object' && ab !== null && 'prefix' in ab) {
      const p = String((ab as Record<string, unknown>).prefix);
      return vals.some((v) => typeof v === 'string' && !v.startsWith(p));
    }
    return vals.some((v) => v !== ab);
  }
  return false;
}

/** True when `event` matches `pattern`. */
export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  const e = (event ?? {}) as Record<string, unknown>;
  for (const [field, rule] of Object.entries(pattern)) {
    const present = typeof e === 'object' && e !== null && Object.prototype.hasOwnProperty.call(e, field) && e[field] !== undefined;
    const value = present ? e[field] : undefined;
    if (Array.isArray(rule)) {
      if (!rule.some((m) => matcherMatches(m, value, present))) return false;
    } else {
      if (!present || typeof value !== 'object' || value === null) {
        if (!matchesPattern(rule as EventPattern, {})) return false;
        continue;
      }
      const objects = Array.isArray(value) ? value : [value];
      if (!objects.some((o) => matchesPattern(rule as EventPattern, o))) return false;
    }
  }
  return true;
}
