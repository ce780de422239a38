/**
 * The loader through the CLI: a resource named from a parameter without default keeps its links
 * (cross-resource rules run, nothing internal is printed), `--parameter-overrides`, nested stacks
 * that could not be loaded are listed, and `--nested` maps them to local files.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { DescribeComputeEnvironmentsCommand, DescribeJobQueuesCommand } from '@aws-sdk/client-batch';
import { runCli } from '../_helpers/cli';
import { sdkClient } from '../local/api/support';
import { startServe } from './serve-support';

const NAMESPACED = `
Parameters:
  Namespace:
    Type: String
Resources:
  SpotCE:
    Type: AWS::Batch::ComputeEnvironment
    Properties:
      Type: MANAGED
      ComputeEnvironmentName: !Sub spot-\${Namespace}
      ComputeResources:
        Type: SPOT
        AllocationStrategy: SPOT_PRICE_CAPACITY_OPTIMIZED
        MaxvCpus: 16
        InstanceTypes: [optimal]
        Subnets: [subnet-1]
        InstanceRole: arn:aws:iam::123456789012:instance-profile/ecsInstanceRole
  FargateCE:
    Type: AWS::Batch::ComputeEnvironment
    Properties:
      Type: MANAGED
      ComputeEnvironmentName: !Sub fargate-\${Namespace}
      ComputeResources:
        Type: FARGATE
        MaxvCpus: 16
        Subnets: [subnet-1]
        SecurityGroupIds: [sg-1]
  Queue:
    Type: AWS::Batch::JobQueue
    Properties:
      JobQueueName: !Sub queue-\${Namespace}
      Priority: 1
      ComputeEnvironmentOrder:
        - { Order: 1, ComputeEnvironment: !Ref SpotCE }
        - { Order: 2, ComputeEnvironment: !Ref FargateCE }
`;

const ROOT_WITH_S3_NESTED = `
Resources:
  Network:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: https://my-bucket.s3.amazonaws.com/templates/batch.yaml
      Parameters:
        Namespace: prod
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'batchkit-loader-cli-'));
  writeFileSync(path.join(dir, 'ns.yaml'), NAMESPACED);
  writeFileSync(path.join(dir, 'root.yaml'), ROOT_WITH_S3_NESTED);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function validate(args: string[]) {
  return runCli(['validate', ...args], { cwd: dir });
}

describe('a compute environment named from a parameter without default', () => {
  test(
    'the queue still links to it: BATCH-X-001 reports the EC2 + Fargate ' + 'mix, names shown as <parameter Namespace>',
    () => {
      const r = validate(['ns.yaml']);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^JobQueue "queue-<parameter Namespace>" \(ns\/Queue\)$/m);
      expect(r.stdout).toMatch(
        new RegExp(
          String.raw`ERROR\s+BATCH-X-001\s+computeEnvironmentOrder: the queue mix` +
            String.raw`es EC2 environments \("spot-<parameter Namespace>"\) with Fa` +
            String.raw`rgate environments \("fargate-<parameter Namespace>"\)`,
        ),
      );
      // The reference is to an environment of the template: no "skipped" line for it.
      expect(r.stdout).not.toMatch(/computeEnvironmentOrder\[\d\]\.computeEnvironment: rule BATCH-JQ-006 skipped/);
      expect(r.stdout).not.toContain('Token[');
    },
  );

  test('--json: findings and notes carry no internal token, and the note names --parameter-overrides', () => {
    const r = validate(['ns.yaml', '--json']);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain('Token[');
    const report = JSON.parse(r.stdout) as {
      findings: Array<{ code: string; resource: { name: string } }>;
      notes: Array<{ message: string; kind?: string }>;
    };
    expect(report.findings.find((f) => f.code === 'BATCH-X-001')?.resource.name).toBe('queue-<parameter Namespace>');
    expect(report.notes).toContainEqual(
      expect.objectContaining({
        kind: 'parameter-without-value',
        message:
          'parameter Namespace has no default and no value was given; give it one ' +
          'with --parameter-overrides Namespace=<value>',
      }),
    );
  });

  test('--parameter-overrides before the path gives the names; the path is not taken for a value', () => {
    const r = validate(['--parameter-overrides', 'Namespace=dev', 'ns.yaml']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^JobQueue "queue-dev" \(ns\/Queue\)$/m);
    expect(r.stdout).toContain('EC2 environments ("spot-dev") with Fargate environments ("fargate-dev")');
    expect(r.stdout).not.toMatch(/BATCH-UNRESOLVED/);
  });

  test('--parameter-overrides of a parameter no stack declares, or without "=", is a coded error (exit 2)', () => {
    const unknown = validate(['ns.yaml', '--parameter-overrides', 'Namespce=dev']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      'error BATCHKIT-ASSEMBLY-011: parameter override "Namespce": no loaded ' +
        "stack declares this parameter. Fix: Name parameters of the template's " +
        'Parameters section: Namespace.',
    );
    const bad = validate(['ns.yaml', '--parameter-overrides', 'Namespace']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('error BATCHKIT-CLI-001: --parameter-overrides "Namespace" is not Key=Value.');
  });
});

describe('nested stacks whose template is not local', () => {
  test('validate lists what was not loaded and why, in words for a plain template', () => {
    const r = validate(['root.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Not loaded (1 nested stack; their resources are not checked):\n');
    expect(r.stdout).toContain(
      '  root/Network: nested stack Network was not loaded: its TemplateURL ' +
        'is https://my-bucket.s3.amazonaws.com/templates/batch.yaml, ' +
        'and batchkit reads local files only; its resources are not checked. ' +
        'Map it to a local copy of its template with --nested Network=<file>\n',
    );
    expect(r.stdout).not.toContain('cloud assembly');
    expect(r.stdout).toMatch(
      new RegExp(
        String.raw`root\.yaml: 0 job definition\(s\), 0 job queue\(s\), 0 compu` +
          String.raw`te environment\(s\), 0 scheduling policies \(1 nested stack\(` +
          String.raw`s\) not loaded\): 0 error\(s\)`,
      ),
    );
  });

  test(
    "--nested Network=ns.yaml loads it with the parent's parameters: the " + 'mix is found, names from the parent',
    () => {
      const r = validate(['--nested', 'Network=ns.yaml', 'root.yaml']);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^JobQueue "queue-prod" \(root\/Network\/Queue\)$/m);
      expect(r.stdout).toMatch(/ERROR\s+BATCH-X-001/);
      expect(r.stdout).not.toContain('Not loaded');
    },
  );

  test('--nested naming no nested stack, or a missing file, is a coded error (exit 2)', () => {
    const typo = validate(['root.yaml', '--nested', 'Netwrk=ns.yaml']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain(
      'error BATCHKIT-ASSEMBLY-011: nested stack mapping "Netwrk": no loaded ' +
        'stack has a nested stack (AWS::CloudFormation::Stack) of that logical id.',
    );
    const missing = validate(['root.yaml', '--nested', 'Network=missing.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      `error BATCHKIT-ASSEMBLY-001: Cannot read template ${path.join(dir, 'missing.yaml')}: ENOENT.`,
    );
  });
});

test(
  'local run --parameter-overrides and --nested are accepted and load the ' +
    'app (an unknown queue is then the error)',
  () => {
    const r = runCli(
      [
        'local',
        'run',
        '--app',
        'root.yaml',
        '--nested',
        'Network=ns.yaml',
        '--parameter-overrides',
        'Nope=1',
        '--job-queue',
        'q',
        '--job-definition',
        'd',
        '--store',
        path.join(dir, '.batchkit'),
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error BATCHKIT-ASSEMBLY-011: parameter override "Nope"');
  },
);

test(
  'local serve: queue and environment names from a parameter without ' +
    'value are served readable, and the queue still points at its environments',
  async () => {
    const server = await startServe(['--app', 'ns.yaml', '--store', path.join(dir, '.serve')], { cwd: dir });
    const client = sdkClient(server.url);
    try {
      const queues = await client.send(new DescribeJobQueuesCommand({}));
      const envs = await client.send(new DescribeComputeEnvironmentsCommand({}));
      expect(JSON.stringify([queues.jobQueues, envs.computeEnvironments])).not.toContain('Token[');
      const queue = queues.jobQueues?.find((q) => q.jobQueueName === 'queue-<parameter Namespace>');
      expect(queue).toBeDefined();
      const arns = (envs.computeEnvironments ?? []).map((c) => c.computeEnvironmentArn).sort();
      expect(arns).toEqual([
        'arn:aws:batch:us-east-1:123456789012:compute-environment/fargate-<parameter Namespace>',
        'arn:aws:batch:us-east-1:123456789012:compute-environment/spot-<parameter Namespace>',
      ]);
      expect(queue?.computeEnvironmentOrder?.map((o) => o.computeEnvironment).sort()).toEqual(arns);
    } finally {
      client.destroy();
      await server.stop('SIGTERM');
    }
  },
);
