/**
 * `retryStrategy.evaluateOnExit` rules, shared by job definitions (BATCH-JD-022/023) and SubmitJob
 * retry overrides (BATCH-SJ-006).
 * @see https://docs.aws.amazon.com/batch/latest/APIReference/API_RetryStrategy.html
 */
import type { RetryStrategy } from '../model/job-definition';
import { isUnresolved } from '../model/unresolved';
import type { Finding, FindingInput } from './finding';
import { definitionRule, isObject } from './job-definition-common';
import {
  EXIT_CODE_PATTERN_ALLOWED,
  MAX_EVALUATE_ON_EXIT,
  REASON_PATTERN_ALLOWED,
  isValidExitCodePattern,
  isValidReasonPattern,
  normalizeRetryAction,
} from './retry-patterns';
import { whenKnown, type Rule } from './rule';

/** A problem found in a retry strategy, before it becomes a finding of some rule. */
export type RetryProblem =
  | (Omit<FindingInput, 'code' | 'severity' | 'resource'> & { readonly unresolved?: false })
  | { readonly unresolved: true; readonly field: string; readonly value: unknown };

const CONDITIONS = ['onExitCode', 'onReason', 'onStatusReason'] as const;

/** Count, conditions and actions of `evaluateOnExit`; `attempts` must accompany it. */
export function evaluateOnExitStructureProblems(rs: RetryStrategy | undefined, base: string): RetryProblem[] {
  if (!isObject(rs) || rs.evaluateOnExit === undefined) return [];
  const out: RetryProblem[] = [];
  const entries = Array.isArray(rs.evaluateOnExit) ? rs.evaluateOnExit : [];
  if (entries.length > MAX_EVALUATE_ON_EXIT) {
    out.push({
      field: `${base}.evaluateOnExit`,
      problem: `the retry strategy has ${entries.length} evaluateOnExit entries.`,
      value: entries.length,
      allowed: `at most ${MAX_EVALUATE_ON_EXIT} entries`,
      fix: 'Merge entries with trailing-* patterns (e.g. onStatusReason "Host EC2*") so that at most 5 remain.',
    });
  }
  if (rs.attempts === undefined && entries.length > 0) {
    out.push({
      field: `${base}.attempts`,
      problem: 'evaluateOnExit is set without attempts; Batch requires attempts whenever evaluateOnExit is specified.',
      allowed: 'an integer from 1 to 10',
      fix: 'Set attempts (e.g. 3) next to evaluateOnExit.',
    });
  }
  entries.forEach((e, i) => {
    const field = `${base}.evaluateOnExit[${i}]`;
    if (!isObject(e) || CONDITIONS.every((k) => e[k] === undefined)) {
      out.push({
        field,
        problem: 'the entry has no condition, so it can never match.',
        value: e,
        allowed: 'at least one of onExitCode, onReason, onStatusReason',
        fix: 'Add a condition; use onReason "*" for a catch-all entry.',
      });
    }
    const action = isObject(e) ? e.action : undefined;
    if (isUnresolved(action)) {
      out.push({ unresolved: true, field: `${field}.action`, value: action });
    } else if (normalizeRetryAction(typeof action === 'string' ? action : undefined) === undefined) {
      out.push({
        field: `${field}.action`,
        problem: 'the action is neither RETRY nor EXIT.',
        value: action,
        allowed: 'RETRY or EXIT (case-insensitive)',
        fix: 'Use "RETRY" to try again while attempts remain, or "EXIT" to fail the job now.',
      });
    }
  });
  return out;
}

/** Syntax of the `onExitCode`, `onReason` and `onStatusReason` patterns. */
export function evaluateOnExitPatternProblems(rs: RetryStrategy | undefined, base: string): RetryProblem[] {
  if (!isObject(rs) || !Array.isArray(rs.evaluateOnExit)) return [];
  const out: RetryProblem[] = [];
  rs.evaluateOnExit.forEach((e, i) => {
    if (!isObject(e)) return;
    for (const key of CONDITIONS) {
      const pattern = e[key];
      if (pattern === undefined) continue;
      const field = `${base}.evaluateOnExit[${i}].${key}`;
      if (isUnresolved(pattern)) {
        out.push({ unresolved: true, field, value: pattern });
        continue;
      }
      const exit = key === 'onExitCode';
      const valid =
        typeof pattern === 'string' && (exit ? isValidExitCodePattern(pattern) : isValidReasonPattern(pattern));
      if (valid) continue;
      out.push({
        field,
        problem: exit
          ? 'the exit code pattern is not digits with an optional trailing "*".'
          : 'the pattern has characters Batch does not accept, a "*" that is not at the end, or a bad length.',
        value: pattern,
        allowed: exit ? EXIT_CODE_PATTERN_ALLOWED : REASON_PATTERN_ALLOWED,
        fix: exit
          ? 'Write the exit code in decimal ("137"), or a prefix with "*" ("1*", "*").'
          : 'Keep the literal start of the message and end it with "*", e.g. ' +
            '"CannotPullContainerError:*"; drop characters such as "-", "(", ")" or quotes.',
      });
    }
  });
  return out;
}

/** Turns problems into findings of one rule; unresolved values become BATCH-UNRESOLVED notes. */
export function retryProblemsToFindings(
  problems: readonly RetryProblem[],
  rule: { code: string },
  resource: Finding['resource'],
  build: (input: Omit<FindingInput, 'code' | 'severity' | 'resource'>) => Finding,
): Finding[] {
  return problems.flatMap((p) =>
    p.unresolved === true ? whenKnown(rule, resource, p.field, p.value, () => []) : [build(p)],
  );
}

const structure = definitionRule(
  'BATCH-JD-022',
  'error',
  'retryStrategy.evaluateOnExit has at most 5 entries, each with a ' +
    'condition and action RETRY or EXIT, and comes with attempts.',
  (c) =>
    retryProblemsToFindings(
      evaluateOnExitStructureProblems(c.jd.retryStrategy, 'retryStrategy'),
      c.ctx,
      c.ref,
      c.report,
    ),
);

const patterns = definitionRule(
  'BATCH-JD-023',
  'error',
  'evaluateOnExit patterns: onExitCode digits with optional trailing *, ' +
    'onReason/onStatusReason letters, digits, . : and white space with optional trailing *, 1-512 characters.',
  (c) =>
    retryProblemsToFindings(evaluateOnExitPatternProblems(c.jd.retryStrategy, 'retryStrategy'), c.ctx, c.ref, c.report),
);

/** The evaluateOnExit rules. */
export const RETRY_RULES: readonly Rule[] = [structure, patterns];
