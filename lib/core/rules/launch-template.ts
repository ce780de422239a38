/**
 * Launch template rules (`BATCH-LT-…`): how a compute environment names its launch template, and
 * what Batch needs from the template itself (MIME multipart user data).
 * @see https://docs.aws.amazon.com/batch/latest/userguide/launch-templates.html
 * @see https://docs.aws.amazon.com/batch/latest/APIReference/API_LaunchTemplateSpecification.html
 */
import type { BatchModel, LaunchTemplateModel } from '../model/batch-model';
import type { LaunchTemplateSpecification, LoadedComputeEnvironment } from '../model/compute-environment';
import { isUnresolved } from '../model/unresolved';
import { decodeUserData, parseMultipart } from '../user-data/mime';
import { environmentRule } from './compute-environment';
import { finding, type Finding, type ResourceRef } from './finding';
import { whenKnown, type Rule, type RuleContext } from './rule';

/** AWS's own words when a compute environment's launch template user data is not multipart. */
export const NOT_MIME_MESSAGE = 'Launch Template UserData is not MIME multipart format';

/** `$Default`, `$Latest` or a version number. */
export const LAUNCH_TEMPLATE_VERSION_PATTERN = /^(\$Default|\$Latest|[1-9][0-9]*)$/;

/** The launch template of the model a specification points at (by id or by name), if any. */
export function launchTemplateOf(
  model: BatchModel,
  spec: LaunchTemplateSpecification,
): LaunchTemplateModel | undefined {
  if (spec.launchTemplateId !== undefined && !isUnresolved(spec.launchTemplateId)) {
    return model.launchTemplates.find((lt) => lt.launchTemplateId === spec.launchTemplateId);
  }
  if (spec.launchTemplateName !== undefined && !isUnresolved(spec.launchTemplateName)) {
    return model.launchTemplates.find((lt) => lt.launchTemplateName === spec.launchTemplateName);
  }
  return undefined;
}

function launchTemplateRef(lt: LaunchTemplateModel): ResourceRef {
  return { kind: 'LaunchTemplate', name: lt.launchTemplateName ?? lt.launchTemplateId, source: lt.source };
}

const idOrNameRule = environmentRule(
  'BATCH-LT-001',
  'error',
  'computeResources.launchTemplate sets exactly one of launchTemplateId and launchTemplateName.',
  ({ ce, report }) => {
    const lt = ce.computeResources?.launchTemplate;
    if (!lt) return [];
    const both = lt.launchTemplateId !== undefined && lt.launchTemplateName !== undefined;
    const neither = lt.launchTemplateId === undefined && lt.launchTemplateName === undefined;
    if (!both && !neither) return [];
    return [
      report({
        field: 'computeResources.launchTemplate',
        problem: both
          ? 'the launch template is given both by id and by name.'
          : 'the launch template has neither an id nor a name.',
        value: lt,
        allowed: 'exactly one of launchTemplateId, launchTemplateName',
        fix: both
          ? 'keep launchTemplateId and remove launchTemplateName (or the reverse).'
          : 'set launchTemplateId or launchTemplateName.',
      }),
    ];
  },
);

const versionRule = environmentRule(
  'BATCH-LT-002',
  'error',
  'computeResources.launchTemplate.version is $Default, $Latest or a version number.',
  ({ ce, report, known }) => {
    const spec = ce.computeResources?.launchTemplate;
    if (!spec || spec.version === undefined) return [];
    return known('computeResources.launchTemplate.version', spec.version, (v) =>
      LAUNCH_TEMPLATE_VERSION_PATTERN.test(v)
        ? []
        : [
            report({
              field: 'computeResources.launchTemplate.version',
              problem: 'the launch template version is not valid.',
              value: v,
              allowed: '$Default, $Latest or a version number (1, 2, ...)',
              fix: 'use $Default, $Latest or the version number.',
            }),
          ],
    );
  },
);

/** Compute environments of the model that use a launch template, with it. */
function usersOf(
  model: BatchModel,
): Array<{ ce: LoadedComputeEnvironment; spec: LaunchTemplateSpecification; lt: LaunchTemplateModel }> {
  return model.computeEnvironments.flatMap((ce) => {
    const spec = ce.computeResources?.launchTemplate;
    const lt = spec ? launchTemplateOf(model, spec) : undefined;
    return spec && lt ? [{ ce, spec, lt }] : [];
  });
}

