/**
 * Shared test fixtures: CDK apps built only with aws-cdk-lib's own `aws-batch` constructs,
 * synthesized into a temporary cloud assembly (`cdk.out`-like directory).
 *
 * Synthesis is slow (seconds): build one app per test file in `beforeAll` and assert many things on it.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App, Duration, NestedStack, Size, Stack, type StackProps } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';

/** A synthesized cloud assembly in a temp dir. */
export interface SynthesizedAssembly {
  /** The cloud assembly directory (holds `manifest.json`). */
  readonly outdir: string;
  /** Removes the temp dir (call it in `afterAll`). */
  readonly cleanup: () => void;
}

/** Names of the rich stack's parts, so tests can find them in the loaded model. */
export const RICH = {
  /** Artifact id and stack name. */
  stackName: 'BatchkitRichStack',
  /** Nested stack construct id. */
  nestedId: 'Nested',
  /** Physical name given to the on-demand managed EC2 compute environment. */
  onDemandCeName: 'rich-ondemand-ce',
  /** Physical name of the main job queue. */
  queueName: 'rich-queue',
  /** Physical name of the EC2 job definition. */
  ec2JobDefName: 'rich-ec2-job',
  /** Physical name of the scheduling policy. */
  schedulingPolicyName: 'rich-fairshare',
  /** Physical name of the nested stack's job definition. */
  nestedJobDefName: 'nested-job',
  /** Name of the SSM parameter used as a secret. */
  ssmParameterName: '/rich/db-password',
  /** Name of the launch template of the on-demand compute environment. */
  launchTemplateName: 'rich-lt',
  /** Environment of the stack. */
  account: '111122223333',
  region: 'eu-west-1',
} as const;

/** Creates a temp dir holding a tiny Docker build context (`Dockerfile` + `hello.sh`). */
export function writeDockerContext(parent: string, name = 'image'): string {
  const dir = path.join(parent, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'Dockerfile'),
    'FROM local/busybox:test\nCOPY hello.sh /hello.sh\nCMD ["sh", "/hello.sh"]\n',
  );
  writeFileSync(path.join(dir, 'hello.sh'), 'echo hello from asset\n');
  return dir;
}

/**
 * A stack using every `aws-batch` L2 batchkit reads: managed EC2 on-demand and spot, Fargate and
 * unmanaged compute environments, a fair-share queue with a time-limit action, an EC2 job definition
 * (asset image, secrets from Secrets Manager and SSM, EFS and host volumes, retry strategies,
 * timeout), a Fargate job definition, a multi-node job definition, and a nested stack with its own
 * queue and job definition that receives a parameter from the parent.
 */
