/**
 * Findings: what a rule says about a resource.
 */
import type { SourceLocation } from '../model/common';
import { displayUnresolved, displayValue } from '../model/unresolved';

/** How bad a finding is. `info` notes a check that was skipped for an unresolved value. */
export type Severity = 'error' | 'warning' | 'info';

/** The kinds of resource rules speak about. */
export type ResourceKind =
  | 'JobDefinition'
  | 'JobQueue'
  | 'ComputeEnvironment'
  | 'SchedulingPolicy'
  | 'LaunchTemplate'
  | 'IamPolicy'
  | 'IamRole'
  | 'SubmitJob';

/** The resource a finding is about. */
export interface ResourceRef {
  /** Kind. */
  readonly kind: ResourceKind;
  /** Batch name (job definition name, queue name, ...). */
  readonly name: string;
  /** Where it came from (logical id, construct path, file). */
  readonly source?: SourceLocation;
}

/**
 * One item of a finding's nested explanation: a queue and, under it, why each of its compute
 * environments cannot run a job. Human output lays it out indented; `--json` keeps the structure.
 */
export interface FindingDetail {
  /** The item's text: a heading (`queue "gpu-q"`) or a sentence. */
  readonly text: string;
  /** Items under it. */
  readonly children?: readonly FindingDetail[];
}

/** A finding. */
export interface Finding {
  /** Stable code, e.g. `BATCH-JD-004`. */
  readonly code: string;
  /** error, warning or info. */
  readonly severity: Severity;
  /** The resource. */
  readonly resource: ResourceRef;
  /** The field, as an API path (`containerProperties.memory`). */
  readonly field?: string;
  /** The full message: names resource, field, bad value, allowed values and fix. */
  readonly message: string;
  /** The bad value. */
  readonly value?: unknown;
  /** The allowed values or range. */
  readonly allowed?: string;
  /** How to fix it. */
  readonly fix?: string;
  /** The nested explanation, when the finding has one (also part of {@link message}, flattened). */
  readonly details?: readonly FindingDetail[];
  /** The message without the details, the bad value, the allowed values and the fix; set with {@link details}. */
  readonly summary?: string;
}

/** Where a resource is, for messages: `JobDefinition "name" (Stack/LogicalId at path)`. */
export function describeResource(ref: ResourceRef): string {
  const where: string[] = [];
  if (ref.source?.stack || ref.source?.logicalId) {
    where.push([ref.source.stack, ref.source.logicalId].filter(Boolean).join('/'));
  }
  if (ref.source?.constructPath) where.push(`at ${ref.source.constructPath}`);
  return `${ref.kind} "${ref.name}"${where.length ? ` (${where.join(' ')})` : ''}`;
}

/** Fields to build a finding's message from. */
export interface FindingInput {
  /** Stable code. */
  code: string;
  /** Severity. */
  severity: Severity;
  /** Resource. */
  resource: ResourceRef;
  /** Field path. */
  field?: string;
  /** What is wrong, one sentence without the resource (it is prefixed). */
  problem: string;
  /** The bad value. */
  value?: unknown;
  /** Allowed values or range. */
  allowed?: string;
  /** The fix. */
  fix?: string;
  /** A nested explanation (per queue, per compute environment), flattened into the message after the problem. */
  details?: readonly FindingDetail[];
}

function readableDetails(details: readonly FindingDetail[]): FindingDetail[] {
  return details.map((d) => ({
    ...d,
    text: displayUnresolved(d.text),
    ...(d.children ? { children: readableDetails(d.children) } : {}),
  }));
}

/** A nested explanation as one run of text: `heading: item item. heading: ...`. */
export function flattenDetails(details: readonly FindingDetail[]): string {
  return details.map((d) => (d.children?.length ? `${d.text}: ${flattenDetails(d.children)}` : d.text)).join(' ');
}

/** A nested explanation as indented lines (two spaces per level, starting at `indent`). */
export function renderDetails(details: readonly FindingDetail[], indent: string): string[] {
  return details.flatMap((d) => [`${indent}${d.text}`, ...renderDetails(d.children ?? [], `${indent}  `)]);
}

/** Builds a finding whose message names resource, field, value, allowed values and fix. */
export function finding(input: FindingInput): Finding {
  // Values known only at deployment are shown as `<parameter Namespace>`, never in their internal encoding.
  const resource = { ...input.resource, name: displayUnresolved(input.resource.name) };
  const value = input.value === undefined ? undefined : displayValue(input.value);
  const allowed = input.allowed === undefined ? undefined : displayUnresolved(input.allowed);
  const fix = input.fix === undefined ? undefined : displayUnresolved(input.fix);
  const summary =
    `${describeResource(resource)}${input.field ? ` ${input.field}` : ''}: ` + `${displayUnresolved(input.problem)}`;
  const details = input.details && input.details.length > 0 ? readableDetails(input.details) : undefined;
  const parts = [details ? `${summary} ${flattenDetails(details)}` : summary];
  if (value !== undefined) parts.push(`Got: ${formatValue(value)}.`);
  if (allowed) parts.push(`Allowed: ${allowed}.`);
  if (fix) parts.push(`Fix: ${fix}`);
  return {
    code: input.code,
    severity: input.severity,
    resource,
    field: input.field,
    message: parts.join(' '),
    value,
    allowed,
    fix,
    ...(details ? { details, summary } : {}),
  };
}

/** Short JSON rendering of a value for messages. */
export function formatValue(value: unknown): string {
  const s = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return s.length > 200 ? `${s.slice(0, 197)}...` : s;
}
