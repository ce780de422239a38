/**
 * `batchkit validate` runs batchkit's nag rules (BATCHKIT-NAG-001..006) on any template: one small
 * template per rule, non-compliant and compliant, through the built CLI; and the CDK aspect
 * `BatchkitNagChecks` reports the same codes on the same resources (one implementation).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, AspectPriority, Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { BatchkitNagChecks } from '../../lib/constructs';
import { runCli } from '../_helpers/cli';

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

interface JsonReport {
  errors: number;
  warnings: number;
  findings: Array<{
    code: string;
    severity: string;
    field?: string;
    message: string;
    resource: { kind: string; name: string; source?: { logicalId?: string } };
  }>;
}

/** A managed EC2 compute environment that uses launch template `Lt` when `withLaunchTemplate`. */
function computeEnvironment(withLaunchTemplate: boolean): Resources {
  return {
    Ce: {
      Type: 'AWS::Batch::ComputeEnvironment',
      Properties: {
        Type: 'MANAGED',
        ComputeEnvironmentName: 'nag-ce',
        ComputeResources: {
          Type: 'EC2',
          MaxvCpus: 16,
          Subnets: ['subnet-0123456789abcdef0'],
          InstanceTypes: ['m5.large'],
          ...(withLaunchTemplate ? { LaunchTemplate: { LaunchTemplateId: { Ref: 'Lt' }, Version: '1' } } : {}),
        },
      },
    },
  };
}

function launchTemplate(data: Record<string, unknown>): Resources {
  return {
    ...computeEnvironment(true),
    Lt: { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateName: 'nag-lt', LaunchTemplateData: data } },
  };
}

function jobDefinition(props: Record<string, unknown>): Resources {
  return {
    Job: {
      Type: 'AWS::Batch::JobDefinition',
      Properties: { Type: 'container', JobDefinitionName: 'nag-job', ...props },
    },
  };
}

function policy(statement: Record<string, unknown>): Resources {
  return {
    Pol: {
      Type: 'AWS::IAM::Policy',
      Properties: {
        PolicyName: 'nag-policy',
        Roles: ['some-role'],
        PolicyDocument: { Version: '2012-10-17', Statement: [statement] },
      },
    },
  };
}

const REQUIRED = { MetadataOptions: { HttpTokens: 'required' } };

/** Per rule: a template that breaks it (with the field and resource named) and one that complies. */
const CASES: Array<{
  code: string;
  severity: 'error' | 'warning';
  bad: Resources;
  good: Resources;
  kind: string;
  logicalId: string;
  field: string;
}> = [
  {
    code: 'BATCHKIT-NAG-001',
    severity: 'error',
    bad: launchTemplate({ MetadataOptions: { HttpTokens: 'optional' } }),
    good: launchTemplate(REQUIRED),
    kind: 'LaunchTemplate',
    logicalId: 'Lt',
    field: 'LaunchTemplateData.MetadataOptions.HttpTokens',
  },
  {
    code: 'BATCHKIT-NAG-002',
    severity: 'error',
    bad: launchTemplate({
      ...REQUIRED,
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 30, Encrypted: 'false' } }],
    }),
    good: launchTemplate({
      ...REQUIRED,
      BlockDeviceMappings: [
        { DeviceName: '/dev/xvda', Ebs: { VolumeSize: 30, Encrypted: true } },
        { DeviceName: '/dev/sdb', VirtualName: 'ephemeral0' },
      ],
    }),
    kind: 'LaunchTemplate',
    logicalId: 'Lt',
    field: 'LaunchTemplateData.BlockDeviceMappings[0].Ebs.Encrypted',
  },
  {
    code: 'BATCHKIT-NAG-003',
    severity: 'error',
    bad: jobDefinition({
      ContainerProperties: {
        Image: 'busybox',
        Vcpus: 1,
        Memory: 512,
        Environment: [
          { Name: 'COLOR', Value: 'red' },
          { Name: 'DB_PASSWORD', Value: 'hunter2' },
        ],
      },
    }),
    good: jobDefinition({
      ContainerProperties: {
        Image: 'busybox',
        Vcpus: 1,
        Memory: 512,
        Environment: [{ Name: 'DB_PASSWORD_ARN', Value: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db' }],
        Secrets: [{ Name: 'DB_PASSWORD', ValueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db' }],
      },
    }),
    kind: 'JobDefinition',
    logicalId: 'Job',
    field: 'containerProperties.environment[1]',
  },
  {
    code: 'BATCHKIT-NAG-004',
    severity: 'warning',
    bad: jobDefinition({
      EksProperties: {
        PodProperties: { Containers: [{ Name: 'main', Image: 'busybox', SecurityContext: { Privileged: true } }] },
      },
    }),
    good: jobDefinition({
      EksProperties: {
        PodProperties: { Containers: [{ Name: 'main', Image: 'busybox', SecurityContext: { Privileged: false } }] },
      },
    }),
    kind: 'JobDefinition',
    logicalId: 'Job',
    field: 'eksProperties.podProperties.containers[0].securityContext.privileged',
  },
  {
    code: 'BATCHKIT-NAG-005',
    severity: 'warning',
    bad: jobDefinition(fargate('ENABLED')),
    good: jobDefinition(fargate('DISABLED')),
    kind: 'JobDefinition',
    logicalId: 'Job',
    field: 'containerProperties.networkConfiguration.assignPublicIp',
  },
  {
    code: 'BATCHKIT-NAG-006',
    severity: 'warning',
    bad: policy({ Effect: 'Allow', Action: ['batch:SubmitJob', 'batch:DescribeJobs'], Resource: '*' }),
    good: policy({
      Effect: 'Allow',
      Action: 'batch:SubmitJob',
      Resource: 'arn:aws:batch:us-east-1:123456789012:job-queue/q',
    }),
    kind: 'IamPolicy',
    logicalId: 'Pol',
    field: 'PolicyDocument.Statement[0].Resource',
  },
];

function fargate(assignPublicIp: string): Record<string, unknown> {
  return {
    PlatformCapabilities: ['FARGATE'],
    ContainerProperties: {
      Image: 'busybox',
      ExecutionRoleArn: 'arn:aws:iam::123456789012:role/exec',
      ResourceRequirements: [
        { Type: 'VCPU', Value: '0.25' },
        { Type: 'MEMORY', Value: '512' },
      ],
      NetworkConfiguration: { AssignPublicIp: assignPublicIp },
    },
  };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'batchkit-validate-nag-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, resources: Resources): string {
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ Resources: resources }));
  return file;
}

