import { emptyBatchModel, type LaunchTemplateModel } from '../../../lib/core/model/batch-model';
import type {
  LaunchTemplateSpecification,
  LoadedComputeEnvironment,
} from '../../../lib/core/model/compute-environment';
import { unresolvedString } from '../../../lib/core/model/unresolved';
import type { Finding } from '../../../lib/core/rules/finding';
import { LAUNCH_TEMPLATE_RULES, NOT_MIME_MESSAGE, launchTemplateOf } from '../../../lib/core/rules/launch-template';
import { runRules } from '../../../lib/core/rules/rule';
import { buildMultipart } from '../../../lib/core/user-data/mime';

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const MIME = b64(
  buildMultipart([
    {
      contentType: 'text/x-shellscript',
      content: '#!/bin/bash\necho ECS_IMAGE_CLEANUP_INTERVAL=60m >> /etc/ecs/ecs.config',
    },
  ]),
);
const PLAIN = b64('#!/bin/bash\nyum install -y amazon-efs-utils\n');

function ce(name: string, launchTemplate?: LaunchTemplateSpecification): LoadedComputeEnvironment {
  return {
    computeEnvironmentName: name,
    type: 'MANAGED',
    computeResources: {
      type: 'EC2',
      maxvCpus: 16,
      instanceTypes: ['m5'],
      subnets: ['s'],
      instanceRole: 'r',
      launchTemplate,
    },
    source: { stack: 'S', logicalId: name },
  };
}

function lt(extra: Partial<LaunchTemplateModel> = {}): LaunchTemplateModel {
  return {
    launchTemplateId: 'lt-0abc',
    launchTemplateName: 'batch-lt',
    latestVersionNumber: 1,
    userData: MIME,
    source: { stack: 'S', logicalId: 'Lt' },
    ...extra,
  };
}

function run(ces: LoadedComputeEnvironment[], templates: LaunchTemplateModel[] = [lt()]): Finding[] {
  const model = emptyBatchModel();
  model.computeEnvironments.push(...ces);
  model.launchTemplates.push(...templates);
  return runRules(LAUNCH_TEMPLATE_RULES, model);
}

function only(findings: Finding[], code: string): Finding {
  const hits = findings.filter((f) => f.code === code);
  expect(hits).toHaveLength(1);
  return hits[0];
}

describe('launch template rules', () => {
  test('compliant: MIME user data, pinned version, by id or by name', () => {
    expect(
      run([
        ce('a', { launchTemplateId: 'lt-0abc', version: '1' }),
        ce('b', { launchTemplateName: 'batch-lt', version: '1' }),
      ]),
    ).toEqual([]);
    expect(run([ce('plain')])).toEqual([]);
  });

  test('BATCH-LT-001 exactly one of id and name', () => {
    const both = only(
      run([ce('a', { launchTemplateId: 'lt-0abc', launchTemplateName: 'batch-lt', version: '1' })]),
      'BATCH-LT-001',
    );
    expect(both.message).toMatch(/both by id and by name.*exactly one of launchTemplateId, launchTemplateName/);
    expect(only(run([ce('a', { version: '1' })]), 'BATCH-LT-001').message).toMatch(/neither an id nor a name/);
  });

  test('BATCH-LT-002 version syntax', () => {
    const f = only(run([ce('a', { launchTemplateId: 'lt-0abc', version: 'latest' })]), 'BATCH-LT-002');
    expect(f.message).toMatch(/"latest".*\$Default, \$Latest or a version number/);
    expect(run([ce('a', { launchTemplateId: 'lt-other', version: '$Latest' })])).toEqual([]);
    expect(codes(run([ce('a', { launchTemplateId: 'lt-0abc', version: '0' })]))).toContain('BATCH-LT-002');
  });

  test('BATCH-LT-003 a numbered version beyond the latest', () => {
    const f = only(run([ce('a', { launchTemplateName: 'batch-lt', version: '3' })]), 'BATCH-LT-003');
    expect(f.message).toMatch(/launch template "batch-lt" has no version 3; its latest version is 1/);
  });

  test('BATCH-LT-004 plain user data: AWS text and the parse reason, naming the environments', () => {
    const f = run(
      [
        ce('a', { launchTemplateId: 'lt-0abc', version: '1' }),
        ce('b', { launchTemplateName: 'batch-lt', version: '1' }),
      ],
      [lt({ userData: PLAIN })],
    );
    const hit = only(f, 'BATCH-LT-004');
    expect(hit.severity).toBe('error');
    expect(hit.resource).toMatchObject({ kind: 'LaunchTemplate', name: 'batch-lt' });
    expect(hit.message).toContain(NOT_MIME_MESSAGE);
    expect(hit.message).toMatch(/no MIME header block|no Content-Type header/);
    expect(hit.message).toMatch(/"a", "b" would become INVALID/);
    expect(hit.fix).toMatch(/toMultipart/);
  });

  test('BATCH-LT-004 multipart without its closing boundary', () => {
    const broken = b64(
      'MIME-Version: 1.0\nContent-Type: multipart/mixed; ' +
        'boundary="==B=="\n\n--==B==\nContent-Type: text/x-shellscript\n\necho hi\n',
    );
    const hit = only(
      run([ce('a', { launchTemplateId: 'lt-0abc', version: '1' })], [lt({ userData: broken })]),
      'BATCH-LT-004',
    );
    expect(hit.message).toMatch(/no closing boundary line "--==B==--"/);
  });

  test('BATCH-LT-004 ignores templates no compute environment uses, and skips unresolved user data', () => {
    expect(run([ce('a')], [lt({ userData: PLAIN })])).toEqual([]);
    const f = run(
      [ce('a', { launchTemplateId: 'lt-0abc', version: '1' })],
      [lt({ userData: unresolvedString('Fn::Base64 Fn::Sub') })],
    );
    expect(f.map((x) => [x.code, x.severity, x.field])).toEqual([
      ['BATCH-UNRESOLVED', 'info', 'LaunchTemplateData.UserData'],
    ]);
    expect(f[0].message).toMatch(/rule BATCH-LT-004 skipped/);
  });

  test('BATCH-LT-005 $Default/$Latest or no version on a template of the application', () => {
    const f = only(run([ce('a', { launchTemplateId: 'lt-0abc' })]), 'BATCH-LT-005');
    expect(f.severity).toBe('warning');
    expect(f.message).toMatch(
      new RegExp(
        String.raw`at \$Default \(no version given\).*later changes to the temp` +
          String.raw`late never reach its instances`,
      ),
    );
    expect(codes(run([ce('a', { launchTemplateName: 'batch-lt', version: '$Latest' })]))).toEqual(['BATCH-LT-005']);
    expect(run([ce('a', { launchTemplateName: 'not-ours', version: '$Latest' })])).toEqual([]);
  });

  test('launchTemplateOf matches by id or by name', () => {
    const model = emptyBatchModel();
    model.launchTemplates.push(lt());
    expect(launchTemplateOf(model, { launchTemplateId: 'lt-0abc' })?.launchTemplateName).toBe('batch-lt');
    expect(launchTemplateOf(model, { launchTemplateName: 'batch-lt' })?.launchTemplateId).toBe('lt-0abc');
    expect(launchTemplateOf(model, { launchTemplateName: 'other' })).toBeUndefined();
  });
});

function codes(findings: Finding[]): string[] {
  return findings.map((f) => f.code);
}
