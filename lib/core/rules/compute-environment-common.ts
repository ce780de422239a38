/**
 * Helpers shared by the compute environment rules: the resource reference and a per-environment
 * rule builder.
 */
import type { BatchModel } from '../model/batch-model';
import type { LoadedComputeEnvironment } from '../model/compute-environment';
import type { Finding, FindingInput, ResourceRef, Severity } from './finding';
import { perItemRule, type Rule, type RuleContext } from './rule';

/** The resource reference of a compute environment, for findings. */
export function computeEnvironmentRef(ce: LoadedComputeEnvironment): ResourceRef {
  return { kind: 'ComputeEnvironment', name: ce.computeEnvironmentName ?? '(unnamed)', source: ce.source };
}

/** What a per-environment check receives. */
export interface EnvironmentCheck {
  /** The environment. */
  readonly ce: LoadedComputeEnvironment;
  /** The whole model (for checks that look at other resources of the template, such as its IAM roles). */
  readonly model: BatchModel;
  /** Its reference for findings. */
  readonly ref: ResourceRef;
  /** Code and severity of the running rule. */
  readonly ctx: RuleContext;
  /** Builds a finding of the running rule about this environment. */
  report(input: Omit<FindingInput, 'code' | 'severity' | 'resource'> & { severity?: Severity }): Finding;
  /** {@link whenKnown} for this rule and environment. */
  known<T>(field: string, value: T, check: (value: T) => Finding[]): Finding[];
}

const perEnvironment = perItemRule((m) => m.computeEnvironments, computeEnvironmentRef);

/** A rule that checks each compute environment on its own. */
export function environmentRule(
  code: string,
  severity: Severity,
  description: string,
  check: (c: EnvironmentCheck) => Finding[],
): Rule {
  return perEnvironment(code, severity, description, (c) => check({ ...c, ce: c.item }));
}
