import { CfnParameter, Duration, Size, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import {
  Action,
  ContainerJobDefinition,
  FargateCpuArchitecture,
  FargatePlatformVersion,
  JobContainer,
  JobImage,
  JobLogging,
  JobRetryStrategy,
  Reason,
  ResourceRetentionPolicy,
  UlimitName,
} from '../../../lib/constructs/job';
import { newStack } from './_fixtures';

const image = JobImage.fromRegistry('public.ecr.aws/docker/library/busybox:1.36');

function ec2Job(extra: Partial<Parameters<typeof JobContainer.ec2>[0]> = {}, props: Record<string, unknown> = {}) {
  const stack = newStack();
  const jd = new ContainerJobDefinition(stack, 'Job', {
    container: JobContainer.ec2({ image, cpu: 2, memory: Size.gibibytes(4), ...extra }),
    ...props,
  });
  return { stack, jd, template: Template.fromStack(stack) };
}

describe('ContainerJobDefinition rendering', () => {
  test(
    'an EC2 container renders vCPU and memory as resourceRequirements, EC2 ' +
      'capability and the shared execution role',
    () => {
      const { template } = ec2Job();
      template.hasResourceProperties('AWS::Batch::JobDefinition', {
        Type: 'container',
        PlatformCapabilities: ['EC2'],
        ContainerProperties: {
          Image: 'public.ecr.aws/docker/library/busybox:1.36',
          ResourceRequirements: [
            { Type: 'VCPU', Value: '2' },
            { Type: 'MEMORY', Value: '4096' },
          ],
          ExecutionRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BatchJobExecutionRole'), 'Arn'] },
          Vcpus: Match.absent(),
          Memory: Match.absent(),
        },
        JobDefinitionName: Match.absent(),
        RetryStrategy: Match.absent(),
        Timeout: Match.absent(),
      });
    },
  );

  test('GPU, privileged, ulimits, user, read-only root and linuxParameters render as Batch fields', () => {
    const { template } = ec2Job({
      gpu: 1,
      privileged: true,
      user: '1000:1000',
      readonlyRootFilesystem: true,
      ulimits: [{ name: UlimitName.NOFILE, softLimit: 1024, hardLimit: 4096 }],
      linuxParameters: {
        initProcessEnabled: true,
        sharedMemorySize: Size.mebibytes(256),
        maxSwap: Size.gibibytes(1),
        swappiness: 10,
        devices: [{ hostPath: '/dev/fuse', permissions: ['READ', 'WRITE'] }],
        tmpfs: [{ containerPath: '/scratch', size: Size.mebibytes(512), mountOptions: ['noexec'] }],
      },
    });
    template.hasResourceProperties('AWS::Batch::JobDefinition', {
      ContainerProperties: {
        ResourceRequirements: [
          { Type: 'VCPU', Value: '2' },
          { Type: 'MEMORY', Value: '4096' },
          { Type: 'GPU', Value: '1' },
        ],
        Privileged: true,
        User: '1000:1000',
        ReadonlyRootFilesystem: true,
        Ulimits: [{ Name: 'nofile', SoftLimit: 1024, HardLimit: 4096 }],
        LinuxParameters: {
          InitProcessEnabled: true,
          SharedMemorySize: 256,
          MaxSwap: 1024,
          Swappiness: 10,
          Devices: [{ HostPath: '/dev/fuse', Permissions: ['READ', 'WRITE'] }],
          Tmpfs: [{ ContainerPath: '/scratch', Size: 512, MountOptions: ['noexec'] }],
        },
      },
    });
  });

  test('command, environment and parameters render; Ref:: placeholders declared as parameters pass', () => {
    const { template } = ec2Job(
      { command: ['process', 'Ref::input', '--out', 'Ref::output'], environment: { STAGE: 'prod' } },
      { parameters: { input: 's3://in' }, requiredParameters: ['output'] },
    );
    template.hasResourceProperties('AWS::Batch::JobDefinition', {
      Parameters: { input: 's3://in' },
      ContainerProperties: {
        Command: ['process', 'Ref::input', '--out', 'Ref::output'],
        Environment: [{ Name: 'STAGE', Value: 'prod' }],
      },
    });
  });

  test('a Fargate container renders FARGATE capability, platform LATEST, no public IP and its runtime options', () => {
    const stack = newStack();
    new ContainerJobDefinition(stack, 'Job', {
      container: JobContainer.fargate({
        image,
        cpu: 0.25,
        memory: Size.mebibytes(512),
        ephemeralStorage: Size.gibibytes(50),
        cpuArchitecture: FargateCpuArchitecture.ARM64,
        initProcessEnabled: true,
      }),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Batch::JobDefinition', {
      PlatformCapabilities: ['FARGATE'],
      ContainerProperties: {
        ResourceRequirements: [
          { Type: 'VCPU', Value: '0.25' },
          { Type: 'MEMORY', Value: '512' },
        ],
        NetworkConfiguration: { AssignPublicIp: 'DISABLED' },
        FargatePlatformConfiguration: { PlatformVersion: 'LATEST' },
        EphemeralStorage: { SizeInGiB: 50 },
        RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
        LinuxParameters: { InitProcessEnabled: true },
      },
    });
  });

  test('assignPublicIp and an explicit platform version render as given', () => {
    const stack = newStack();
    new ContainerJobDefinition(stack, 'Job', {
      container: JobContainer.fargate({
        image,
        cpu: 1,
        memory: Size.gibibytes(2),
        assignPublicIp: true,
        platformVersion: FargatePlatformVersion.VERSION1_4,
      }),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Batch::JobDefinition', {
      ContainerProperties: {
        NetworkConfiguration: { AssignPublicIp: 'ENABLED' },
        FargatePlatformConfiguration: { PlatformVersion: '1.4.0' },
      },
    });
  });

  test('retry strategies render evaluateOnExit in order; attempts default to 2 when one of them retries', () => {
    const { template } = ec2Job(
      {},
      {
        retryStrategies: [
          JobRetryStrategy.of(Action.RETRY, Reason.SPOT_INSTANCE_RECLAIMED),
          JobRetryStrategy.of(Action.EXIT, Reason.custom({ onExitCode: '4*' })),
        ],
      },
    );
    template.hasResourceProperties('AWS::Batch::JobDefinition', {
      RetryStrategy: {
        Attempts: 2,
        EvaluateOnExit: [
          { Action: 'RETRY', OnStatusReason: 'Host EC2*' },
          { Action: 'EXIT', OnExitCode: '4*' },
        ],
      },
    });
  });

  test(
    'retryAttempts, timeout, schedulingPriority, propagateTags, tags, name ' + 'and SkipDeregisterOnUpdate render',
    () => {
      const { template } = ec2Job(
        {},
        {
          jobDefinitionName: 'nightly-etl',
          retryAttempts: 3,
          timeout: Duration.minutes(90),
          schedulingPriority: 50,
          propagateTags: true,
          tags: { team: 'data' },
          retentionPolicy: ResourceRetentionPolicy.SKIP_DEREGISTER_ON_UPDATE,
        },
      );
      template.hasResourceProperties('AWS::Batch::JobDefinition', {
        JobDefinitionName: 'nightly-etl',
        RetryStrategy: { Attempts: 3, EvaluateOnExit: Match.absent() },
        Timeout: { AttemptDurationSeconds: 5400 },
        SchedulingPriority: 50,
        PropagateTags: true,
        Tags: { team: 'data' },
        ResourceRetentionPolicy: { SkipDeregisterOnUpdate: true },
      });
    },
  );

  test('DEREGISTER_ON_UPDATE renders SkipDeregisterOnUpdate false', () => {
    const { template } = ec2Job({}, { retentionPolicy: ResourceRetentionPolicy.DEREGISTER_ON_UPDATE });
    template.hasResourceProperties('AWS::Batch::JobDefinition', {
      ResourceRetentionPolicy: { SkipDeregisterOnUpdate: false },
    });
  });

  test('awslogs with a log group renders its options and grants the execution role write on it', () => {
    const stack = newStack();
    const logGroup = new logs.LogGroup(stack, 'Logs', { logGroupName: '/batch/etl' });
    new ContainerJobDefinition(stack, 'Job', {
      container: JobContainer.ec2({
        image,
        cpu: 1,
        memory: Size.gibibytes(1),
        logging: JobLogging.awsLogs({ logGroup, streamPrefix: 'etl' }),
      }),
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Batch::JobDefinition', {
      ContainerProperties: {
        LogConfiguration: {
          LogDriver: 'awslogs',
          Options: {
            'awslogs-group': { Ref: Match.stringLikeRegexp('^Logs') },
            'awslogs-region': 'us-east-1',
            'awslogs-stream-prefix': 'etl',
          },
        },
      },
    });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Logs'), 'Arn'] },
          }),
        ]),
      },
    });
  });

  test('a custom log driver renders its options', () => {
    const { template } = ec2Job({ logging: JobLogging.custom('json-file', { 'max-size': '10m' }) });
    template.hasResourceProperties('AWS::Batch::JobDefinition', {
      ContainerProperties: { LogConfiguration: { LogDriver: 'json-file', Options: { 'max-size': '10m' } } },
    });
  });

  test('a job role and an explicit execution role are used as given; no shared role is created then', () => {
    const stack = newStack();
    const jobRole = new iam.Role(stack, 'JobRole', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    const executionRole = new iam.Role(stack, 'ExecRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
    });
    new ContainerJobDefinition(stack, 'Job', {
      container: JobContainer.ec2({ image, cpu: 1, memory: Size.gibibytes(1), jobRole, executionRole }),
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Batch::JobDefinition', {
      ContainerProperties: {
        JobRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^JobRole'), 'Arn'] },
        ExecutionRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ExecRole'), 'Arn'] },
      },
    });
    t.resourceCountIs('AWS::IAM::Role', 2);
  });

  test('many job definitions share ONE execution role: one resource per job definition', () => {
    const stack = newStack();
    for (let i = 0; i < 25; i++) {
      new ContainerJobDefinition(stack, `Job${i}`, {
        container: JobContainer.ec2({ image, cpu: 1, memory: Size.gibibytes(1) }),
      });
    }
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::Batch::JobDefinition', 25);
    t.resourceCountIs('AWS::IAM::Role', 1);
    t.resourceCountIs('AWS::IAM::Policy', 1);
  });

  test('the model exposes the rendered definition in the Batch API shape', () => {
    const { jd } = ec2Job({ command: ['echo', 'hi'] });
    expect(jd.platform).toBe('EC2');
    expect(jd.model.type).toBe('container');
    expect(jd.model.jobDefinitionName).toBe('Job');
    expect(jd.model.containerProperties?.command).toEqual(['echo', 'hi']);
    expect(jd.model.platformCapabilities).toEqual(['EC2']);
  });
});

