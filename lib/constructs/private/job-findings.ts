/**
 * Runs batchkit's core rules over the model a construct renders, and turns the findings into a
 * synth-time error (with the construct path and rule code) or acknowledgeable warnings.
 */
import { Annotations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { BatchkitError } from '../../core/errors';
import { emptyBatchModel, type BatchModel } from '../../core/model/batch-model';
import { ALL_RULES } from '../../core/rules';
import { CROSS_RESOURCE_RULES } from '../../core/rules/cross-resource';
import type { Finding } from '../../core/rules/finding';
import { runRules, type Rule } from '../../core/rules/rule';

/** Codes of rules that need the whole stack; they run once per stack, not per construct. */
function crossCodes(): string[] {
  return CROSS_RESOURCE_RULES.map((r) => r.code);
}

/** Throws (errors) or annotates (warnings) the findings of one construct. Info findings are dropped. */
export function reportFindings(scope: IConstruct, findings: readonly Finding[]): void {
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) {
    const lines = errors.map((f) => `[${f.code}] ${f.message}`);
    throw new BatchkitError(
      errors[0].code,
      'input',
      `${scope.node.path}: ${errors.length === 1 ? lines[0] : `${errors.length} errors:\n  ${lines.join('\n  ')}`}`,
    );
  }
  for (const f of findings) {
    if (f.severity === 'warning') Annotations.of(scope).addWarningV2(f.code, `[${f.code}] ${f.message}`);
  }
}

/**
 * Runs the per-resource rules (every rule except the cross-resource ones) over a model holding
 * only this construct's resource, then reports the findings on `scope`.
 * @param rules the rule list; {@link ALL_RULES} unless a test injects one
 */
export function checkWithRules(
  scope: IConstruct,
  part: Partial<Omit<BatchModel, 'environment'>>,
  rules: readonly Rule[] = ALL_RULES,
): Finding[] {
  const findings = runRules(rules, { ...emptyBatchModel(), ...part }, { exclude: crossCodes() });
  reportFindings(scope, findings);
  return findings;
}

/**
 * Runs exactly the rules with `codes` (cross-resource ones included) over a model holding `part`
 * and reports the findings on `scope`, as {@link checkWithRules} does.
 */
export function checkRules(
  scope: IConstruct,
  part: Partial<Omit<BatchModel, 'environment'>>,
  codes: readonly string[],
): Finding[] {
  const findings = runRules(
    ALL_RULES.filter((r) => codes.includes(r.code)),
    { ...emptyBatchModel(), ...part },
  );
  reportFindings(scope, findings);
  return findings;
}

/**
 * For `node.addValidation`: runs the rules (only those with `codes`, when given; else the
 * per-resource ones) over a model holding `part`, annotates warnings on `scope` and returns the
 * errors as `[code] message` lines (synth fails with them and the construct path).
 */
export function validationMessages(
  scope: IConstruct,
  part: Partial<Omit<BatchModel, 'environment'>>,
  codes?: readonly string[],
): string[] {
  const model = { ...emptyBatchModel(), ...part };
  const findings = codes
    ? runRules(
        ALL_RULES.filter((r) => codes.includes(r.code)),
        model,
      )
    : runRules(ALL_RULES, model, { exclude: crossCodes() });
  for (const f of findings) {
    if (f.severity === 'warning') Annotations.of(scope).addWarningV2(f.code, `[${f.code}] ${f.message}`);
  }
  return findings.filter((f) => f.severity === 'error').map((f) => `[${f.code}] ${f.message}`);
}

/** A construct-level error: the construct path, a stable code, what was wrong, allowed values and the fix. */
export function constructError(
  scope: IConstruct,
  code: string,
  problem: string,
  details: { value?: unknown; allowed?: string; fix?: string } = {},
): BatchkitError {
  const parts = [`${scope.node.path}: [${code}] ${problem}`];
  if (details.value !== undefined) parts.push(`Got: ${JSON.stringify(details.value)}.`);
  if (details.allowed) parts.push(`Allowed: ${details.allowed}.`);
  return new BatchkitError(code, 'input', parts.join(' '), { fix: details.fix });
}

/** A construct-level warning, acknowledgeable with `Annotations.of(scope).acknowledgeWarning(code)`. */
export function constructWarning(scope: IConstruct, code: string, message: string): void {
  Annotations.of(scope).addWarningV2(code, `[${code}] ${message}`);
}