export function buildRichBatchApp(outdir: string, contextDir: string): App {
  const app = new App({ outdir, analyticsReporting: false, context: { 'aws:cdk:enable-path-metadata': true } });
  const props: StackProps = { env: { account: RICH.account, region: RICH.region } };
  const stack = new Stack(app, RICH.stackName, props);

  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  const userData = new ec2.MultipartUserData();
  userData.addUserDataPart(ec2.UserData.forLinux(), ec2.MultipartBody.SHELL_SCRIPT, true);
  userData.addCommands('echo rich > /etc/rich');
  const launchTemplate = new ec2.LaunchTemplate(stack, 'LaunchTemplate', {
    launchTemplateName: RICH.launchTemplateName,
    requireImdsv2: true,
    userData,
    blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(50, { encrypted: true }) }],
  });
  const onDemand = new batch.ManagedEc2EcsComputeEnvironment(stack, 'OnDemandCE', {
    vpc,
    launchTemplate,
    computeEnvironmentName: RICH.onDemandCeName,
    maxvCpus: 64,
    minvCpus: 0,
    instanceTypes: [ec2.InstanceType.of(ec2.InstanceClass.M5, ec2.InstanceSize.LARGE)],
    useOptimalInstanceClasses: false,
    terminateOnUpdate: false,
    updateTimeout: Duration.minutes(30),
  });
  const spot = new batch.ManagedEc2EcsComputeEnvironment(stack, 'SpotCE', {
    vpc,
    spot: true,
    spotBidPercentage: 60,
    maxvCpus: 32,
  });
  const fargate = new batch.FargateComputeEnvironment(stack, 'FargateCE', { vpc, maxvCpus: 16 });
  new batch.UnmanagedComputeEnvironment(stack, 'UnmanagedCE', { unmanagedvCpus: 8 });

  const policy = new batch.FairshareSchedulingPolicy(stack, 'Fairshare', {
    schedulingPolicyName: RICH.schedulingPolicyName,
    computeReservation: 10,
    shareDecay: Duration.hours(1),
    shares: [
      { shareIdentifier: 'teamA', weightFactor: 0.5 },
      { shareIdentifier: 'teamB*', weightFactor: 2 },
    ],
  });
  new batch.JobQueue(stack, 'Queue', {
    jobQueueName: RICH.queueName,
    priority: 10,
    schedulingPolicy: policy,
    computeEnvironments: [
      { computeEnvironment: onDemand, order: 1 },
      { computeEnvironment: spot, order: 2 },
    ],
    jobStateTimeLimitActions: [
      {
        maxTime: Duration.minutes(30),
        reason: batch.JobStateTimeLimitActionsReason.INSUFFICIENT_INSTANCE_CAPACITY,
      },
    ],
  });
  new batch.JobQueue(stack, 'FargateQueue', {
    priority: 1,
    enabled: false,
    computeEnvironments: [{ computeEnvironment: fargate, order: 1 }],
  });

  const fileSystem = new efs.FileSystem(stack, 'Efs', { vpc });
  const secret = new secretsmanager.Secret(stack, 'ApiSecret');
  const param = ssm.StringParameter.fromSecureStringParameterAttributes(stack, 'DbPassword', {
    parameterName: RICH.ssmParameterName,
  });
  new batch.EcsJobDefinition(stack, 'Ec2JobDef', {
    jobDefinitionName: RICH.ec2JobDefName,
    parameters: { inputFile: 's3://bucket/in.csv' },
    retryAttempts: 3,
    retryStrategies: [
      batch.RetryStrategy.of(batch.Action.EXIT, batch.Reason.CANNOT_PULL_CONTAINER),
      batch.RetryStrategy.of(batch.Action.RETRY, batch.Reason.custom({ onExitCode: '137' })),
    ],
    timeout: Duration.minutes(10),
    schedulingPriority: 5,
    container: new batch.EcsEc2ContainerDefinition(stack, 'Ec2Container', {
      image: ecs.ContainerImage.fromAsset(contextDir),
      cpu: 2,
      memory: Size.mebibytes(2048),
      gpu: 1,
      command: ['sh', '/hello.sh', 'Ref::inputFile'],
      environment: { STAGE: 'test', REGION_NAME: stack.region },
      privileged: true,
      ulimits: [{ name: batch.UlimitName.NOFILE, softLimit: 1024, hardLimit: 4096 }],
      secrets: {
        API_KEY: batch.Secret.fromSecretsManager(secret, 'key'),
        DB_PASSWORD: batch.Secret.fromSsmParameter(param),
      },
      volumes: [
        batch.EcsVolume.efs({
          name: 'shared',
          fileSystem,
          containerPath: '/mnt/shared',
          rootDirectory: '/data',
          enableTransitEncryption: true,
          useJobRole: true,
        }),
        batch.EcsVolume.host({ name: 'scratch', hostPath: '/tmp/scratch', containerPath: '/scratch' }),
      ],
    }),
  });
  new batch.EcsJobDefinition(stack, 'FargateJobDef', {
    container: new batch.EcsFargateContainerDefinition(stack, 'FargateContainer', {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:latest'),
      cpu: 0.25,
      memory: Size.mebibytes(512),
      assignPublicIp: true,
      fargatePlatformVersion: ecs.FargatePlatformVersion.VERSION1_4,
      ephemeralStorageSize: Size.gibibytes(30),
      fargateCpuArchitecture: ecs.CpuArchitecture.ARM64,
      secrets: { API_KEY: batch.Secret.fromSecretsManager(secret) },
    }),
  });
  new batch.MultiNodeJobDefinition(stack, 'MultiNodeJobDef', {
    instanceType: ec2.InstanceType.of(ec2.InstanceClass.C5, ec2.InstanceSize.XLARGE),
    mainNode: 0,
    containers: [
      {
        startNode: 0,
        endNode: 3,
        container: new batch.EcsEc2ContainerDefinition(stack, 'MnpContainer', {
          image: ecs.ContainerImage.fromRegistry('busybox'),
          cpu: 4,
          memory: Size.gibibytes(8),
          command: ['echo', 'node'],
        }),
      },
    ],
  });

  const nested = new NestedStack(stack, RICH.nestedId);
  new batch.JobQueue(nested, 'NestedQueue', {
    priority: 3,
    computeEnvironments: [{ computeEnvironment: onDemand, order: 1 }],
  });
  new batch.EcsJobDefinition(nested, 'NestedJobDef', {
    jobDefinitionName: RICH.nestedJobDefName,
    container: new batch.EcsEc2ContainerDefinition(nested, 'NestedContainer', {
      image: ecs.ContainerImage.fromRegistry('busybox'),
      cpu: 1,
      memory: Size.mebibytes(256),
      environment: { PARENT_CE: onDemand.computeEnvironmentArn },
    }),
  });
  return app;
}

