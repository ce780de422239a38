/**
 * Names, character sets and small value checks shared by the rules.
 *
 * Sources: AWS Batch User Guide "Job definition parameters" (name, image, volumes, environment)
 * and the Batch API reference (`RegisterJobDefinition`, `SubmitJob`, `ContainerProperties`).
 */

/** `jobDefinitionName`, `jobQueueName`, `computeEnvironmentName`: up to 128 letters, digits, `-`, `_`. */
export const RESOURCE_NAME_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;
/** Allowed values of a resource name, for messages. */
export const RESOURCE_NAME_ALLOWED = '1-128 characters of letters, digits, hyphens (-) and underscores (_)';

/** SubmitJob `jobName`: up to 128 characters, first a letter or digit, then letters, digits, `-`, `_`. */
export const JOB_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
/** Allowed values of a job name, for messages. */
export const JOB_NAME_ALLOWED =
  '1-128 characters; the first a letter or digit, the rest letters, digits, hyphens (-) and underscores (_)';

/**
 * `image`: up to 255 letters, digits, `-`, `_`, `:`, `.`, `/` and `#` (User Guide). `@` is accepted
 * too, because the API reference documents `repository-url/image@digest` references.
 */
export const IMAGE_PATTERN = /^[A-Za-z0-9_\-:./#@]{1,255}$/;
/** Allowed values of an image, for messages. */
export const IMAGE_ALLOWED =
  '1-255 characters of letters, digits, hyphens, underscores, colons, ' +
  'periods, forward slashes, number signs and @ (digests)';

/** `volumes[].name`: up to 255 letters, digits, `-`, `_`. */
export const VOLUME_NAME_PATTERN = /^[A-Za-z0-9_-]{1,255}$/;
/** Allowed values of a volume name, for messages. */
export const VOLUME_NAME_ALLOWED = '1-255 characters of letters, digits, hyphens (-) and underscores (_)';

/** Prefix reserved for variables Batch sets itself (`AWS_BATCH_JOB_ID`, ...). */
export const RESERVED_ENV_PREFIX = 'AWS_BATCH';

/** True when an environment variable name uses the prefix Batch reserves for itself. */
export function isReservedEnvName(name: string): boolean {
  return name.startsWith(RESERVED_ENV_PREFIX);
}

/** What an environment variable name may be, as messages say it. */
export const ENV_NAME_ALLOWED = 'a non-empty name without "=" (the container receives NAME=value)';

/** Whether `name` can be an environment variable name: not empty, no `=`. */
export function isValidEnvName(name: string): boolean {
  return name !== '' && !name.includes('=');
}

/** `Ref::name` placeholders: `Ref::` followed by the parameter name. */
const REF_PLACEHOLDER = /Ref::([A-Za-z0-9_-]+)/g;

/**
 * Names of the `Ref::name` placeholders in a command, in order of first appearance, without
 * duplicates. Batch replaces placeholders wherever they occur in an argument.
 */
export function refPlaceholders(command: readonly string[] | undefined): string[] {
  const names: string[] = [];
  for (const arg of command ?? []) {
    if (typeof arg !== 'string') continue;
    for (const m of arg.matchAll(REF_PLACEHOLDER)) {
      if (!names.includes(m[1])) names.push(m[1]);
    }
  }
  return names;
}

/** True for a finite integer. */
export function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

/** Size in bytes of a value serialized as JSON (UTF-8), the way the API measures a request. */
export function jsonByteLength(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

/**
 * Parses a decimal number the way Batch reads `resourceRequirements[].value`: digits with an
 * optional fraction, nothing else. Undefined when the string is not such a number.
 */
export function parseDecimal(value: string): number | undefined {
  if (!/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return Number(value);
}
