/**
 * `retryStrategy.evaluateOnExit` patterns: their syntax and how Batch matches them against a
 * failed attempt. The rules validate patterns with these functions and the local executor decides
 * RETRY or EXIT with {@link firstMatchingAction}, so both agree with each other.
 *
 * Syntax (Batch API reference, `EvaluateOnExit`): every pattern is 1-512 characters and may end
 * with one `*`, "so that only the start of the string needs to be an exact match".
 * - `onExitCode`: only digits (before the optional `*`).
 * - `onReason`, `onStatusReason`: letters, digits, periods (.), colons (:) and white space
 *   (spaces, tabs).
 * `action` is RETRY or EXIT; "the values aren't case sensitive".
 * @see https://docs.aws.amazon.com/batch/latest/APIReference/API_EvaluateOnExit.html
 * @see https://docs.aws.amazon.com/batch/latest/userguide/job_retries.html
 */
import type { EvaluateOnExit, RetryAction } from '../model/job-definition';

/** Longest pattern Batch accepts. */
export const MAX_PATTERN_LENGTH = 512;
/** Most `evaluateOnExit` entries Batch accepts. */
export const MAX_EVALUATE_ON_EXIT = 5;

const EXIT_CODE_PATTERN = /^[0-9]*\*?$/;
const REASON_PATTERN = /^[A-Za-z0-9.: \t]*\*?$/;

/** Allowed `onExitCode` syntax, for messages. */
export const EXIT_CODE_PATTERN_ALLOWED =
  '1-512 characters: digits only, optionally ending with one "*" (e.g. "137", "1*", "*")';
/** Allowed `onReason` / `onStatusReason` syntax, for messages. */
export const REASON_PATTERN_ALLOWED =
  '1-512 characters: letters, digits, periods (.), colons (:), spaces and ' +
  'tabs, optionally ending with one "*" (e.g. "Host EC2*")';

/** True when `pattern` is a valid `onExitCode` glob. */
export function isValidExitCodePattern(pattern: string): boolean {
  return pattern.length >= 1 && pattern.length <= MAX_PATTERN_LENGTH && EXIT_CODE_PATTERN.test(pattern);
}

/** True when `pattern` is a valid `onReason` / `onStatusReason` glob. */
export function isValidReasonPattern(pattern: string): boolean {
  return pattern.length >= 1 && pattern.length <= MAX_PATTERN_LENGTH && REASON_PATTERN.test(pattern);
}

/**
 * Glob match as Batch does it: a trailing `*` makes the rest a prefix; otherwise the whole string
 * must be equal. Case-sensitive. `*` alone matches every value, including the empty string.
 */
function globMatch(pattern: string, value: string): boolean {
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  return value === pattern;
}

/**
 * True when an `onExitCode` pattern matches an attempt's exit code (its decimal representation).
 * An attempt without an exit code (the container never ran, the host went away) is matched as the
 * empty string: only `*` matches it.
 */
export function matchesExitPattern(pattern: string, exitCode: number | undefined): boolean {
  const value = exitCode === undefined || exitCode === null ? '' : String(exitCode);
  return globMatch(pattern, value);
}

/**
 * True when an `onReason` / `onStatusReason` pattern matches a reason string. An absent reason is
 * matched as the empty string: only `*` matches it (the User Guide's catch-all
 * `{ "action": "EXIT", "onReason": "*" }` exits "for any reason").
 */
export function matchesReasonPattern(pattern: string, value: string | undefined): boolean {
  return globMatch(pattern, value ?? '');
}

/** What a failed attempt reports, as DescribeJobs shows it. */
export interface AttemptOutcome {
  /** `attempts[].container.exitCode`. */
  readonly exitCode?: number;
  /** `attempts[].container.reason` (e.g. `OutOfMemoryError: Container killed due to memory usage`). */
  readonly reason?: string;
  /** `attempts[].statusReason` (e.g. `Essential container in task exited`, `Host EC2 (instance i-...) terminated.`). */
  readonly statusReason?: string;
}

/** Normalizes an `action` the way Batch reads it (case-insensitive); undefined when it is neither. */
export function normalizeRetryAction(action: string | undefined): RetryAction | undefined {
  const upper = typeof action === 'string' ? action.toUpperCase() : undefined;
  return upper === 'RETRY' || upper === 'EXIT' ? upper : undefined;
}

/** True when an entry matches: it has at least one condition and every condition it has matches. */
export function entryMatches(entry: EvaluateOnExit, outcome: AttemptOutcome): boolean {
  const conditions: boolean[] = [];
  if (entry.onExitCode !== undefined) conditions.push(matchesExitPattern(entry.onExitCode, outcome.exitCode));
  if (entry.onReason !== undefined) conditions.push(matchesReasonPattern(entry.onReason, outcome.reason));
  if (entry.onStatusReason !== undefined) {
    conditions.push(matchesReasonPattern(entry.onStatusReason, outcome.statusReason));
  }
  return conditions.length > 0 && conditions.every(Boolean);
}

/**
 * The action of the first `evaluateOnExit` entry whose conditions all match the failed attempt
 * (entries are evaluated in order; the first match wins), upper-cased. Undefined when no entry
 * matches: Batch then retries the job if attempts remain ("If none of the EvaluateOnExit
 * conditions in a RetryStrategy match, then the job is retried").
 */
export function firstMatchingAction(
  evaluateOnExit: readonly EvaluateOnExit[] | undefined,
  outcome: AttemptOutcome,
): RetryAction | undefined {
  for (const entry of evaluateOnExit ?? []) {
    if (entryMatches(entry, outcome)) return normalizeRetryAction(entry.action);
  }
  return undefined;
}