describe('ContainerJobDefinition validation', () => {
  const make =
    (container: JobContainer, props: Record<string, unknown> = {}) =>
    () =>
      new ContainerJobDefinition(newStack(), 'Job', { container, ...props });

  test(
    'Fargate cpu: 256 (CPU units, as in the aws-cdk-lib README) is rejected ' + 'with the core rule and the vCPU fix',
    () => {
      expect(make(JobContainer.fargate({ image, cpu: 256, memory: Size.mebibytes(512) }))).toThrow(
        new RegExp(
          String.raw`TestStack\/Job: \[BATCH-JD-024\] JobDefinition "Job" contain` +
            String.raw`erProperties\.resourceRequirements\[0\]\.value: Fargate does` +
            String.raw` not offer this number of vCPUs\. Got: "256"\. Allowed: 0\.2` +
            String.raw`5, 0\.5, 1, 2, 4, 8, 16\. Fix: .*512 MiB: 0\.25`,
        ),
      );
    },
  );

  test('fractional vCPUs on EC2 are rejected', () => {
    expect(make(JobContainer.ec2({ image, cpu: 0.5, memory: Size.gibibytes(1) }))).toThrow(
      new RegExp(
        String.raw`TestStack\/Job: \[BATCH-JD-004\] JobDefinition "Job" contain` +
          String.raw`erProperties\.resourceRequirements\[0\]\.value: .*whole numb` +
          String.raw`er.*Got: "0\.5"`,
      ),
    );
  });

  test('an AWS_BATCH environment variable is rejected', () => {
    expect(
      make(JobContainer.ec2({ image, cpu: 1, memory: Size.gibibytes(1), environment: { AWS_BATCH_JOB_ID: 'x' } })),
    ).toThrow(
      new RegExp(
        String.raw`TestStack\/Job: \[BATCH-JD-008\] JobDefinition "Job" contain` +
          String.raw`erProperties\.environment\[0\]\.name: .*AWS_BATCH prefix.*Go` +
          String.raw`t: "AWS_BATCH_JOB_ID"`,
      ),
    );
  });

  test('a Ref:: placeholder that is not declared is rejected, naming the declared ones', () => {
    expect(
      make(JobContainer.ec2({ image, cpu: 1, memory: Size.gibibytes(1), command: ['run', 'Ref::inputt'] }), {
        parameters: { input: 'a' },
      }),
    ).toThrow(
      new RegExp(
        String.raw`TestStack\/Job: \[BATCHKIT-CDK-006\] containerProperties\.co` +
          String.raw`mmand uses Ref::inputt, which is not a declared parameter.*A` +
          String.raw`llowed: input\. Fix: add inputt to parameters`,
      ),
    );
  });

  test('more than 5 retry strategies are rejected', () => {
    const six = Array.from({ length: 6 }, (_, i) =>
      JobRetryStrategy.of(Action.RETRY, Reason.custom({ onExitCode: `${i}` })),
    );
    expect(make(JobContainer.ec2({ image, cpu: 1, memory: Size.gibibytes(1) }), { retryStrategies: six })).toThrow(
      new RegExp(
        String.raw`TestStack\/Job: \[BATCH-JD-022\] JobDefinition "Job" retrySt` +
          String.raw`rategy\.evaluateOnExit: .*6 evaluateOnExit entries\. Got: 6\.` +
          String.raw` Allowed: at most 5 entries`,
      ),
    );
  });

  test.each([0, 11, 2.5])('retryAttempts %p is rejected', (n) => {
    expect(make(JobContainer.ec2({ image, cpu: 1, memory: Size.gibibytes(1) }), { retryAttempts: n })).toThrow(
      new RegExp(
        `TestStack/Job: \\[BATCH-JD-006\\] JobDefinition "Job" ` +
          `retryStrategy\\.attempts: .*Got: ${n}\\. Allowed: an integer from 1 to 10`,
      ),
    );
  });

  test.each([Duration.seconds(30), Duration.millis(90_500)])('timeout %s is rejected', (timeout) => {
    expect(make(JobContainer.ec2({ image, cpu: 1, memory: Size.gibibytes(1) }), { timeout })).toThrow(
      new RegExp(
        `TestStack/Job: \\[BATCH-JD-007\\] JobDefinition "Job" timeout\\.attemptDurationSeconds: .*Got: ` +
          `${timeout.toMilliseconds() / 1000}\\. Allowed: an integer >= 60`,
      ),
    );
  });

  test(
    'the core rules run at synth: a Fargate memory size not allowed with ' +
      'its vCPUs fails with a BATCH-JD rule code',
    () => {
      expect(make(JobContainer.fargate({ image, cpu: 1, memory: Size.mebibytes(512) }))).toThrow(
        /TestStack\/Job: \[BATCH-JD-\d{3}\] JobDefinition "Job".*512/,
      );
    },
  );

  test('a core-rule warning (an undefaulted Ref:: placeholder) becomes an annotation with its rule code', () => {
    const stack = newStack();
    new ContainerJobDefinition(stack, 'Job', {
      container: JobContainer.ec2({ image, cpu: 1, memory: Size.gibibytes(1), command: ['run', 'Ref::output'] }),
      requiredParameters: ['output'],
    });
    const warnings = Annotations.fromStack(stack).findWarning(
      '/TestStack/Job',
      Match.stringLikeRegexp('Ref::output|output'),
    );
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    expect(String(warnings[0].entry.data)).toMatch(/^\[BATCH-JD-\d{3}\] JobDefinition "Job"/);
  });

  test('validation skips unresolved values: a token vCPU count passes the construct and rule checks', () => {
    const stack = newStack();
    const cpu = Token.asNumber(new CfnParameter(stack, 'Cpu', { type: 'Number' }).valueAsNumber);
    expect(
      () =>
        new ContainerJobDefinition(stack, 'Job', {
          container: JobContainer.fargate({ image, cpu, memory: Size.gibibytes(2) }),
        }),
    ).not.toThrow();
    Template.fromStack(stack).hasResourceProperties('AWS::Batch::JobDefinition', {
      ContainerProperties: { ResourceRequirements: Match.arrayWith([{ Type: 'VCPU', Value: { Ref: 'Cpu' } }]) },
    });
  });
});
