/**
 * Document members of the Batch API model (`eksProperties`, `ecsProperties` and their overrides,
 * launch template overrides) are free-form JSON. Their nesting is bounded here, at the edge, before
 * anything recursive (JSON serialization, cloning, the store and the registry file) sees them: one
 * request nested thousands of levels deep would otherwise overflow the stack wherever it is copied.
 * Their size is bounded by the request body limit of the server (1 MiB; SubmitJob 30 KiB).
 */
import { clientError } from './errors';

/** Deepest nesting of objects and arrays accepted inside one document member (the member itself is level 1). */
export const MAX_DOCUMENT_DEPTH = 64;

interface Frame {
  readonly value: unknown;
  readonly depth: number;
  readonly key: string | number;
  readonly parent?: Frame;
}

/**
 * Throws a `ClientException` naming the member path where `value` (the document member at `path`)
 * nests objects or arrays deeper than {@link MAX_DOCUMENT_DEPTH} levels. Iterative, linear in the
 * number of values.
 */
export function checkDocumentDepth(value: unknown, path: string): void {
  const stack: Frame[] = [{ value, depth: 1, key: '' }];
  for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
    const v = frame.value;
    if (typeof v !== 'object' || v === null) continue;
    if (frame.depth > MAX_DOCUMENT_DEPTH) {
      throw clientError(
        `Member ${path} is nested more than ${MAX_DOCUMENT_DEPTH} levels deep (at ${pathOf(path, frame)}). ` +
          `Allowed: at most ${MAX_DOCUMENT_DEPTH} levels of objects and arrays in ` +
          `a document member. Fix: flatten the document.`,
      );
    }
    const entries: Array<[string | number, unknown]> = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
    for (const [key, child] of entries) {
      if (typeof child === 'object' && child !== null)
        stack.push({ value: child, depth: frame.depth + 1, key, parent: frame });
    }
  }
}

/** `path.a[0].b`, shortened in the middle when long. */
function pathOf(root: string, frame: Frame): string {
  const keys: Array<string | number> = [];
  for (let f: Frame | undefined = frame; f?.parent !== undefined; f = f.parent) keys.push(f.key);
  keys.reverse();
  const shown = keys.length > 8 ? [...keys.slice(0, 4), '...', ...keys.slice(-3)] : keys;
  return root + shown.map((k) => (typeof k === 'number' ? `[${k}]` : k === '...' ? '...' : `.${k}`)).join('');
}
