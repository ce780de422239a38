/**
 * Test harness: runs cdk-nag's AwsSolutions pack (cdk-nag 3, a policy validation plugin) and
 * batchkit's own pack over a synthesized scope, and lists what is left after acknowledgements.
 */
import { AspectPriority, Aspects, Stage, type Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { BatchkitNagChecks } from '../../../lib/constructs';

/** One unacknowledged violation: `AwsSolutions-IAM5[Resource::*] at Stack/Role/Resource`. */
export type Violation = string;

/** Adds batchkit's rule pack to a scope, before synthesis. */
export function addBatchkitNag(scope: IConstruct): void {
  Aspects.of(scope).add(new BatchkitNagChecks(), { priority: AspectPriority.READONLY });
}

/**
 * AwsSolutions violations of the given severity left after `Validations.of().acknowledge()`.
 * Synthesizes first, so every aspect has run and lazy values are final.
 */
export function awsSolutionsViolations(stack: Stack, severity: 'error' | 'warning' = 'error'): Violation[] {
  Stage.of(stack)?.synth();
  const report = new AwsSolutionsChecks().validateScope(stack);
  return report.violations
    .filter((v) => v.severity === severity)
    .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`))
    .sort();
}

/** batchkit nag errors of a stack (its annotations). */
export function batchkitNagErrors(stack: Stack): string[] {
  return Annotations.fromStack(stack)
    .findError('*', Match.stringLikeRegexp('BATCHKIT-NAG'))
    .map((m) => `${m.id}: ${String(m.entry.data)}`);
}
