/**
 * Parsers for `batchkit local` flag values. Each bad value throws a BatchkitError of kind `input`
 * that names the flag, the value, what is allowed and the fix.
 */
import { BatchkitError } from '../../core/errors';
import type { ArrayJobDependency, JobDependency } from '../../core/model/job';

const CODE = 'BATCHKIT-CLI-LOCAL-001';

function bad(flag: string, value: string, allowed: string, fix: string): BatchkitError {
  return new BatchkitError(CODE, 'input', `${flag} "${value}" is not valid: ${allowed}.`, { fix });
}

/** `k=v` pairs (the value may contain `=`), later pairs win. */
export function parseKeyValues(flag: string, values: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values ?? []) {
    const i = v.indexOf('=');
    if (i <= 0) throw bad(flag, v, 'expected KEY=VALUE with a non-empty key', `write it as ${flag} name=value`);
    out[v.slice(0, i)] = v.slice(i + 1);
  }
  return out;
}

/** A positive integer flag (`min`..`max`). */
export function parseInteger(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw bad(flag, value, `an integer from ${min} to ${max}`, `pass a whole number, e.g. ${flag} ${min}`);
  }
  return n;
}

/** A positive number flag (fractions allowed: `--vcpus 0.25`, `--time-scale 60`). */
export function parsePositive(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw bad(flag, value, 'a number greater than 0', `pass e.g. ${flag} 1`);
  }
  return n;
}

const DEPENDENCY_TYPES: readonly ArrayJobDependency[] = ['N_TO_N', 'SEQUENTIAL'];

/** `ID` or `ID:N_TO_N|SEQUENTIAL` (job ids of array children contain `:` too: `uuid:3`). */
export function parseDependency(flag: string, value: string): JobDependency {
  const i = value.lastIndexOf(':');
  const suffix = i >= 0 ? value.slice(i + 1) : '';
  if (i > 0 && /^[A-Za-z_]+$/.test(suffix)) {
    const type = suffix.toUpperCase() as ArrayJobDependency;
    if (!DEPENDENCY_TYPES.includes(type)) {
      throw bad(
        flag,
        value,
        `the dependency type must be ${DEPENDENCY_TYPES.join(' or ')}`,
        `write ${flag} <jobId>:N_TO_N, ${flag} <jobId>:SEQUENTIAL or ${flag} <jobId>`,
      );
    }
    return { jobId: value.slice(0, i), type };
  }
  if (value.trim() === '') throw bad(flag, value, 'a job id is required', `write ${flag} <jobId>`);
  return { jobId: value };
}

/**
 * A command given as one flag value: a JSON array (`'["sh","-c","echo hi"]'`) or words split on
 * spaces with single or double quotes grouping (`'sh -c "echo hi"'`).
 */
export function parseCommand(flag: string, value: string): string[] {
  const trimmed = value.trim();
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === 'string')) {
      throw bad(
        flag,
        value,
        'a JSON array of strings or words separated by spaces',
        `e.g. ${flag} '["sh","-c","echo hi"]'`,
      );
    }
    return parsed as string[];
  }
  const words: string[] = [];
  let current = '';
  let quote: string | undefined;
  let inWord = false;
  for (const ch of trimmed) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (quote)
    throw bad(
      flag,
      value,
      `the quote ${quote} is not closed`,
      'close the quote, or pass the command after -- as separate words',
    );
  if (inWord) words.push(current);
  if (words.length === 0) throw bad(flag, value, 'the command is empty', `pass e.g. ${flag} 'echo hello'`);
  return words;
}
