/**
 * batchkit's nag rule pack as rules over the model, run by `batchkit validate` beside {@link ALL_RULES}.
 * They are not part of ALL_RULES: constructs, the local executor and the provisioner do not run them
 * (the CDK aspect `BatchkitNagChecks` applies the same checks, acknowledgeable, to any stack).
 */
import type { BatchModel, IamPolicyModel, LaunchTemplateModel } from '../model/batch-model';
import { isUnresolved } from '../model/unresolved';
import { finding, type Finding, type ResourceRef } from './finding';
import { launchTemplateOf } from './launch-template';
import { BATCHKIT_NAG_RULES, type BatchkitNagRule, type NagHit } from './nag-codes';
import { nagPolicyStatements } from './nag-iam-policy';
import { nagJobDefinition } from './nag-job-definition';
import { nagLaunchTemplate } from './nag-launch-template';
import type { Rule, RuleContext } from './rule';

/** Launch templates of the model that a compute environment uses (directly or in an override), once each. */
export function batchLaunchTemplates(model: BatchModel): LaunchTemplateModel[] {
  const used = new Set<LaunchTemplateModel>();
  for (const ce of model.computeEnvironments) {
    const spec = ce.computeResources?.launchTemplate;
    if (!spec) continue;
    for (const s of [spec, ...(Array.isArray(spec.overrides) ? spec.overrides : [])]) {
      const lt = launchTemplateOf(model, s);
      if (lt) used.add(lt);
    }
  }
  return [...used];
}

function policyKind(p: IamPolicyModel): ResourceRef['kind'] {
  return p.resourceType === 'AWS::IAM::Role' ? 'IamRole' : 'IamPolicy';
}

/** Every nag hit of the model, with the resource it is about. */
function hitsOf(model: BatchModel): Array<{ resource: ResourceRef; hit: NagHit }> {
  const out: Array<{ resource: ResourceRef; hit: NagHit }> = [];
  for (const lt of batchLaunchTemplates(model)) {
    const resource: ResourceRef = {
      kind: 'LaunchTemplate',
      name: lt.launchTemplateName ?? lt.launchTemplateId,
      source: lt.source,
    };
    for (const hit of nagLaunchTemplate(lt)) out.push({ resource, hit });
  }
  for (const jd of model.jobDefinitions) {
    const resource: ResourceRef = { kind: 'JobDefinition', name: jd.jobDefinitionName, source: jd.source };
    for (const hit of nagJobDefinition(jd)) out.push({ resource, hit });
  }
  for (const p of model.policies) {
    const resource: ResourceRef = { kind: policyKind(p), name: p.name, source: p.source };
    for (const hit of nagPolicyStatements(p.statements, p.field)) out.push({ resource, hit });
  }
  return out;
}

/** A finding of one hit: the hit's problem, value and fix, and where to acknowledge it in a CDK app. */
function toFinding(ctx: RuleContext, resource: ResourceRef, hit: NagHit): Finding {
  return finding({
    code: ctx.code,
    severity: ctx.severity,
    resource,
    field: hit.field,
    problem: hit.problem,
    ...(hit.value !== undefined && !isUnresolved(hit.value) ? { value: hit.value } : {}),
    fix:
      `${hit.fix} If this is intended in a CDK app, acknowledge it on the construct: ` +
      `Validations.of(construct).acknowledge({ id: '${hit.rule}', reason: '<why>' }), ` +
      `or leave the code out with --exclude ${hit.rule}.`,
  });
}

function nagRule(code: BatchkitNagRule, severity: 'error' | 'warning', description: string): Rule {
  return {
    code,
    severity,
    description,
    check(model: BatchModel, ctx: RuleContext): Finding[] {
      return hitsOf(model)
        .filter(({ hit }) => hit.rule === code)
        .map(({ resource, hit }) => toFinding(ctx, resource, hit));
    },
  };
}

/** The nag rules, one per code of {@link BatchkitNagRule}, severities as in {@link BATCHKIT_NAG_RULES}. */
export const NAG_RULES: readonly Rule[] = BATCHKIT_NAG_RULES.map((r) => nagRule(r.code, r.severity, r.description));