function validateJson(file: string, extra: string[] = []): { code: number; report: JsonReport } {
  const r = runCli(['validate', file, '--json', ...extra]);
  return { code: r.code, report: JSON.parse(r.stdout) as JsonReport };
}

const nagFindings = (report: JsonReport): JsonReport['findings'] =>
  report.findings.filter((f) => f.code.startsWith('BATCHKIT-NAG'));

describe.each(CASES)('$code through batchkit validate', ({ code, severity, bad, good, kind, logicalId, field }) => {
  test(`non-compliant: one ${severity} naming ${kind} ${logicalId} and ${field}`, () => {
    const { code: exit, report } = validateJson(write(`${code}-bad`, bad));
    expect(nagFindings(report)).toEqual([
      expect.objectContaining({
        code,
        severity,
        field,
        resource: expect.objectContaining({ kind, source: expect.objectContaining({ logicalId }) }),
      }),
    ]);
    expect(exit).toBe(severity === 'error' ? 1 : 0);
  });

  test('compliant: no nag finding', () => {
    const { report } = validateJson(write(`${code}-good`, good));
    expect(nagFindings(report)).toEqual([]);
  });
});

describe('validate output', () => {
  test('human output: nag findings under the template resource and its logical id; --exclude leaves a code out', () => {
    const file = write('mixed', {
      ...jobDefinition({
        ContainerProperties: {
          Image: 'busybox',
          Vcpus: 1,
          Memory: 512,
          Privileged: true,
          Environment: [{ Name: 'API_KEY', Value: 's3cr3t' }],
        },
      }),
      ...policy({ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }),
    });
    const r = runCli(['validate', file]);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    const jd = lines.indexOf('JobDefinition "nag-job" (mixed/Job)');
    expect(lines[jd + 1]).toMatch(
      /^ {2}ERROR {3}BATCHKIT-NAG-003 {2}containerProperties\.environment\[0\]: environment variable API_KEY /,
    );
    expect(lines[jd + 1]).toMatch(/Fix: move API_KEY to the container's secrets.*--exclude BATCHKIT-NAG-003\.$/);
    expect(lines[jd + 2]).toMatch(/^ {2}WARNING BATCHKIT-NAG-004 {2}containerProperties\.privileged: runs/);
    const pol = lines.indexOf('IamPolicy "nag-policy" (mixed/Pol)');
    expect(lines[pol + 1]).toMatch(
      /^ {2}WARNING BATCHKIT-NAG-006 {2}PolicyDocument\.Statement\[0\]\.Resource: allows iam:PassRole on every/,
    );
    expect(r.stdout).not.toMatch(/s3cr3t/);
    expect(r.stdout).toMatch(/1 error\(s\), 2 warning\(s\)\n$/);

    const { code, report } = validateJson(file, ['--exclude', 'BATCHKIT-NAG-003']);
    expect(code).toBe(0);
    expect(nagFindings(report).map((f) => f.code)).toEqual(['BATCHKIT-NAG-004', 'BATCHKIT-NAG-006']);
  });

  test('a launch template no compute environment uses is not checked; an inline role policy is', () => {
    const file = write('unused-lt', {
      ...computeEnvironment(false),
      Lt: { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: {} } },
      Role: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: {
            Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } }],
          },
          Policies: [
            {
              PolicyName: 'p',
              PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'secretsmanager:*', Resource: '*' }] },
            },
          ],
        },
      },
    });
    const { report } = validateJson(file);
    expect(nagFindings(report)).toEqual([
      expect.objectContaining({
        code: 'BATCHKIT-NAG-006',
        field: 'Policies[0].PolicyDocument.Statement[0].Resource',
        resource: expect.objectContaining({ kind: 'IamRole' }),
      }),
    ]);
  });
});

describe('the CDK aspect runs the same checks', () => {
  test.each(CASES)(
    '$code: the aspect reports the same template resource in the bad template, nothing in the good one',
    ({ code, bad, good, logicalId }) => {
      const hitsOn = (name: string, resources: Resources): string[] => {
        const app = new App();
        const stack = new Stack(app, 'Nag');
        // The same template as validate reads, as typed L1 resources.
        new CfnInclude(stack, 'Inc', { templateFile: write(name, resources) });
        Aspects.of(stack).add(new BatchkitNagChecks({ allLaunchTemplates: true }), {
          priority: AspectPriority.READONLY,
        });
        const a = Annotations.fromStack(stack);
        const re = Match.stringLikeRegexp(`\\[${code}\\]`);
        return [...a.findError('*', re), ...a.findWarning('*', re)].map((m) => m.id);
      };
      expect(hitsOn(`${code}-aspect-bad`, bad)).toEqual([`/Nag/Inc/${logicalId}`]);
      expect(hitsOn(`${code}-aspect-good`, good)).toEqual([]);
    },
  );
});
