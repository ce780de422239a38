/**
 * batchkit's nag rule pack as a CDK aspect over L1 resources, so it checks any stack: built with
 * batchkit's constructs, with `aws-cdk-lib/aws-batch`, or with L1s alone.
 */
import { Annotations, CfnResource, Stack, Validations, type IAspect } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import type { NagHit } from '../../core/rules/nag-codes';
import { nagPolicyStatements } from '../../core/rules/nag-iam-policy';
import { nagJobDefinition, type NagJobDefinition } from '../../core/rules/nag-job-definition';
import { nagLaunchTemplate } from '../../core/rules/nag-launch-template';
import {
  launchTemplateSecurityOf,
  pick,
  policyStatementsOf,
  referencedLaunchTemplateIds,
} from '../../core/rules/nag-read';
import { type BatchkitNagRule, nagRuleInfo } from './nag-rule';

/** Props of {@link BatchkitNagChecks}. */
export interface BatchkitNagChecksProps {
  /**
   * Report warnings (BATCHKIT-NAG-004 to -006) as well as errors.
   * @default true
   */
  readonly warnings?: boolean;
  /**
   * Check every launch template, not only those a Batch compute environment of the same stack
   * refers to.
   * @default false
   */
  readonly allLaunchTemplates?: boolean;
}

/**
 * Applies batchkit's nag rule pack ({@link BatchkitNagRule}) to every L1 resource in a scope.
 * Errors are added with `Annotations.addError` (synthesis fails), warnings with
 * `Annotations.addWarningV2`; each message starts with its code. A finding is not reported when
 * the code is acknowledged on the resource or one of its scopes:
 * `Validations.of(scope).acknowledge({ id: 'BATCHKIT-NAG-004', reason: '...' })`.
 *
 * @example
 * Aspects.of(app).add(new BatchkitNagChecks(), { priority: AspectPriority.READONLY });
 */
export class BatchkitNagChecks implements IAspect {
  private readonly warnings: boolean;
  private readonly allLaunchTemplates: boolean;
  private readonly batchTemplates = new WeakMap<Stack, Set<string>>();

  constructor(props: BatchkitNagChecksProps = {}) {
    this.warnings = props.warnings ?? true;
    this.allLaunchTemplates = props.allLaunchTemplates ?? false;
  }

  /** Checks one construct (called by the aspect machinery). */
  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node)) return;
    for (const hit of this.check(node)) this.report(node, hit);
  }

  /** The hits of one L1 resource, from the core's checks (the ones `batchkit validate` runs). */
  private check(node: CfnResource): NagHit[] {
    const stack = Stack.of(node);
    if (node instanceof ec2.CfnLaunchTemplate) {
      if (!this.allLaunchTemplates && !this.batchTemplateIds(stack).has(stack.resolve(node.logicalId))) return [];
      return nagLaunchTemplate(launchTemplateSecurityOf(stack.resolve(node.launchTemplateData)));
    }
    if (node instanceof batch.CfnJobDefinition) {
      // Resolved L1 props are in the Batch API's camelCase shape; values left unknown stay intrinsic objects.
      const jd: NagJobDefinition = {
        containerProperties: stack.resolve(node.containerProperties),
        nodeProperties: stack.resolve(node.nodeProperties),
        ecsProperties: stack.resolve(node.ecsProperties),
        eksProperties: stack.resolve(node.eksProperties),
      };
      return nagJobDefinition(jd).map((hit) => ({ ...hit, field: cloudFormationPath(hit.field) }));
    }
    if (node instanceof iam.CfnPolicy || node instanceof iam.CfnManagedPolicy) {
      return nagPolicyStatements(policyStatementsOf(stack.resolve(node.policyDocument)), 'PolicyDocument');
    }
    if (node instanceof iam.CfnRole) {
      const policies: unknown = stack.resolve(node.policies);
      if (!Array.isArray(policies)) return [];
      return policies.flatMap((p: unknown, i) =>
        nagPolicyStatements(policyStatementsOf(pick(p, 'policyDocument')), `Policies[${i}].PolicyDocument`),
      );
    }
    return [];
  }

  /** Logical ids of the launch templates the stack's Batch compute environments refer to. */
  private batchTemplateIds(stack: Stack): Set<string> {
    const known = this.batchTemplates.get(stack);
    if (known) return known;
    const found = new Set<string>();
    for (const c of stack.node.findAll()) {
      if (c instanceof batch.CfnComputeEnvironment && Stack.of(c) === stack) {
        for (const id of referencedLaunchTemplateIds(stack.resolve(c.computeResources))) found.add(id);
      }
    }
    this.batchTemplates.set(stack, found);
    return found;
  }

  private report(node: CfnResource, hit: NagHit): void {
    const info = nagRuleInfo(hit.rule);
    if (info.severity === 'warning' && !this.warnings) return;
    if (isAcknowledged(node, hit.rule)) return;
    const message = nagMessage(node, hit);
    if (info.severity === 'error') Annotations.of(node).addError(message);
    else Annotations.of(node).addWarningV2(hit.rule, message);
  }
}

/** An API path as a CloudFormation property path: `containerProperties.env[0]` → `ContainerProperties.Env[0]`. */
function cloudFormationPath(apiPath: string): string {
  return apiPath.replace(/(^|\.)([a-z])/g, (_m, dot: string, c: string) => `${dot}${c.toUpperCase()}`);
}

/** `[CODE] AWS::Type LogicalId Field: problem (value: v). Fix: ... Acknowledge: ...` */
function nagMessage(node: CfnResource, hit: NagHit): string {
  const logicalId = Stack.of(node).resolve(node.logicalId) as string;
  return [
    `[${hit.rule}] ${node.cfnResourceType} ${logicalId} ${hit.field}: ${hit.problem}`,
    hit.value !== undefined ? `Value: ${hit.value}.` : '',
    `Fix: ${hit.fix}`,
    'If this is intended, acknowledge it on the construct: ' +
      `Validations.of(construct).acknowledge({ id: '${hit.rule}', reason: '<why>' }).`,
  ]
    .filter(Boolean)
    .join(' ');
}

/**
 * True when `rule` is acknowledged through `Validations.of(scope).acknowledge()` on the
 * construct or one of its scopes (the same metadata cdk-nag 3 reads).
 */
export function isAcknowledged(construct: IConstruct, rule: BatchkitNagRule): boolean {
  for (let c: IConstruct | undefined = construct; c; c = c.node.scope) {
    for (const entry of c.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || typeof entry.data !== 'object' || !entry.data)
        continue;
      const ids = Object.keys(entry.data as object).map((k) => k.replace(/^annotation::/i, ''));
      if (ids.includes(rule)) return true;
    }
  }
  return false;
}
