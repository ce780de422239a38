/**
 * One rule set: every core rule that a construct prop can trigger is reported by the construct with
 * the core's code and the construct path (at construction, at synth or as a warning), the same code
 * `batchkit validate` reports on a template. The table names every rule of `ALL_RULES`: either a
 * construct trigger, or why no construct prop can break it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { Duration, Size, type Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  Action,
  AllocationStrategy,
  BatchEnvironment,
  BatchInstanceType,
  BatchPipeline,
  ContainerJobDefinition,
  EcsImageType,
  EksJobDefinition,
  FairshareSchedulingPolicy,
  FargateComputeEnvironment,
  FargatePlatformVersion,
  JobContainer,
  JobImage,
  JobQueue,
  JobRetryStrategy,
  JobVolume,
  ManagedEc2ComputeEnvironment,
  ManagedEc2EksComputeEnvironment,
  MultiContainerJobDefinition,
  MultiNodeJobDefinition,
  Reason,
  TimeLimitReason,
  UlimitName,
  UnmanagedComputeEnvironment,
} from '../../lib/constructs';
import { ALL_RULES } from '../../lib/core/rules';
import { FakeComputeEnvironment, newStack } from './job/_fixtures';

const image = JobImage.fromRegistry('busybox');
const ec2Container = (o: Partial<Parameters<typeof JobContainer.ec2>[0]> = {}) =>
  JobContainer.ec2({ image, cpu: 1, memory: Size.gibibytes(1), ...o });
const fargateContainer = (o: Partial<Parameters<typeof JobContainer.fargate>[0]> = {}) =>
  JobContainer.fargate({ image, cpu: 1, memory: Size.gibibytes(2), ...o });
const job = (stack: Stack, props: Partial<ConstructorParameters<typeof ContainerJobDefinition>[2]> = {}) =>
  new ContainerJobDefinition(stack, 'Job', { container: ec2Container(), ...props });
const vpc = (stack: Stack) => new ec2.Vpc(stack, 'Vpc', { natGateways: 0 });
const fileSystem = (stack: Stack) =>
  efs.FileSystem.fromFileSystemAttributes(stack, 'Fs', {
    fileSystemId: 'fs-12345678',
    securityGroup: ec2.SecurityGroup.fromSecurityGroupId(stack, 'Sg', 'sg-1'),
  });
const queueOf = (stack: Stack, ...ces: FakeComputeEnvironment[]) =>
  new JobQueue(stack, 'Queue', {
    computeEnvironments: ces.map((computeEnvironment, i) => ({ computeEnvironment, order: i + 1 })),
  });
const ec2Env = (stack: Stack, id = 'Ce', props: Record<string, unknown> = {}) =>
  new ManagedEc2ComputeEnvironment(stack, id, { vpc: vpc(stack), ...props });

/** A construct trigger: the props that break the rule and the path of the construct that reports it. */
interface Trigger {
  readonly build: (stack: Stack) => void;
  /** Construct path (below the stack `TestStack`) named in the error or warning. */
  readonly path: string;
}

