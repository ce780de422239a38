/**
 * batchkit next to aws-cdk-lib/aws-batch for the same infrastructure: the same Batch resources,
 * fewer IAM resources (one shared execution role), and the traps aws-cdk-lib lets through caught
 * at synth.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App, Size, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { buildAwsCdkLibStack, buildBatchkitStack } from '../../../bench/synth-stacks';
import { BatchInstanceType } from '../../../lib/constructs/compute/instance-type';
import { FargateComputeEnvironment } from '../../../lib/constructs/compute/fargate-compute-environment';
import { ManagedEc2ComputeEnvironment } from '../../../lib/constructs/compute/managed-ec2-compute-environment';
import { ContainerJobDefinition, JobContainer, JobImage } from '../../../lib/constructs/job';
import { JobQueue } from '../../../lib/constructs/queue';
import type { JobDefinition } from '../../../lib/core/model/job-definition';
import { loadBatchModel } from '../../../lib/core/assembly';
import { validateModel } from '../../../lib/core/rules';

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

function resources(stack: Stack): Resources {
  return Template.fromStack(stack).toJSON().Resources as Resources;
}
function countByType(r: Resources): Record<string, number> {
  const out: Record<string, number> = {};
  for (const { Type } of Object.values(r)) out[Type] = (out[Type] ?? 0) + 1;
  return out;
}
function iamCount(r: Resources): number {
  return Object.values(r).filter((x) => x.Type.startsWith('AWS::IAM::')).length;
}
/** What a job definition asks Batch for, without role references and aws-cdk-lib's empty defaults. */
function jobShape(props: Record<string, unknown>) {
  const c = props.ContainerProperties as Record<string, unknown>;
  const reqs = [...(c.ResourceRequirements as Array<{ Type: string; Value: string }>)].sort((a, b) =>
    a.Type.localeCompare(b.Type),
  );
  return JSON.stringify({
    image: c.Image,
    command: c.Command,
    reqs,
    network: c.NetworkConfiguration,
    platform: props.PlatformCapabilities,
    parameters: props.Parameters,
    timeout: props.Timeout,
  });
}

describe('same infrastructure, both libraries', () => {
  const N = 10;
  let ours: Resources;
  let theirs: Resources;
  beforeAll(() => {
    ours = resources(buildBatchkitStack(N).stack);
    theirs = resources(buildAwsCdkLibStack(N).stack);
  });

  test('the same Batch resources: 2 compute environments, 2 queues, N job definitions', () => {
    for (const type of ['AWS::Batch::ComputeEnvironment', 'AWS::Batch::JobQueue', 'AWS::Batch::JobDefinition']) {
      expect([type, countByType(ours)[type]]).toEqual([type, countByType(theirs)[type]]);
    }
    expect(countByType(ours)['AWS::Batch::JobDefinition']).toBe(N);
  });

  test(
    'every job definition asks Batch for the same image, command, ' + 'resources, platform, parameters and timeout',
    () => {
      const shapes = (r: Resources) =>
        Object.values(r)
          .filter((x) => x.Type === 'AWS::Batch::JobDefinition')
          .map((x) => jobShape(x.Properties))
          .sort();
      expect(shapes(ours)).toEqual(shapes(theirs));
    },
  );

  test(
    'fewer IAM resources: one shared execution role and policy instead of a ' + 'role and a policy per job definition',
    () => {
      expect(countByType(theirs)['AWS::IAM::Role']).toBeGreaterThanOrEqual(N);
      expect(countByType(ours)['AWS::IAM::Role']).toBeLessThanOrEqual(3);
      expect(iamCount(theirs) - iamCount(ours)).toBeGreaterThanOrEqual(2 * N - 2);
    },
  );

  test('resources per job definition: batchkit 1, aws-cdk-lib 3', () => {
    const total = (r: Resources) => Object.keys(r).length;
    const ours0 = resources(buildBatchkitStack(0).stack);
    const theirs0 = resources(buildAwsCdkLibStack(0).stack);
    // ours(0) has no job definition, so no shared execution role yet: count it with the first.
    expect((total(ours) - total(ours0) - 2) / N).toBe(1);
    expect((total(theirs) - total(theirs0)) / N).toBe(3);
  });
});

