/**
 * The non-Batch resources rules need: EC2 launch templates, IAM roles and instance profiles.
 */
import type { IamPolicyModel, InstanceProfileModel, LaunchTemplateModel, RoleModel } from '../model/batch-model';
import type { Tags } from '../model/common';
import { isJsonObject, objectProp, stringProp, type Json } from './json';
import { instanceProfileArn, instanceProfileName, refValue, roleArn, roleName } from './physical-ids';
import type { StackContext } from './stack-context';
import { launchTemplateSecurityOf, policyStatementsOf } from '../rules/nag-read';

function strings(v: Json | undefined): string[] {
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.filter((x): x is string => typeof x === 'string');
}

/** `AWS::EC2::LaunchTemplate` → {@link LaunchTemplateModel}. */
export function launchTemplateFrom(ctx: StackContext, logicalId: string): LaunchTemplateModel {
  const props = ctx.properties(logicalId);
  const data = objectProp(props, 'LaunchTemplateData') ?? {};
  const tags: Tags = {};
  const specs = Array.isArray(props.TagSpecifications) ? props.TagSpecifications.filter(isJsonObject) : [];
  for (const spec of specs) {
    if (spec.ResourceType !== 'launch-template' || !Array.isArray(spec.Tags)) continue;
    for (const t of spec.Tags.filter(isJsonObject)) {
      if (typeof t.Key === 'string') tags[t.Key] = String(t.Value ?? '');
    }
  }
  const name = stringProp(props, 'LaunchTemplateName');
  const userData = stringProp(data, 'UserData');
  return {
    ...(name !== undefined ? { launchTemplateName: name } : {}),
    launchTemplateId: refValue(ctx, 'AWS::EC2::LaunchTemplate', logicalId),
    latestVersionNumber: 1,
    ...(userData !== undefined ? { userData } : {}),
    ...launchTemplateSecurityOf(data),
    ...(Object.keys(tags).length > 0 ? { tags } : {}),
    source: ctx.source(logicalId),
  };
}

/** `AWS::IAM::Role` → {@link RoleModel}: trusted services from the trust policy's `Allow` statements. */
export function roleFrom(ctx: StackContext, logicalId: string): RoleModel {
  const props = ctx.properties(logicalId);
  const doc = objectProp(props, 'AssumeRolePolicyDocument');
  const statements = Array.isArray(doc?.Statement) ? doc.Statement : doc?.Statement ? [doc.Statement] : [];
  const trusted = new Set<string>();
  for (const s of statements.filter(isJsonObject)) {
    if (s.Effect !== 'Allow') continue;
    for (const service of strings(objectProp(s, 'Principal')?.Service)) trusted.add(service);
  }
  return {
    arn: roleArn(ctx, logicalId),
    roleName: roleName(ctx, logicalId),
    trustedServices: [...trusted],
    managedPolicyArns: strings(props.ManagedPolicyArns),
    source: ctx.source(logicalId),
  };
}

/** `AWS::IAM::InstanceProfile` → {@link InstanceProfileModel}. */
export function instanceProfileFrom(ctx: StackContext, logicalId: string): InstanceProfileModel {
  const props = ctx.properties(logicalId);
  return {
    arn: instanceProfileArn(ctx, logicalId),
    instanceProfileName: instanceProfileName(ctx, logicalId),
    roles: strings(props.Roles),
    source: ctx.source(logicalId),
  };
}

/**
 * The policy documents of an `AWS::IAM::Policy` or `AWS::IAM::ManagedPolicy` (`PolicyDocument`), or of an
 * `AWS::IAM::Role`'s inline `Policies[i].PolicyDocument`.
 */
export function policiesFrom(
  ctx: StackContext,
  logicalId: string,
  type: IamPolicyModel['resourceType'],
): IamPolicyModel[] {
  const props = ctx.properties(logicalId);
  const source = ctx.source(logicalId);
  if (type === 'AWS::IAM::Role') {
    const name = stringProp(props, 'RoleName') ?? logicalId;
    const inline = Array.isArray(props.Policies) ? props.Policies : [];
    return inline.flatMap((p, i) =>
      isJsonObject(p) && isJsonObject(p.PolicyDocument)
        ? [
            {
              resourceType: type,
              name,
              field: `Policies[${i}].PolicyDocument`,
              statements: policyStatementsOf(p.PolicyDocument),
              source,
            },
          ]
        : [],
    );
  }
  const name = stringProp(props, type === 'AWS::IAM::Policy' ? 'PolicyName' : 'ManagedPolicyName') ?? logicalId;
  const statements = policyStatementsOf(props.PolicyDocument);
  return [{ resourceType: type, name, field: 'PolicyDocument', statements, source }];
}