/** Rule code → the construct and props that trigger it. */
const TRIGGERS: Record<string, Trigger> = {
  'BATCH-JD-001': { path: 'Job', build: (s) => job(s, { jobDefinitionName: 'bad name!' }) },
  'BATCH-JD-003': {
    path: 'Job',
    build: (s) => job(s, { container: ec2Container({ image: JobImage.fromRegistry('bad image!') }) }),
  },
  'BATCH-JD-004': { path: 'Job', build: (s) => job(s, { container: ec2Container({ cpu: 0.5 }) }) },
  'BATCH-JD-005': { path: 'Job', build: (s) => job(s, { container: ec2Container({ memory: Size.mebibytes(2) }) }) },
  'BATCH-JD-006': { path: 'Job', build: (s) => job(s, { retryAttempts: 11 }) },
  'BATCH-JD-007': { path: 'Job', build: (s) => job(s, { timeout: Duration.seconds(30) }) },
  'BATCH-JD-008': {
    path: 'Job',
    build: (s) => job(s, { container: ec2Container({ environment: { AWS_BATCH_X: '1' } }) }),
  },
  'BATCH-JD-009': { path: 'Job', build: (s) => job(s, { container: ec2Container({ environment: { 'A=B': '1' } }) }) },
  'BATCH-JD-011': {
    path: 'Job',
    build: (s) =>
      job(s, {
        container: ec2Container({
          volumes: [
            JobVolume.host({ name: 'a', containerPath: '/a' }),
            JobVolume.host({ name: 'a', containerPath: '/b' }),
          ],
        }),
      }),
  },
  'BATCH-JD-012': {
    path: 'Job',
    build: (s) =>
      job(s, { container: ec2Container({ ulimits: [{ name: UlimitName.CORE, softLimit: 10, hardLimit: 5 }] }) }),
  },
  'BATCH-JD-013': { path: 'Job', build: (s) => job(s, { container: ec2Container({ gpu: 1.5 }) }) },
  'BATCH-JD-014': {
    path: 'Job',
    build: (s) =>
      job(s, {
        container: ec2Container({
          linuxParameters: { devices: [{ hostPath: '/dev/infiniband/uverbs0', containerPath: '/dev/other' }] },
        }),
      }),
  },
  'BATCH-JD-015': {
    path: 'Mnp',
    build: (s) =>
      new MultiNodeJobDefinition(s, 'Mnp', {
        containers: [{ startNode: 0, endNode: 1, container: ec2Container() }],
        mainNode: 2,
      }),
  },
  'BATCH-JD-016': { path: 'Mnp', build: (s) => new MultiNodeJobDefinition(s, 'Mnp', { containers: [] }) },
  'BATCH-JD-017': {
    path: 'Mnp',
    build: (s) =>
      new MultiNodeJobDefinition(s, 'Mnp', {
        containers: [{ startNode: 0, endNode: 1, container: ec2Container() }],
        numNodes: 4,
      }),
  },
  'BATCH-JD-018': {
    path: 'Mnp',
    build: (s) =>
      new MultiNodeJobDefinition(s, 'Mnp', {
        numNodes: 4,
        containers: [
          { startNode: 0, endNode: 2, container: ec2Container() },
          { startNode: 1, endNode: 3, container: ec2Container() },
        ],
      }),
  },
  'BATCH-JD-020': {
    path: 'Job',
    build: (s) =>
      job(s, { requiredParameters: ['input'], container: ec2Container({ command: ['run', 'Ref::input'] }) }),
  },
  'BATCH-JD-021': {
    path: 'Job',
    build: (s) => job(s, { container: ec2Container({ environment: { BIG: 'x'.repeat(30_000) } }) }),
  },
  'BATCH-JD-022': {
    path: 'Job',
    build: (s) =>
      job(s, {
        retryStrategies: Array.from({ length: 6 }, (_, i) =>
          JobRetryStrategy.of(Action.RETRY, Reason.custom({ onExitCode: `${i}` })),
        ),
      }),
  },
  'BATCH-JD-023': {
    path: 'Job',
    build: (s) =>
      job(s, { retryStrategies: [JobRetryStrategy.of(Action.RETRY, Reason.custom({ onExitCode: 'abc' }))] }),
  },
  'BATCH-JD-024': { path: 'Job', build: (s) => job(s, { container: fargateContainer({ cpu: 3 }) }) },
  'BATCH-JD-026': {
    path: 'Job',
    build: (s) =>
      job(s, {
        container: fargateContainer({
          platformVersion: FargatePlatformVersion.VERSION1_3,
          volumes: [JobVolume.efs({ name: 'data', fileSystem: fileSystem(s), containerPath: '/data' })],
        }),
      }),
  },
  'BATCH-JD-027': {
    path: 'Mnp',
    build: (s) =>
      new MultiNodeJobDefinition(s, 'Mnp', {
        containers: [{ startNode: 0, endNode: 1, container: fargateContainer() }],
      }),
  },
  'BATCH-JD-032': {
    path: 'Job',
    build: (s) =>
      job(s, { container: ec2Container({ volumes: [JobVolume.host({ name: 'a', containerPath: 'data' })] }) }),
  },
  'BATCH-JD-033': {
    path: 'Task',
    build: (s) =>
      new MultiContainerJobDefinition(s, 'Task', {
        containers: [{ name: 'a', image, essential: false, cpu: 1, memory: Size.gibibytes(1) }],
      }),
  },
  'BATCH-JD-034': {
    path: 'Pod',
    build: (s) =>
      new EksJobDefinition(s, 'Pod', {
        containers: [
          { name: 'main', image: 'busybox' },
          { name: 'main', image: 'busybox' },
        ],
      }),
  },
  'BATCH-JD-035': {
    path: 'Job',
    build: (s) =>
      job(s, {
        container: ec2Container({
          volumes: [
            JobVolume.efs({
              name: 'data',
              fileSystem: fileSystem(s),
              containerPath: '/data',
              accessPointId: 'fsap-1',
              enableTransitEncryption: false,
            }),
          ],
        }),
      }),
  },
  'BATCH-CE-001': { path: 'Ce', build: (s) => ec2Env(s, 'Ce', { computeEnvironmentName: 'my ce!' }) },
  'BATCH-CE-008': { path: 'Ce', build: (s) => ec2Env(s, 'Ce', { minvCpus: 10, maxvCpus: 4 }) },
  'BATCH-CE-009': {
    path: 'Ce',
    build: (s) => ec2Env(s, 'Ce', { allocationStrategy: AllocationStrategy.SPOT_CAPACITY_OPTIMIZED }),
  },
  'BATCH-CE-011': { path: 'Ce', build: (s) => ec2Env(s, 'Ce', { spot: true, spotBidPercentage: 120 }) },
  'BATCH-CE-014': {
    path: 'Ce',
    build: (s) => ec2Env(s, 'Ce', { instanceTypes: [BatchInstanceType.custom('c5'), BatchInstanceType.custom('c7g')] }),
  },
  'BATCH-CE-017': {
    path: 'Ce',
    build: (s) =>
      ec2Env(s, 'Ce', {
        instanceTypes: [BatchInstanceType.custom('g5')],
        images: [{ imageType: EcsImageType.ECS_AL2023 }],
      }),
  },
  'BATCH-CE-018': {
    path: 'Ce',
    build: (s) => ec2Env(s, 'Ce', { instanceTypes: [BatchInstanceType.custom('a1.large')] }),
  },
  'BATCH-CE-019': { path: 'Ce', build: (s) => new UnmanagedComputeEnvironment(s, 'Ce', { unmanagedvCpus: -1 }) },
  'BATCH-CE-020': {
    path: 'Ce',
    build: (s) => {
      const v = vpc(s);
      const securityGroups = [1, 2, 3, 4, 5, 6].map((i) => new ec2.SecurityGroup(s, `Sg${i}`, { vpc: v }));
      new FargateComputeEnvironment(s, 'Ce', { vpc: v, securityGroups });
    },
  },
  'BATCH-CE-021': { path: 'Ce', build: (s) => ec2Env(s, 'Ce', { updateTimeout: Duration.hours(7) }) },
  'BATCH-EKS-001': {
    path: 'Ce',
    build: (s) =>
      new ManagedEc2EksComputeEnvironment(s, 'Ce', {
        vpc: vpc(s),
        eksCluster: eks.Cluster.fromClusterAttributes(s, 'Cluster', { clusterName: 'batch-cluster' }),
        kubernetesNamespace: 'kube-system',
        instanceRole: new iam.Role(s, 'NodeRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') }),
      }),
  },
  'BATCH-JQ-001': { path: 'Queue', build: (s) => new JobQueue(s, 'Queue', { jobQueueName: 'bad name!' }) },
  'BATCH-JQ-003': { path: 'Queue', build: (s) => new JobQueue(s, 'Queue', { priority: 5000 }) },
  'BATCH-JQ-004': { path: 'Queue', build: (s) => new JobQueue(s, 'Queue') },
  'BATCH-JQ-005': {
    path: 'Queue',
    build: (s) =>
      queueOf(s, new FakeComputeEnvironment(s, 'A')).addComputeEnvironment(new FakeComputeEnvironment(s, 'B'), 1),
  },
  'BATCH-JQ-008': {
    path: 'Queue',
    build: (s) =>
      new JobQueue(s, 'Queue', {
        jobStateTimeLimitActions: [
          { maxTime: Duration.minutes(5), reason: TimeLimitReason.COMPUTE_ENVIRONMENT_MAX_RESOURCE },
        ],
      }),
  },
  'BATCH-SP-001': {
    path: 'Policy',
    build: (s) => new FairshareSchedulingPolicy(s, 'Policy', { schedulingPolicyName: 'bad name!' }),
  },
  'BATCH-SP-002': {
    path: 'Policy',
    build: (s) => new FairshareSchedulingPolicy(s, 'Policy', { shareDecay: Duration.millis(1500) }),
  },
  'BATCH-SP-003': {
    path: 'Policy',
    build: (s) => new FairshareSchedulingPolicy(s, 'Policy', { computeReservation: 150 }),
  },
  'BATCH-SP-004': {
    path: 'Policy',
    build: (s) =>
      new FairshareSchedulingPolicy(s, 'Policy', {
        shares: [
          { shareIdentifier: 'a', weightFactor: 1 },
          { shareIdentifier: 'a', weightFactor: 2 },
        ],
      }),
  },
  'BATCH-SP-005': {
    path: 'Policy',
    build: (s) =>
      new FairshareSchedulingPolicy(s, 'Policy', { shares: [{ shareIdentifier: 'a', weightFactor: 5000 }] }),
  },
  'BATCH-SP-006': {
    path: 'Policy',
    build: (s) => new FairshareSchedulingPolicy(s, 'Policy', { shares: [{ shareIdentifier: 'a b', weightFactor: 1 }] }),
  },
  'BATCH-LT-004': {
    path: 'Ce',
    build: (s) => {
      const userData = ec2.UserData.forLinux();
      userData.addCommands('echo hi');
      ec2Env(s, 'Ce', { launchTemplate: new ec2.LaunchTemplate(s, 'Lt', { userData }) });
    },
  },
  'BATCH-X-001': {
    path: 'Queue',
    build: (s) =>
      queueOf(
        s,
        new FakeComputeEnvironment(s, 'Ec2'),
        new FakeComputeEnvironment(s, 'Fargate', { platform: 'FARGATE' }),
      ),
  },
  'BATCH-X-002': {
    path: 'Queue',
    build: (s) =>
      queueOf(
        s,
        new FakeComputeEnvironment(s, 'X86', { architecture: 'x86_64' }),
        new FakeComputeEnvironment(s, 'Arm', { architecture: 'arm64' }),
      ),
  },
  'BATCH-X-003': {
    path: 'Job',
    build: (s) => {
      new JobQueue(s, 'Queue', {
        computeEnvironments: [
          { computeEnvironment: new FargateComputeEnvironment(s, 'Ce', { vpc: vpc(s) }), order: 1 },
        ],
      });
      job(s);
    },
  },
  'BATCH-X-005': {
    path: 'Mnp',
    build: (s) => {
      new JobQueue(s, 'Queue', {
        computeEnvironments: [
          { computeEnvironment: new FargateComputeEnvironment(s, 'Ce', { vpc: vpc(s) }), order: 1 },
        ],
      });
      new MultiNodeJobDefinition(s, 'Mnp', { containers: [{ startNode: 0, endNode: 1, container: ec2Container() }] });
    },
  },
  'BATCH-X-006': {
    path: 'Mnp',
    build: (s) => {
      new JobQueue(s, 'Queue', {
        computeEnvironments: [{ computeEnvironment: ec2Env(s, 'Ce', { spot: true }), order: 1 }],
      });
      new MultiNodeJobDefinition(s, 'Mnp', { containers: [{ startNode: 0, endNode: 1, container: ec2Container() }] });
    },
  },
};

