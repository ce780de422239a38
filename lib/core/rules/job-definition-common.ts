/**
 * Helpers shared by the job definition rules: iterating definitions and containers, and building
 * findings about them.
 */
import type { ContainerProperties, LoadedJobDefinition } from '../model/job-definition';
import { definitionContainers } from '../model/resources';
import type { Finding, FindingInput, ResourceRef, Severity } from './finding';
import { perItemRule, type Rule, type RuleContext } from './rule';

/** The resource reference of a job definition, for findings. */
export function jobDefinitionRef(jd: LoadedJobDefinition): ResourceRef {
  return { kind: 'JobDefinition', name: jd.jobDefinitionName ?? '(unnamed)', source: jd.source };
}

/** What a per-definition check receives. */
export interface DefinitionCheck {
  /** The definition. */
  readonly jd: LoadedJobDefinition;
  /** Its reference for findings. */
  readonly ref: ResourceRef;
  /** Code and severity of the running rule. */
  readonly ctx: RuleContext;
  /** Builds a finding of the running rule about this definition. */
  report(input: Omit<FindingInput, 'code' | 'severity' | 'resource'> & { severity?: Severity }): Finding;
}

const perDefinition = perItemRule((m) => m.jobDefinitions, jobDefinitionRef);

/** A rule that checks each job definition on its own. */
export function definitionRule(
  code: string,
  severity: Severity,
  description: string,
  check: (c: DefinitionCheck) => Finding[],
): Rule {
  return perDefinition(code, severity, description, (c) => check({ ...c, jd: c.item }));
}

/** A container of a definition with the API path of its fields. */
export interface ContainerAt {
  /** The container. */
  readonly container: ContainerProperties;
  /** API path (`containerProperties`, `nodeProperties.nodeRangeProperties[1].container`). */
  readonly path: string;
}

/** Every container a definition declares (one, or one per node range). */
export function containersOf(jd: LoadedJobDefinition): ContainerAt[] {
  return definitionContainers(jd).map((c) => ({ container: c.container, path: c.path }));
}

/** A rule that checks each container of each job definition. */
export function containerRule(
  code: string,
  severity: Severity,
  description: string,
  check: (c: DefinitionCheck, container: ContainerAt) => Finding[],
): Rule {
  return definitionRule(code, severity, description, (c) => containersOf(c.jd).flatMap((at) => check(c, at)));
}

/** True when a value is a plain object. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
