/**
 * What a rule target receives, as EventBridge builds it: the event itself, a constant `Input` (JSON
 * text), the part of the event at `InputPath`, or an `InputTransformer` result: the values of
 * `InputPathsMap` (JSON paths into the event) substituted for `<name>` in `InputTemplate`, plus the
 * predefined `<aws.events.rule-arn>`, `<aws.events.rule-name>`, `<aws.events.event.ingestion-time>`,
 * `<aws.events.event>` and `<aws.events.event.json>`. Inside a JSON string a value is inserted as
 * text; outside, as JSON (strings quoted). A template that is not JSON after substitution is sent as
 * plain text.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
 */
import type { RuleTargetModel } from '../../core/model/app';

/** Error code of an input path that is not a simple JSON path. */
export const INPUT_PATH_ERROR = 'BATCHKIT-LOCAL-APP-001';

/**
 * Reads a simple JSON path (`$`, `$.detail.status`, `$.resources[0]`, `$['detail-type']`) from `doc`;
 * undefined when a step is missing. Throws a RangeError for a path of another form.
 */
export function readJsonPath(doc: unknown, jsonPath: string): unknown {
  if (!jsonPath.startsWith('$')) throw new RangeError(`${jsonPath} is not a JSON path (it must start with $)`);
  let rest = jsonPath.slice(1);
  let cur: unknown = doc;
  while (rest.length > 0) {
    let key: string | number;
    let m: RegExpExecArray | null;
    if ((m = /^\.([^.[\]]+)/.exec(rest))) key = m[1];
    else if ((m = /^\[(\d+)\]/.exec(rest))) key = Number(m[1]);
    else if ((m = /^\[(['"])(.*?)\1\]/.exec(rest))) key = m[2];
    else throw new RangeError(`${jsonPath} is not a simple JSON path (use $.a.b, $.a[0] or $['a-b'])`);
    rest = rest.slice(m[0].length);
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[key];
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** Rule context for the predefined variables. */
export interface RuleContext {
  /** Rule ARN. */
  readonly ruleArn: string;
  /** Rule name. */
  readonly ruleName: string;
}

/**
 * Substitutes `<name>` placeholders in an input template. A template that starts with `{`, `[` or `"`
 * is JSON (values go in as JSON outside strings, as escaped text inside); any other is plain text.
 */
export function applyTemplate(template: string, values: ReadonlyMap<string, unknown>): string {
  const json = /^\s*[{["]/.test(template);
  let out = '';
  let inString = !json;
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (json && c === '\\' && inString) {
      out += c + (template[i + 1] ?? '');
      i++;
      continue;
    }
    if (json && c === '"') inString = !inString;
    if (c === '<') {
      const end = template.indexOf('>', i + 1);
      const name = end > i ? template.slice(i + 1, end) : '';
      if (end > i && values.has(name)) {
        const v = values.get(name);
        if (inString) {
          const textValue = typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v);
          out += json ? JSON.stringify(textValue).slice(1, -1) : textValue;
        } else {
          out += v === undefined ? 'null' : JSON.stringify(v);
        }
        i = end;
        continue;
      }
    }
    out += c;
  }
  return out;
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The payload `target` receives for `event` (a JSON value, or a string for a plain-text template).
 * Throws a RangeError naming the target when an `InputPath` / `InputPathsMap` path is not a simple JSON path.
 */
export function targetInput(
  target: RuleTargetModel,
  event: unknown,
  rule: RuleContext,
  ingestedAt = Date.now(),
): unknown {
  if (target.input !== undefined) return parseOrText(target.input);
  if (target.inputPath !== undefined) return readJsonPath(event, target.inputPath) ?? null;
  const t = target.inputTransformer;
  if (!t) return event;
  const values = new Map<string, unknown>();
  for (const [name, p] of Object.entries(t.inputPathsMap)) values.set(name, readJsonPath(event, p));
  values.set('aws.events.rule-arn', rule.ruleArn);
  values.set('aws.events.rule-name', rule.ruleName);
  values.set('aws.events.event.ingestion-time', new Date(ingestedAt).toISOString());
  values.set('aws.events.event', event);
  values.set('aws.events.event.json', JSON.stringify(event));
  const result = applyTemplate(t.inputTemplate, values);
  return /^\s*[{["]/.test(t.inputTemplate) ? parseOrText(result) : result;
}