/** Rule code → why no construct prop can break it (the typed API or the construct's rendering rules it out). */
const NO_CONSTRUCT_TRIGGER: Record<string, string> = {
  'BATCH-JD-002':
    'each job definition class renders exactly one of containerProperties, nodeProperties, ecsProperties, ' +
    'eksProperties',
  'BATCH-JD-010': 'JobVolume renders each volume with its own mount point',
  'BATCH-JD-019': 'MultiNodeJobDefinition sets one instanceType for every node range',
  'BATCH-JD-025': 'Fargate container options have no gpu',
  'BATCH-JD-028':
    'the EC2-only and Fargate-only options are separate types (Ec2ContainerOptions, FargateContainerOptions)',
  'BATCH-JD-029': 'Fargate containers always get the execution role',
  'BATCH-JD-030': 'containers always render vCPU and memory as resourceRequirements',
  'BATCH-JD-031': 'platformCapabilities is rendered from the container type, one entry',
  'BATCH-CE-002': 'type is fixed by the class (MANAGED or UNMANAGED)',
  'BATCH-CE-003': 'state is rendered from the boolean enabled',
  'BATCH-CE-004': 'computeResources are rendered by managed classes only',
  'BATCH-CE-005': 'computeResources.type is rendered from spot (EC2/SPOT, FARGATE/FARGATE_SPOT)',
  'BATCH-CE-006': 'subnets, security groups, instance role and instance types are always rendered',
  'BATCH-CE-007': 'FargateComputeEnvironment has no EC2-only props',
  'BATCH-CE-010': "Spot environments always get a Spot Fleet role (the stack's shared one by default)",
  'BATCH-CE-012':
    'BatchInstanceType.custom rejects a malformed name first (BATCHKIT-CDK-008; it has no construct path)',
  'BATCH-CE-013': 'info only: instance types outside the catalogue are listed, not reported',
  'BATCH-CE-015': 'a quota over the whole account; one construct holds one environment',
  'BATCH-CE-016': 'serviceRole is an IRole, rendered as its ARN',
  'BATCH-EKS-002': 'the cluster is an eks.ICluster, rendered as its ARN',
  'BATCH-EKS-003': 'ManagedEc2EksComputeEnvironment always renders eksConfiguration and EC2 or SPOT resources',
  'BATCH-EKS-004': 'EKS images are typed EksImageType, ECS images EcsImageType',
  'BATCH-JQ-002': 'state is rendered from the boolean enabled',
  'BATCH-JQ-006': 'environments are IComputeEnvironment references, rendered as their ARNs',
  'BATCH-JQ-007': 'environments are construct references, never names typed by hand',
  'BATCH-JQ-009': 'a quota over the whole account; one construct holds one queue',
  'BATCH-LT-001': 'the environment renders the launch template by id or by name, never both',
  'BATCH-LT-002': "the environment pins the template's own version attribute",
  'BATCH-LT-003': "the environment pins the template's own latest version",
  'BATCH-LT-005': 'the environment pins the version (BatchLaunchTemplate) or warns with BATCHKIT-CDK-W03',
  'BATCH-X-004': "constructs render instance types batchkit's catalogue knows or rejects (BATCHKIT-CDK-008)",
  'BATCH-X-007': 'BATCH-CE-020 rejects more than 5 security groups on every environment first',
};

