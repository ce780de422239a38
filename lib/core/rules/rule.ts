/**
 * The rule engine: rules with stable codes, run over a whole {@link BatchModel}.
 */
import type { BatchModel } from '../model/batch-model';
import { describeUnresolved, isUnresolved } from '../model/unresolved';
import { finding, type Finding, type FindingInput, type ResourceRef, type Severity } from './finding';

/** A rule of the AWS Batch User Guide as code. */
export interface Rule {
  /** Stable code, `BATCH-<AREA>-<NNN>`. */
  readonly code: string;
  /** Severity of its findings (a rule may also emit `info` for skipped values). */
  readonly severity: Severity;
  /** One line: what the rule checks, and where in the guide it comes from. */
  readonly description: string;
  /** Runs the rule over the model. */
  check(model: BatchModel, ctx: RuleContext): Finding[];
}

/** Helpers handed to every rule. */
export interface RuleContext {
  /** The code of the rule being run. */
  readonly code: string;
  /** The rule's severity. */
  readonly severity: Severity;
}

/** Code of the info finding a rule emits when it skips a value it cannot know. */
export const UNRESOLVED_CODE = 'BATCH-UNRESOLVED';

/**
 * Calls `check` with the value when it is known; otherwise returns one info finding saying which
 * rule skipped which field because its value is known only at deployment.
 */
export function whenKnown<T>(
  rule: { code: string },
  resource: ResourceRef,
  field: string,
  value: T,
  check: (value: T) => Finding[],
): Finding[] {
  if (isUnresolved(value)) {
    return [
      finding({
        code: UNRESOLVED_CODE,
        severity: 'info',
        resource,
        field,
        problem: `rule ${rule.code} skipped: the value is ${describeUnresolved(value)}, known only at deployment.`,
      }),
    ];
  }
  return check(value);
}

/** Options of {@link runRules}. */
export interface RunRulesOptions {
  /** Codes to leave out. */
  readonly exclude?: readonly string[];
}

/** Runs every rule over the model, in order of rule code, and returns all findings. */
export function runRules(rules: readonly Rule[], model: BatchModel, options: RunRulesOptions = {}): Finding[] {
  const out: Finding[] = [];
  for (const rule of [...rules].sort((a, b) => a.code.localeCompare(b.code))) {
    if (options.exclude?.includes(rule.code)) continue;
    out.push(...rule.check(model, { code: rule.code, severity: rule.severity }));
  }
  return out;
}

/** True when any finding is an error. */
export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}

/** What a per-resource check receives ({@link perItemRule}). */
export interface ItemCheck<T> {
  /** The resource checked. */
  readonly item: T;
  /** The whole model (for checks that look at other resources of the template). */
  readonly model: BatchModel;
  /** Its reference for findings. */
  readonly ref: ResourceRef;
  /** Code and severity of the running rule. */
  readonly ctx: RuleContext;
  /** Builds a finding of the running rule about this resource. */
  report(input: Omit<FindingInput, 'code' | 'severity' | 'resource'> & { severity?: Severity }): Finding;
  /** {@link whenKnown} for this rule and resource. */
  known<V>(field: string, value: V, check: (value: V) => Finding[]): Finding[];
}

/** A rule builder: runs `check` once per item of a list of the model, with its resource reference. */
export function perItemRule<T>(
  list: (m: BatchModel) => readonly T[],
  refOf: (item: T) => ResourceRef,
): (code: string, severity: Severity, description: string, check: (c: ItemCheck<T>) => Finding[]) => Rule {
  return (code, severity, description, check) => ({
    code,
    severity,
    description,
    check(model: BatchModel, ctx: RuleContext): Finding[] {
      return list(model).flatMap((item) => {
        const ref = refOf(item);
        return check({
          item,
          model,
          ref,
          ctx,
          report: (input) =>
            finding({ ...input, code: ctx.code, severity: input.severity ?? ctx.severity, resource: ref }),
          known: (field, value, fn) => whenKnown(ctx, ref, field, value, fn),
        });
      });
    },
  });
}
