/**
 * The loader's limits: every input, however hostile, is read in bounded time and memory. A file or
 * template beyond a limit is refused with a coded error (exit 2) that names the file, the resource
 * and the limit; nothing of the file's content is quoted.
 *
 * | limit | value | error |
 * |---|---|---|
 * | size of one file (template, manifest, asset manifest) | 64 MiB | `BATCHKIT-ASSEMBLY-008` |
 * | nesting of objects and lists in a file | 256 levels | `BATCHKIT-ASSEMBLY-009` |
 * | nested intrinsic function calls in one value | 100 | `BATCHKIT-ASSEMBLY-009` |
 * | length of a string built by `Fn::Join` / `Fn::Sub` | 4 Mi characters | `BATCHKIT-ASSEMBLY-009` |
 * | YAML aliases (`*name`) expanded | 1,000 | `BATCHKIT-ASSEMBLY-003` |
 * | depth of nested stacks (root = 0) | 32 | `BATCHKIT-ASSEMBLY-009` |
 * | nested stacks loaded in all | 1,000 | `BATCHKIT-ASSEMBLY-009` |
 * | nested cloud assemblies (stages) | 16 levels | `BATCHKIT-ASSEMBLY-009` |
 */
import { ASSEMBLY_ERRORS, assemblyError } from './errors';
import type { Json } from './json';

/** The loader's limits. */
export const LOADER_LIMITS = {
  /** Largest file read (bytes). */
  maxFileBytes: 64 * 1024 * 1024,
  /** Deepest nesting of objects and lists in a parsed file. */
  maxDocumentDepth: 256,
  /** Deepest nesting of intrinsic function calls while resolving one value. */
  maxIntrinsicDepth: 100,
  /** Longest string `Fn::Join` / `Fn::Sub` may build (names built from names of names double at each step). */
  maxValueChars: 4 * 1024 * 1024,
  /** YAML alias expansions (the `yaml` package's `maxAliasCount`). */
  maxYamlAliases: 1000,
  /** Deepest nesting of nested stacks below a root stack. */
  maxNestedStackDepth: 32,
  /** Nested stacks loaded in one load. */
  maxNestedStacks: 1000,
  /** Deepest nesting of nested cloud assemblies (CDK stages). */
  maxAssemblyDepth: 16,
} as const;

/** A limit exceeded: BATCHKIT-ASSEMBLY-009 naming what, where and the limit. */
export function limitError(what: string, fix: string): Error {
  return assemblyError(ASSEMBLY_ERRORS.limit, what, fix);
}

/**
 * Where the first place nested deeper than `max` levels is (its first three keys: `Resources.Job.Properties`),
 * or undefined. Iterative: a document nested 100,000 deep is measured without recursion.
 */
export function tooDeep(value: Json, max: number): string | undefined {
  const stack: Array<{ v: Json; depth: number; path: string }> = [{ v: value, depth: 0, path: '' }];
  while (stack.length > 0) {
    const { v, depth, path } = stack.pop() as { v: Json; depth: number; path: string };
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return path;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--)
        stack.push({ v: v[i], depth: depth + 1, path: depth < 3 ? `${path}[${i}]` : path });
    } else {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--)
        stack.push({
          v: v[keys[i]],
          depth: depth + 1,
          path: depth < 3 ? (path ? `${path}.${keys[i]}` : keys[i]) : path,
        });
    }
  }
  return undefined;
}
