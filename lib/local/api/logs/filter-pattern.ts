/**
 * CloudWatch Logs filter patterns for unstructured log events (FilterLogEvents `filterPattern`):
 * terms are case-sensitive and match anywhere in the message; `"a quoted phrase"` is one term;
 * terms side by side must all appear; `?term` starts an alternative (`?ERROR ?WARN` matches either;
 * `?ERROR MainThread ?WARN Deadlock` matches either pair); `-term` excludes events that contain it;
 * an empty pattern matches every event. JSON (`{ $.x = 1 }`), space-delimited (`[a, b]`) and regex
 * (`%...%`) patterns are refused with a message saying so.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
 */

/** A parsed pattern. */
export interface FilterPattern {
  /** Alternatives: an event matches when every term of at least one group appears (no group: any event). */
  readonly groups: readonly (readonly string[])[];
  /** Terms that must not appear. */
  readonly excluded: readonly string[];
}

/** Why a pattern cannot be used. */
export class FilterPatternError extends Error {}

/** Parses a pattern; throws {@link FilterPatternError} on one batchkit does not evaluate. */
export function parseFilterPattern(pattern: string): FilterPattern {
  const text = pattern.trim();
  if (text.startsWith('{') || text.startsWith('[') || text.startsWith('%')) {
    const kind = text.startsWith('{') ? 'JSON' : text.startsWith('[') ? 'space-delimited' : 'regular expression';
    throw new FilterPatternError(
      `filterPattern ${JSON.stringify(pattern)} is a ${kind} pattern; the ` +
        `local CloudWatch Logs API evaluates term patterns only (terms, "quoted ` +
        `phrases", ?term alternatives, -term exclusions). Fix: filter with ` +
        `terms, or filter the returned events in your code.`,
    );
  }
  const groups: string[][] = [];
  const excluded: string[] = [];
  let current: string[] | undefined;
  for (const token of tokenize(pattern)) {
    if (token.prefix === '-') {
      excluded.push(token.term);
    } else if (token.prefix === '?') {
      current = [token.term];
      groups.push(current);
    } else {
      if (!current) {
        current = [];
        groups.push(current);
      }
      current.push(token.term);
    }
  }
  return { groups, excluded };
}

/** Whether a message matches a parsed pattern. */
export function matchesFilterPattern(p: FilterPattern, message: string): boolean {
  if (p.excluded.some((t) => message.includes(t))) return false;
  return p.groups.length === 0 || p.groups.some((g) => g.every((t) => message.includes(t)));
}

interface Token {
  readonly prefix: '' | '?' | '-';
  readonly term: string;
}

function tokenize(pattern: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    while (i < pattern.length && /\s/.test(pattern[i])) i++;
    if (i >= pattern.length) break;
    let prefix: Token['prefix'] = '';
    if ((pattern[i] === '?' || pattern[i] === '-') && i + 1 < pattern.length && !/\s/.test(pattern[i + 1])) {
      prefix = pattern[i] as '?' | '-';
      i++;
    }
    let term: string;
    if (pattern[i] === '"') {
      const end = pattern.indexOf('"', i + 1);
      if (end < 0) {
        throw new FilterPatternError(
          `filterPattern ${JSON.stringify(pattern)} has an unclosed quote at ` +
            `character ${i + 1}. Fix: close the quoted phrase.`,
        );
      }
      term = pattern.slice(i + 1, end);
      i = end + 1;
    } else {
      const start = i;
      while (i < pattern.length && !/\s/.test(pattern[i])) i++;
      term = pattern.slice(start, i);
    }
    if (term.length > 0) out.push({ prefix, term });
  }
  return out;
}