describe('what aws-cdk-lib lets through and batchkit catches at synth', () => {
  test('Fargate cpu: 256 (CPU units, as in the aws-cdk-lib README): theirs synthesizes VCPU "256", ours throws', () => {
    const theirs = resources(buildAwsCdkLibStack(2, { fargateCpu: 256 }).stack);
    const fargate = Object.values(theirs).find(
      (r) =>
        r.Type === 'AWS::Batch::JobDefinition' && JSON.stringify(r.Properties.PlatformCapabilities) === '["FARGATE"]',
    )!;
    expect(
      (fargate.Properties.ContainerProperties as { ResourceRequirements: unknown[] }).ResourceRequirements,
    ).toContainEqual({ Type: 'VCPU', Value: '256' });
    expect(() => buildBatchkitStack(2, { fargateCpu: 256 })).toThrow(
      new RegExp(
        String.raw`Batchkit\/Job1: \[BATCH-JD-024\].*Got: "256"\. Allowed: 0\.2` + String.raw`5, 0\.5, 1, 2, 4, 8, 16`,
      ),
    );
  });

  test('batchkit validate catches the same mistake in the aws-cdk-lib app after synth', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'bk-sbs-'));
    try {
      const { app } = buildAwsCdkLibStack(2, { fargateCpu: 256, outdir: root });
      app.synth();
      const findings = validateModel(loadBatchModel(root)).filter(
        (f) => f.severity === 'error' && f.resource.kind === 'JobDefinition',
      );
      expect(findings.length).toBeGreaterThanOrEqual(1);
      // The same code the construct throws: one rule set.
      expect(findings[0].code).toBe('BATCH-JD-024');
      expect(findings[0].message).toMatch(/256/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('launch template user data that is not MIME multipart: theirs synthesizes, ours fails synth', () => {
    const theirsStack = new Stack(new App(), 'Theirs');
    const vpcA = new ec2.Vpc(theirsStack, 'Vpc', { natGateways: 0 });
    const ltA = new ec2.LaunchTemplate(theirsStack, 'Lt', { userData: ec2.UserData.forLinux() });
    ltA.userData!.addCommands('echo hello');
    new batch.ManagedEc2EcsComputeEnvironment(theirsStack, 'Ce', { vpc: vpcA, launchTemplate: ltA });
    expect(() => Template.fromStack(theirsStack)).not.toThrow();

    const oursStack = new Stack(new App(), 'Ours');
    const vpcB = new ec2.Vpc(oursStack, 'Vpc', { natGateways: 0 });
    const ltB = new ec2.LaunchTemplate(oursStack, 'Lt', { userData: ec2.UserData.forLinux() });
    ltB.userData!.addCommands('echo hello');
    new ManagedEc2ComputeEnvironment(oursStack, 'Ce', {
      vpc: vpcB,
      launchTemplate: ltB,
      instanceTypes: [BatchInstanceType.OPTIMAL],
    });
    expect(() => Template.fromStack(oursStack)).toThrow(
      new RegExp(String.raw`\[BATCH-LT-004\] .*Launch Template UserData is not MIME mult` + String.raw`ipart format`),
    );
  });

  test('four compute environments in a queue: theirs synthesizes, ours throws', () => {
    const theirsStack = new Stack(new App(), 'Theirs');
    const vpcA = new ec2.Vpc(theirsStack, 'Vpc', { natGateways: 0 });
    const theirsQueue = new batch.JobQueue(theirsStack, 'Queue');
    for (let i = 1; i <= 4; i++)
      theirsQueue.addComputeEnvironment(new batch.FargateComputeEnvironment(theirsStack, `Ce${i}`, { vpc: vpcA }), i);
    expect(countByType(resources(theirsStack))['AWS::Batch::ComputeEnvironment']).toBe(4);

    const oursStack = new Stack(new App(), 'Ours');
    const vpcB = new ec2.Vpc(oursStack, 'Vpc', { natGateways: 0 });
    const oursQueue = new JobQueue(oursStack, 'Queue');
    for (let i = 1; i <= 3; i++)
      oursQueue.addComputeEnvironment(new FargateComputeEnvironment(oursStack, `Ce${i}`, { vpc: vpcB }), i);
    expect(() =>
      oursQueue.addComputeEnvironment(new FargateComputeEnvironment(oursStack, 'Ce4', { vpc: vpcB }), 4),
    ).toThrow(
      /Ours\/Queue: \[BATCH-JQ-004\] JobQueue "Queue" computeEnvironmentOrder: the queue lists 4 compute environments/,
    );
  });
});

describe('a job no environment of any queue can hold', () => {
  function infra(stack: Stack, lib: 'ours' | 'theirs') {
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0 });
    if (lib === 'theirs') {
      const ce = new batch.ManagedEc2EcsComputeEnvironment(stack, 'Ce', {
        vpc,
        instanceTypes: [ec2.InstanceType.of(ec2.InstanceClass.C5, ec2.InstanceSize.XLARGE)],
        useOptimalInstanceClasses: false,
        maxvCpus: 64,
      });
      new batch.JobQueue(stack, 'Queue', { computeEnvironments: [{ computeEnvironment: ce, order: 1 }] });
      new batch.EcsJobDefinition(stack, 'Big', {
        container: new batch.EcsEc2ContainerDefinition(stack, 'BigContainer', {
          image: ecs.ContainerImage.fromRegistry('busybox'),
          cpu: 16,
          memory: Size.gibibytes(64),
        }),
      });
    } else {
      const ce = new ManagedEc2ComputeEnvironment(stack, 'Ce', {
        vpc,
        instanceTypes: [BatchInstanceType.of(ec2.InstanceClass.C5, ec2.InstanceSize.XLARGE)],
        maxvCpus: 64,
      });
      new JobQueue(stack, 'Queue', { computeEnvironments: [{ computeEnvironment: ce, order: 1 }] });
      new ContainerJobDefinition(stack, 'Big', {
        container: JobContainer.ec2({ image: JobImage.fromRegistry('busybox'), cpu: 16, memory: Size.gibibytes(64) }),
      });
    }
  }

  test(
    '16 vCPU / 64 GiB on a c5.xlarge-only queue: theirs synthesizes (the ' +
      'job would sit in RUNNABLE), ours fails synth naming queue, environment and limits',
    () => {
      const theirs = new Stack(new App(), 'Theirs', { env: { account: '123456789012', region: 'us-east-1' } });
      infra(theirs, 'theirs');
      expect(countByType(resources(theirs))['AWS::Batch::JobDefinition']).toBe(1);

      const ours = new Stack(new App(), 'Ours', { env: { account: '123456789012', region: 'us-east-1' } });
      infra(ours, 'ours');
      expect(() => Template.fromStack(ours)).toThrow(
        new RegExp(
          String.raw`\[BATCH-X-\d{3}\] JobDefinition "Big" \(at Ours\/Big\).*RUNN` +
            String.raw`ABLE forever.*queue "Queue".*16 vCPUs.*c5\.xlarge has 4`,
          's',
        ),
      );
    },
  );
});

describe('synth-time checks and batchkit validate read the same model', () => {
  test('the job definitions batchkit renders load back from the synthesized assembly unchanged', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'bk-sbs-'));
    try {
      const built = buildBatchkitStack(4, { outdir: root });
      built.app.synth();
      const loaded = loadBatchModel(root).jobDefinitions;
      const jds = built.stack.node.children.filter(
        (c): c is ContainerJobDefinition => c instanceof ContainerJobDefinition,
      );
      expect(loaded).toHaveLength(4);
      expect(jds).toHaveLength(4);
      const pick = (m: JobDefinition) => ({
        image: m.containerProperties?.image,
        command: m.containerProperties?.command,
        resourceRequirements: m.containerProperties?.resourceRequirements,
        parameters: m.parameters,
        timeout: m.timeout,
        platformCapabilities: m.platformCapabilities,
      });
      const sorted = (xs: unknown[]) => xs.map((x) => JSON.stringify(x)).sort();
      expect(sorted(loaded.map(pick))).toEqual(sorted(jds.map((j) => pick(j.model))));
      expect(
        validateModel(loadBatchModel(root)).filter(
          (f) => f.severity === 'error' && f.resource.kind === 'JobDefinition',
        ),
      ).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