const versionExistsRule: Rule = {
  code: 'BATCH-LT-003',
  severity: 'error',
  description: 'A numbered launchTemplate.version exists in the launch template declared in the application.',
  check(model: BatchModel, ctx: RuleContext): Finding[] {
    return usersOf(model).flatMap(({ ce, spec, lt }) => {
      const v = spec.version;
      if (v === undefined || isUnresolved(v) || !/^[1-9][0-9]*$/.test(v) || Number(v) <= lt.latestVersionNumber)
        return [];
      return [
        finding({
          code: ctx.code,
          severity: ctx.severity,
          resource: { kind: 'ComputeEnvironment', name: ce.computeEnvironmentName, source: ce.source },
          field: 'computeResources.launchTemplate.version',
          problem:
            `launch template "${lt.launchTemplateName ?? lt.launchTemplateId}" has ` +
            `no version ${v}; its latest version is ${lt.latestVersionNumber}.`,
          value: v,
          allowed: `1-${lt.latestVersionNumber}, $Default, $Latest`,
          fix: "use the template's LatestVersionNumber attribute rather than a fixed number.",
        }),
      ];
    });
  },
};

const mimeRule: Rule = {
  code: 'BATCH-LT-004',
  severity: 'error',
  description:
    `Launch templates used by compute environments have MIME multipart user ` + `data (else "${NOT_MIME_MESSAGE}").`,
  check(model: BatchModel, ctx: RuleContext): Finding[] {
    const byTemplate = new Map<LaunchTemplateModel, string[]>();
    for (const { ce, lt } of usersOf(model))
      byTemplate.set(lt, [...(byTemplate.get(lt) ?? []), ce.computeEnvironmentName]);
    const out: Finding[] = [];
    for (const [lt, ces] of byTemplate) {
      if (lt.userData === undefined) continue;
      const ref = launchTemplateRef(lt);
      out.push(
        ...whenKnown(ctx, ref, 'LaunchTemplateData.UserData', lt.userData, (b64) => {
          const parsed = parseMultipart(decodeUserData(b64));
          if (parsed.ok) return [];
          return [
            finding({
              code: ctx.code,
              severity: ctx.severity,
              resource: ref,
              field: 'LaunchTemplateData.UserData',
              problem:
                `${NOT_MIME_MESSAGE}: ${parsed.reason}. Batch merges this user data ` +
                `with its own, so compute environment(s) ` +
                `${ces.map((n) => `"${n}"`).join(', ')} would become INVALID.`,
              allowed:
                'a multipart/mixed document: MIME-Version and Content-Type: ' +
                'multipart/mixed; boundary="..." headers, parts opened by --boundary, closed by --boundary--',
              fix:
                'wrap the script as a MIME multipart document (batchkit: toMultipart() ' +
                'from lib/core/user-data, or aws-cdk-lib ec2.MultipartUserData).',
            }),
          ];
        }),
      );
    }
    return out;
  },
};

const pinnedVersionRule: Rule = {
  code: 'BATCH-LT-005',
  severity: 'warning',
  description:
    'A compute environment using a launch template of the application with ' +
    '$Default/$Latest (or no version) will not see later template changes.',
  check(model: BatchModel, ctx: RuleContext): Finding[] {
    return usersOf(model).flatMap(({ ce, spec, lt }) => {
      if (spec.version !== undefined && (isUnresolved(spec.version) || /^[1-9][0-9]*$/.test(spec.version))) return [];
      return [
        finding({
          code: ctx.code,
          severity: ctx.severity,
          resource: { kind: 'ComputeEnvironment', name: ce.computeEnvironmentName, source: ce.source },
          field: 'computeResources.launchTemplate.version',
          problem:
            `uses launch template "${lt.launchTemplateName ?? lt.launchTemplateId}" ` +
            `at ${spec.version ?? '$Default (no version given)'}; ` +
            'Batch resolves the version once, when the environment is created, so ' +
            'later changes to the template never reach its instances.',
          value: spec.version,
          allowed: 'a version number',
          fix:
            "set version to the template's LatestVersionNumber, and replace the " +
            'compute environment when the template changes.',
        }),
      ];
    });
  },
};

/** Launch template rules. */
export const LAUNCH_TEMPLATE_RULES: readonly Rule[] = [
  idOrNameRule,
  versionRule,
  versionExistsRule,
  mimeRule,
  pinnedVersionRule,
];