/** What a construct reported: the error of construction or synth, or the warnings. */
function report(build: (stack: Stack) => void): string {
  const stack = newStack();
  try {
    build(stack);
    Template.fromStack(stack);
  } catch (e) {
    return (e as Error).message;
  }
  return Annotations.fromStack(stack)
    .findWarning('*', Match.anyValue())
    .map((w) => `${w.id}: ${String(w.entry.data)}`)
    .join('\n');
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

describe('one rule set: constructs report the core rules', () => {
  test('every rule of ALL_RULES is triggered through a construct prop or listed with the reason it cannot be', () => {
    const all = ALL_RULES.map((r) => r.code).sort();
    const listed = [...Object.keys(TRIGGERS), ...Object.keys(NO_CONSTRUCT_TRIGGER)].sort();
    expect(listed).toEqual(all);
    expect(Object.keys(TRIGGERS).filter((c) => c in NO_CONSTRUCT_TRIGGER)).toEqual([]);
    expect(Object.keys(TRIGGERS).length).toBeGreaterThanOrEqual(50);
  });

  test.each(Object.entries(TRIGGERS))(
    '%s: the construct reports the core code with its construct path',
    (code, { build, path: at }) => {
      const text = report(build);
      // `TestStack/Job: [CODE] ...` (construction), `[TestStack/Job] [CODE] ...` (synth) or
      // `/TestStack/Job: [CODE] ...` (warning); several findings may precede this one.
      const fullPath = `TestStack/${at}`;
      expect(text).toContain(`[${code}]`);
      expect(text).toMatch(
        new RegExp(
          `${escape(fullPath)}\\]?:? [^]*\\[${escape(code)}\\]|\\[${escape(code)}\\][^\\n]*${escape(fullPath)}`,
        ),
      );
    },
  );

  test("the pipeline checks each stage's SubmitJob with the core SubmitJob rules (BATCH-SJ-001, 004, 005)", () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ['BATCH-SJ-001', { name: '-x' }],
      ['BATCH-SJ-004', { name: 'a', sequential: true }],
      ['BATCH-SJ-005', { name: 'a', arraySize: 1 }],
    ];
    for (const [code, stage] of cases) {
      const text = report((s) => {
        const env = new BatchEnvironment(s, 'Env');
        new BatchPipeline(s, 'Pipe', {
          jobQueue: env.highPriorityQueue,
          stages: [{ jobDefinition: job(s), name: 'a', ...stage }],
        });
      });
      expect(text).toMatch(new RegExp(`^TestStack/Pipe: \\[${code}\\] SubmitJob`));
    }
  });

  test('no construct code of the old per-construct spaces remains in lib/constructs', () => {
    const root = path.join(__dirname, '../../lib/constructs');
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const p = path.join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts')) files.push(p);
      }
    };
    walk(root);
    expect(files.length).toBeGreaterThan(30);
    const old = files.filter((f) => /BATCHKIT-(JD|JQ|CE|LT|SP|VPC|PAT|PIPE)-/.test(readFileSync(f, 'utf8')));
    expect(old).toEqual([]);
  });
});