/** Synthesizes {@link buildRichBatchApp} into a fresh temp dir (a few seconds). */
export function synthRichBatchApp(): SynthesizedAssembly {
  const root = mkdtempSync(path.join(tmpdir(), 'batchkit-rich-'));
  const outdir = path.join(root, 'cdk.out');
  const contextDir = writeDockerContext(root);
  buildRichBatchApp(outdir, contextDir).synth();
  return { outdir, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Options of {@link synthMinimalBatchApp}. */
export interface MinimalAppOptions {
  /** Stack name. @default 'BatchkitMinimalStack' */
  readonly stackName?: string;
  /**
   * Also add job definition `AssetJobDef` whose image is a docker image asset built from a tiny
   * Dockerfile (`FROM local/busybox:test`) written into the temp dir.
   * @default false
   */
  readonly withAssetImage?: boolean;
}

/**
 * A minimal environment-agnostic stack: one Fargate compute environment, queue and job definition
 * (image `local/busybox:test`, command `echo hello`): a quick fixture for CLI and executor tests.
 */
export function synthMinimalBatchApp(options: MinimalAppOptions = {}): SynthesizedAssembly {
  const root = mkdtempSync(path.join(tmpdir(), 'batchkit-min-'));
  const outdir = path.join(root, 'cdk.out');
  const app = new App({ outdir, analyticsReporting: false, context: { 'aws:cdk:enable-path-metadata': true } });
  const stack = new Stack(app, options.stackName ?? 'BatchkitMinimalStack');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 });
  const ce = new batch.FargateComputeEnvironment(stack, 'CE', { vpc, maxvCpus: 4 });
  new batch.JobQueue(stack, 'Queue', { priority: 1, computeEnvironments: [{ computeEnvironment: ce, order: 1 }] });
  new batch.EcsJobDefinition(stack, 'JobDef', {
    container: new batch.EcsFargateContainerDefinition(stack, 'Container', {
      image: ecs.ContainerImage.fromRegistry('local/busybox:test'),
      cpu: 0.5,
      memory: Size.mebibytes(1024),
      command: ['echo', 'hello'],
    }),
  });
  if (options.withAssetImage) {
    new batch.EcsJobDefinition(stack, 'AssetJobDef', {
      container: new batch.EcsFargateContainerDefinition(stack, 'AssetContainer', {
        image: ecs.ContainerImage.fromAsset(writeDockerContext(root), {
          buildArgs: { GREETING: 'hi' },
          target: 'final',
        }),
        cpu: 0.25,
        memory: Size.mebibytes(512),
      }),
    });
  }
  app.synth();
  return { outdir, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
