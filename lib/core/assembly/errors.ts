/**
 * Errors of the cloud-assembly / template loader. Every one is a {@link BatchkitError} of kind
 * `input` with a stable code:
 *
 * | code | when |
 * |---|---|
 * | `BATCHKIT-ASSEMBLY-001` | the path does not exist |
 * | `BATCHKIT-ASSEMBLY-002` | a directory without `manifest.json` |
 * | `BATCHKIT-ASSEMBLY-003` | a manifest, asset manifest or template that is not valid JSON/YAML, or not a template |
 * | `BATCHKIT-ASSEMBLY-004` | a stack named in `options.stacks` that the assembly does not have |
 * | `BATCHKIT-ASSEMBLY-005` | `Ref`/`Fn::GetAtt`/`Condition` to a name the template does not declare |
 * | `BATCHKIT-ASSEMBLY-006` | a cycle of `Ref`/`Fn::GetAtt` between resources being resolved |
 * | `BATCHKIT-ASSEMBLY-007` | an intrinsic function used with the wrong arguments |
 * | `BATCHKIT-ASSEMBLY-008` | a file that is not a regular file (FIFO, device, directory) or is larger than the
 * size limit |
 * | `BATCHKIT-ASSEMBLY-009` | a limit exceeded: nesting depth, intrinsic depth, nested stacks (see `limits.ts`) |
 * | `BATCHKIT-ASSEMBLY-010` | a file of a cloud assembly that lies outside the assembly directory |
 * | `BATCHKIT-ASSEMBLY-011` | a bad `parameterOverrides` / `nested` option (unknown parameter, missing file) |
 *
 * Messages name the file and the reason; they never quote a file's content.
 */
import { BatchkitError } from '../errors';

/** Stable codes of the loader's errors. */
export const ASSEMBLY_ERRORS = {
  pathMissing: 'BATCHKIT-ASSEMBLY-001',
  noManifest: 'BATCHKIT-ASSEMBLY-002',
  badFile: 'BATCHKIT-ASSEMBLY-003',
  unknownStack: 'BATCHKIT-ASSEMBLY-004',
  unknownReference: 'BATCHKIT-ASSEMBLY-005',
  cycle: 'BATCHKIT-ASSEMBLY-006',
  badIntrinsic: 'BATCHKIT-ASSEMBLY-007',
  notRegularFile: 'BATCHKIT-ASSEMBLY-008',
  limit: 'BATCHKIT-ASSEMBLY-009',
  outsideAssembly: 'BATCHKIT-ASSEMBLY-010',
  badOption: 'BATCHKIT-ASSEMBLY-011',
} as const;

/** Where in a template something was found: file, resource and property path. */
export interface TemplateLocation {
  /** Template file. */
  readonly file: string;
  /** Logical id of the resource (or `Outputs.X`, `Conditions.X`) being resolved. */
  readonly logicalId?: string;
  /** Property path inside it (`Properties.ContainerProperties.Image`). */
  readonly field?: string;
}

/** `template.json, resource "Queue" property Properties.Priority`. */
export function describeLocation(where: TemplateLocation): string {
  let s = where.file;
  if (where.logicalId) s += `, resource "${where.logicalId}"`;
  if (where.field) s += `, property ${where.field}`;
  return s;
}

/** An input error of the loader. */
export function assemblyError(code: string, message: string, fix: string, cause?: unknown): BatchkitError {
  return new BatchkitError(code, 'input', message, { fix, cause });
}

/** A malformed intrinsic function. */
export function badIntrinsic(where: TemplateLocation, fn: string, problem: string, expected: string): BatchkitError {
  return assemblyError(
    ASSEMBLY_ERRORS.badIntrinsic,
    `${describeLocation(where)}: ${fn} ${problem}.`,
    `Write it as ${expected}.`,
  );
}

/** A template value for a message, cut to `max` characters (a message names the value, it does not dump a subtree). */
export function brief(value: unknown, max = 120): string {
  let s: string;
  try {
    s = JSON.stringify(value) ?? String(value);
  } catch {
    s = String(value);
  }
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/** Up to `max` names, comma separated, with "and N more". */
export function listNames(names: readonly string[], max = 12): string {
  if (names.length === 0) return '(none)';
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}
