import { mkdtempSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  BatchInstanceType,
  EksImageType,
  EksJobDefinition,
  JobQueue,
  ManagedEc2ComputeEnvironment,
  ManagedEc2EksComputeEnvironment,
  type ManagedEc2EksComputeEnvironmentProps,
} from '../../../lib/constructs';
import { runCli } from '../../_helpers/cli';

const CE = 'AWS::Batch::ComputeEnvironment';

function setup(app = new App()) {
  const stack = new Stack(app, 'Eks', { env: { account: '123456789012', region: 'eu-central-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
  const eksCluster = eks.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'batch-cluster' });
  const instanceRole = new iam.Role(stack, 'NodeRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
  return { app, stack, vpc, eksCluster, instanceRole };
}

function make(extra: Partial<ManagedEc2EksComputeEnvironmentProps> = {}) {
  const s = setup();
  const ce = new ManagedEc2EksComputeEnvironment(s.stack, 'Ce', {
    vpc: s.vpc,
    eksCluster: s.eksCluster,
    instanceRole: s.instanceRole,
    kubernetesNamespace: 'batch-jobs',
    ...extra,
  });
  return { ...s, ce, template: Template.fromStack(s.stack) };
}

describe('ManagedEc2EksComputeEnvironment rendering', () => {
  test('defaults: eksConfiguration, EC2, BEST_FIT_PROGRESSIVE, optimal, EKS_AL2023, 0..256 vCPUs, role profile', () => {
    const { template, ce } = make();
    template.hasResourceProperties(CE, {
      Type: 'MANAGED',
      State: 'ENABLED',
      ServiceRole: Match.absent(),
      ReplaceComputeEnvironment: false,
      EksConfiguration: {
        EksClusterArn: {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':eks:eu-central-1:123456789012:cluster/batch-cluster']],
        },
        KubernetesNamespace: 'batch-jobs',
      },
      ComputeResources: {
        Type: 'EC2',
        AllocationStrategy: 'BEST_FIT_PROGRESSIVE',
        MinvCpus: 0,
        MaxvCpus: 256,
        InstanceTypes: ['optimal'],
        Ec2Configuration: [{ ImageType: 'EKS_AL2023' }],
        InstanceRole: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CeInstanceProfile'), 'Arn'] },
        Subnets: Match.arrayWith([{ Ref: Match.stringLikeRegexp('PrivateSubnet1') }]),
        SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^CeSecurityGroup'), 'GroupId'] }],
        SpotIamFleetRole: Match.absent(),
      },
    });
    template.resourceCountIs('AWS::IAM::InstanceProfile', 1);
    template.hasResourceProperties('AWS::IAM::InstanceProfile', {
      Roles: [{ Ref: Match.stringLikeRegexp('^NodeRole') }],
    });
    expect(ce.platform).toBe('EC2');
    expect(ce.model.containerOrchestrationType).toBe('EKS');
  });

  test('Spot with GPU types adds the NVIDIA image; images with a Kubernetes version and limits render as given', () => {
    const gpu = make({ spot: true, instanceTypes: [BatchInstanceType.custom('g5')], minvCpus: 4, maxvCpus: 64 });
    gpu.template.hasResourceProperties(CE, {
      ComputeResources: Match.objectLike({
        Type: 'SPOT',
        AllocationStrategy: 'SPOT_PRICE_CAPACITY_OPTIMIZED',
        MinvCpus: 4,
        MaxvCpus: 64,
        InstanceTypes: ['g5'],
        Ec2Configuration: [{ ImageType: 'EKS_AL2023' }, { ImageType: 'EKS_AL2023_NVIDIA' }],
        SpotIamFleetRole: Match.anyValue(),
      }),
    });
    const pinned = make({ images: [{ imageType: EksImageType.EKS_AL2, kubernetesVersion: '1.30' }] });
    pinned.template.hasResourceProperties(CE, {
      ComputeResources: Match.objectLike({
        Ec2Configuration: [{ ImageType: 'EKS_AL2', ImageKubernetesVersion: '1.30' }],
      }),
    });
  });
});

describe('ManagedEc2EksComputeEnvironment checks through the core rules', () => {
  test.each([
    ['default', /reserved|default namespace/],
    ['kube-system', /kube- are reserved/],
    ['Batch_Jobs', /not a DNS label/],
    ['a'.repeat(64), /64 characters/],
  ])('namespace %j is BATCH-EKS-001 with the construct path', (ns, why) => {
    expect(() => make({ kubernetesNamespace: ns })).toThrow(
      /Eks\/Ce: \[BATCH-EKS-001\].*eksConfiguration\.kubernetesNamespace/,
    );
    expect(() => make({ kubernetesNamespace: ns })).toThrow(why);
  });

  test('min vCPUs above max is the core rule error, not a construct code', () => {
    expect(() => make({ minvCpus: 32, maxvCpus: 16 })).toThrow(/\[BATCH-CE-\d{3}\].*minvCpus/);
  });

  test('an x86/ARM mix is the core rule error', () => {
    expect(() => make({ instanceTypes: [BatchInstanceType.custom('m5'), BatchInstanceType.custom('m7g')] })).toThrow(
      /\[BATCH-CE-\d{3}\]/,
    );
  });

  test('a queue cannot mix an EKS and an ECS environment (BATCH-X-001 when the environment is added)', () => {
    const s = setup();
    const eksCe = new ManagedEc2EksComputeEnvironment(s.stack, 'EksCe', {
      vpc: s.vpc,
      eksCluster: s.eksCluster,
      instanceRole: s.instanceRole,
      kubernetesNamespace: 'batch-jobs',
    });
    const ecsCe = new ManagedEc2ComputeEnvironment(s.stack, 'EcsCe', { vpc: s.vpc });
    expect(
      () =>
        new JobQueue(s.stack, 'Mixed', {
          computeEnvironments: [
            { computeEnvironment: eksCe, order: 1 },
            { computeEnvironment: ecsCe, order: 2 },
          ],
        }),
    ).toThrow(/^Eks\/Mixed: \[BATCH-X-001\] .*mixes ECS and EKS compute environments/);
  });
});

describe('an EKS job definition, an EKS compute environment and a queue in one stack', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'batchkit-eks-ce-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('synthesizes, and batchkit validate accepts the cloud assembly (exit 0, no error)', () => {
    const s = setup(new App({ outdir: dir }));
    const ce = new ManagedEc2EksComputeEnvironment(s.stack, 'Ce', {
      vpc: s.vpc,
      eksCluster: s.eksCluster,
      instanceRole: s.instanceRole,
      kubernetesNamespace: 'batch-jobs',
      instanceTypes: [BatchInstanceType.custom('m5')],
    });
    new JobQueue(s.stack, 'Queue', { computeEnvironments: [{ computeEnvironment: ce, order: 1 }] });
    new EksJobDefinition(s.stack, 'Pod', {
      jobDefinitionName: 'pod',
      containers: [{ name: 'main', image: 'busybox', command: ['echo', 'hi'], cpu: 1 }],
    });
    s.app.synth();
    const r = runCli(['validate', dir, '--json']);
    const report = JSON.parse(r.stdout) as {
      errors: number;
      resources: Record<string, number>;
      findings: Array<{ severity: string; code: string; message: string }>;
    };
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(r.code).toBe(0);
    expect(report.resources).toMatchObject({ jobDefinitions: 1, jobQueues: 1, computeEnvironments: 1 });
  });
});
