/**
 * loadBatchModel on a cloud assembly synthesized from aws-cdk-lib's own aws-batch constructs.
 */
import { existsSync } from 'fs';
import * as path from 'path';
import { loadBatchModel } from '../../../lib/core/assembly';
import type { BatchModel } from '../../../lib/core/model/batch-model';
import { RICH, synthRichBatchApp, type SynthesizedAssembly } from '../../_helpers/aws-batch-stacks';

const ARN = `arn:aws:batch:${RICH.region}:${RICH.account}`;

let assembly: SynthesizedAssembly;
let model: BatchModel;

beforeAll(() => {
  assembly = synthRichBatchApp();
  model = loadBatchModel(assembly.outdir);
});
afterAll(() => assembly.cleanup());

function ce(logicalPrefix: string) {
  const found = model.computeEnvironments.find((c) => c.source?.logicalId?.startsWith(logicalPrefix));
  if (!found) throw new Error(`no compute environment ${logicalPrefix}`);
  return found;
}
function jd(logicalPrefix: string) {
  const found = model.jobDefinitions.find((j) => j.source?.logicalId?.startsWith(logicalPrefix));
  if (!found) throw new Error(`no job definition ${logicalPrefix}`);
  return found;
}
function queue(logicalPrefix: string) {
  const found = model.jobQueues.find((q) => q.source?.logicalId?.startsWith(logicalPrefix));
  if (!found) throw new Error(`no job queue ${logicalPrefix}`);
  return found;
}

describe('cloud assembly of aws-batch constructs', () => {
  test('takes account and region from the stack environment in the manifest', () => {
    expect(model.environment).toEqual({
      account: RICH.account,
      region: RICH.region,
      partition: 'aws',
      urlSuffix: 'amazonaws.com',
    });
  });

  test('reads every Batch resource of the stack and of its nested stack', () => {
    expect(model.computeEnvironments).toHaveLength(4);
    expect(model.jobQueues).toHaveLength(3);
    expect(model.jobDefinitions).toHaveLength(4);
    expect(model.schedulingPolicies).toHaveLength(1);
    expect(model.notes).toEqual([]);
  });

  test(
    'managed EC2 on-demand compute environment: physical name, ARN, ' + 'resources, launch template, update policy',
    () => {
      const c = ce('OnDemandCE');
      expect(c.computeEnvironmentName).toBe(RICH.onDemandCeName);
      expect(c.computeEnvironmentArn).toBe(`${ARN}:compute-environment/${RICH.onDemandCeName}`);
      expect(c.type).toBe('MANAGED');
      expect(c.state).toBe('ENABLED');
      expect(c.updatePolicy).toEqual({ jobExecutionTimeoutMinutes: 30, terminateJobsOnUpdate: false });
      const cr = c.computeResources!;
      expect(cr.type).toBe('EC2');
      expect(cr.allocationStrategy).toBe('BEST_FIT_PROGRESSIVE');
      expect(cr.maxvCpus).toBe(64);
      expect(cr.minvCpus).toBe(0);
      expect(cr.instanceTypes).toEqual(['m5.large']);
      expect(cr.subnets).toHaveLength(2);
      for (const s of cr.subnets) expect(s).toMatch(/^subnet-[0-9a-f]{17}$/);
      expect(cr.securityGroupIds![0]).toMatch(/^sg-[0-9a-f]{17}$/);
      expect(cr.instanceRole).toMatch(
        new RegExp(`^arn:aws:iam::${RICH.account}:instance-profile/OnDemandCEInstanceProfile7CC325AB-[0-9a-f]{12}$`),
      );
      expect(cr.launchTemplate?.launchTemplateId).toBe(model.launchTemplates[0].launchTemplateId);
      expect(c.source).toEqual({
        stack: RICH.stackName,
        logicalId: c.source!.logicalId,
        constructPath: `${RICH.stackName}/OnDemandCE/Resource`,
        file: path.join(assembly.outdir, `${RICH.stackName}.template.json`),
      });
    },
  );

  test('spot, Fargate and unmanaged compute environments get deterministic generated names', () => {
    const spot = ce('SpotCE');
    expect(spot.computeEnvironmentName).toMatch(/^SpotCEE59A5B75-[0-9a-f]{12}$/);
    expect(spot.computeResources).toMatchObject({
      type: 'SPOT',
      bidPercentage: 60,
      allocationStrategy: 'SPOT_PRICE_CAPACITY_OPTIMIZED',
      instanceTypes: ['optimal'],
    });
    expect(ce('FargateCE').computeResources).toMatchObject({ type: 'FARGATE', maxvCpus: 16 });
    expect(ce('FargateCE').computeResources?.instanceRole).toBeUndefined();
    const unmanaged = ce('UnmanagedCE');
    expect(unmanaged.type).toBe('UNMANAGED');
    expect(unmanaged.unmanagedvCpus).toBe(8);
    expect(unmanaged.serviceRole).toMatch(new RegExp(`^arn:aws:iam::${RICH.account}:role/UnmanagedCEBatchServiceRole`));
    expect(loadBatchModel(assembly.outdir).computeEnvironments.map((c) => c.computeEnvironmentName)).toEqual(
      model.computeEnvironments.map((c) => c.computeEnvironmentName),
    );
  });

  test('job queue: ordered compute environment ARNs, scheduling policy ARN, time-limit actions', () => {
    const q = queue('Queue');
    expect(q.jobQueueName).toBe(RICH.queueName);
    expect(q.jobQueueArn).toBe(`${ARN}:job-queue/${RICH.queueName}`);
    expect(q.priority).toBe(10);
    expect(q.state).toBe('ENABLED');
    expect(q.computeEnvironmentOrder).toEqual([
      { computeEnvironment: `${ARN}:compute-environment/${RICH.onDemandCeName}`, order: 1 },
      { computeEnvironment: ce('SpotCE').computeEnvironmentArn, order: 2 },
    ]);
    expect(q.schedulingPolicyArn).toBe(`${ARN}:scheduling-policy/${RICH.schedulingPolicyName}`);
    expect(q.jobStateTimeLimitActions).toEqual([
      { action: 'CANCEL', maxTimeSeconds: 1800, reason: 'CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY', state: 'RUNNABLE' },
    ]);
    expect(queue('FargateQueue').state).toBe('DISABLED');
  });

  test('fair-share scheduling policy', () => {
    expect(model.schedulingPolicies[0]).toMatchObject({
      name: RICH.schedulingPolicyName,
      arn: `${ARN}:scheduling-policy/${RICH.schedulingPolicyName}`,
      fairsharePolicy: {
        computeReservation: 10,
        shareDecaySeconds: 3600,
        shareDistribution: [
          { shareIdentifier: 'teamA', weightFactor: 0.5 },
          { shareIdentifier: 'teamB*', weightFactor: 2 },
        ],
      },
    });
  });

  test('EC2 job definition: resources, secrets, EFS and host volumes, retry strategy, timeout, parameters', () => {
    const j = jd('Ec2JobDef');
    expect(j.jobDefinitionName).toBe(RICH.ec2JobDefName);
    expect(j.jobDefinitionArn).toBe(`${ARN}:job-definition/${RICH.ec2JobDefName}:1`);
    expect(j).toMatchObject({
      revision: 1,
      status: 'ACTIVE',
      type: 'container',
      platformCapabilities: ['EC2'],
      schedulingPriority: 5,
    });
    expect(j.parameters).toEqual({ inputFile: 's3://bucket/in.csv' });
    expect(j.retryStrategy).toEqual({
      attempts: 3,
      evaluateOnExit: [
        { action: 'EXIT', onReason: 'CannotPullContainerError:*' },
        { action: 'RETRY', onExitCode: '137' },
      ],
    });
    expect(j.timeout).toEqual({ attemptDurationSeconds: 600 });
    const c = j.containerProperties!;
    expect(c.command).toEqual(['sh', '/hello.sh', 'Ref::inputFile']);
    expect(c.environment).toEqual([
      { name: 'STAGE', value: 'test' },
      { name: 'REGION_NAME', value: RICH.region },
    ]);
    expect(c.resourceRequirements).toEqual([
      { type: 'MEMORY', value: '2048' },
      { type: 'VCPU', value: '2' },
      { type: 'GPU', value: '1' },
    ]);
    expect(c.privileged).toBe(true);
    expect(c.readonlyRootFilesystem).toBe(false);
    expect(c.ulimits).toEqual([{ hardLimit: 4096, name: 'nofile', softLimit: 1024 }]);
    expect(c.secrets).toEqual([
      {
        name: 'API_KEY',
        valueFrom: expect.stringMatching(
          new RegExp(
            `^arn:aws:secretsmanager:${RICH.region}:` +
              `${RICH.account}:secret:ApiSecret852BEBBB-[0-9a-f]{12}-[0-9a-f]{6}:key::$`,
          ),
        ),
      },
      {
        name: 'DB_PASSWORD',
        valueFrom: `arn:aws:ssm:${RICH.region}:${RICH.account}:parameter${RICH.ssmParameterName}`,
      },
    ]);
    expect(c.volumes).toEqual([
      {
        name: 'shared',
        efsVolumeConfiguration: {
          fileSystemId: expect.stringMatching(/^fs-[0-9a-f]{17}$/),
          rootDirectory: '/data',
          transitEncryption: 'ENABLED',
          authorizationConfig: { iam: 'ENABLED' },
        },
      },
      { name: 'scratch', host: { sourcePath: '/tmp/scratch' } },
    ]);
    expect(c.mountPoints).toEqual([
      { containerPath: '/mnt/shared', sourceVolume: 'shared' },
      { containerPath: '/scratch', sourceVolume: 'scratch' },
    ]);
    const execRole = model.roles.find((r) => r.source?.logicalId?.startsWith('Ec2ContainerExecutionRole'));
    expect(c.executionRoleArn).toBe(execRole?.arn);
    expect(execRole?.trustedServices).toEqual(['ecs-tasks.amazonaws.com']);
  });

  test(
    'Fargate job definition: fractional vCPU, network, platform version, ' + 'ephemeral storage, ARM64, secret ARN',
    () => {
      const j = jd('FargateJobDef');
      expect(j.jobDefinitionName).toMatch(/^FargateJobDef08D72BD1-[0-9a-f]{12}$/);
      expect(j.platformCapabilities).toEqual(['FARGATE']);
      const c = j.containerProperties!;
      expect(c.image).toBe('public.ecr.aws/docker/library/busybox:latest');
      expect(c.resourceRequirements).toEqual([
        { type: 'MEMORY', value: '512' },
        { type: 'VCPU', value: '0.25' },
      ]);
      expect(c.networkConfiguration).toEqual({ assignPublicIp: 'ENABLED' });
      expect(c.fargatePlatformConfiguration).toEqual({ platformVersion: '1.4.0' });
      expect(c.ephemeralStorage).toEqual({ sizeInGiB: 30 });
      expect(c.runtimePlatform).toEqual({ cpuArchitecture: 'ARM64' });
      expect(c.secrets![0].valueFrom).toBe(
        jd('Ec2JobDef').containerProperties!.secrets![0].valueFrom.replace(/:key::$/, ''),
      );
    },
  );

  test('multi-node job definition: node properties and node range container', () => {
    const j = jd('MultiNodeJobDef');
    expect(j.type).toBe('multinode');
    expect(j.containerProperties).toBeUndefined();
    expect(j.nodeProperties).toMatchObject({ numNodes: 4, mainNode: 0 });
    expect(j.nodeProperties!.nodeRangeProperties).toHaveLength(1);
    expect(j.nodeProperties!.nodeRangeProperties[0]).toMatchObject({
      targetNodes: '0:3',
      container: {
        image: 'busybox',
        instanceType: 'c5.xlarge',
        command: ['echo', 'node'],
        resourceRequirements: [
          { type: 'MEMORY', value: '8192' },
          { type: 'VCPU', value: '4' },
        ],
      },
    });
  });

  test('docker image asset: the job definition image maps back to the asset directory', () => {
    expect(model.dockerImageAssets).toHaveLength(1);
    const asset = model.dockerImageAssets[0];
    const image = jd('Ec2JobDef').containerProperties!.image!;
    expect(image).toBe(
      `${RICH.account}.dkr.ecr.${RICH.region}.amazonaws.com/cdk-hnb659fds-container-assets-` +
        `${RICH.account}-${RICH.region}:${asset.hash}`,
    );
    expect(asset.imageUri).toBe(image);
    expect(asset.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(asset.localTag).toBe(`batchkit-asset:${asset.hash}`);
    expect(asset.directory).toBe(path.join(assembly.outdir, `asset.${asset.hash}`));
    expect(path.isAbsolute(asset.directory)).toBe(true);
    expect(existsSync(path.join(asset.directory, 'Dockerfile'))).toBe(true);
  });

  test('launch template: id, IMDSv2, encrypted block device, base64 MIME user data', () => {
    expect(model.launchTemplates).toHaveLength(1);
    const lt = model.launchTemplates[0];
    expect(lt.launchTemplateName).toBe(RICH.launchTemplateName);
    expect(lt.launchTemplateId).toMatch(/^lt-[0-9a-f]{17}$/);
    expect(lt.latestVersionNumber).toBe(1);
    expect(lt.httpTokens).toBe('required');
    expect(lt.blockDevices).toEqual([{ deviceName: '/dev/xvda', ebs: true, encrypted: true }]);
    const userData = Buffer.from(lt.userData!, 'base64').toString('utf8');
    expect(userData).toMatch(/^Content-Type: multipart\/mixed; boundary=/);
    expect(userData).toContain('text/x-shellscript');
  });

  test('instance profiles list their roles by name; roles list trusted services and managed policies', () => {
    const profile = model.instanceProfiles.find((p) => p.source?.logicalId?.startsWith('OnDemandCEInstanceProfile'))!;
    const role = model.roles.find((r) => r.source?.logicalId?.startsWith('OnDemandCEInstanceProfileRole'))!;
    expect(profile.arn).toBe(ce('OnDemandCE').computeResources!.instanceRole);
    expect(profile.roles).toEqual([role.roleName]);
    expect(role.trustedServices).toEqual(['ec2.amazonaws.com']);
    expect(role.managedPolicyArns).toEqual([
      'arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role',
    ]);
  });

  test('nested stack: loaded from its asset template with the parent passing a compute environment ARN', () => {
    const nestedJd = model.jobDefinitions.find((j) => j.jobDefinitionName === RICH.nestedJobDefName)!;
    expect(nestedJd.source?.stack).toMatch(new RegExp(`^${RICH.stackName}/NestedNestedStack`));
    expect(nestedJd.source?.file).toMatch(/\.nested\.template\.json$/);
    expect(nestedJd.source?.constructPath).toBe(`${RICH.stackName}/${RICH.nestedId}/NestedJobDef/Resource`);
    expect(nestedJd.containerProperties!.environment).toEqual([
      { name: 'PARENT_CE', value: `${ARN}:compute-environment/${RICH.onDemandCeName}` },
    ]);
    const nestedQueue = queue('NestedQueue');
    expect(nestedQueue.priority).toBe(3);
    expect(nestedQueue.computeEnvironmentOrder).toEqual([
      { computeEnvironment: `${ARN}:compute-environment/${RICH.onDemandCeName}`, order: 1 },
    ]);
  });

  test('options.stacks filters by artifact id; manifest.json path loads the same assembly', () => {
    const filtered = loadBatchModel(assembly.outdir, { stacks: [RICH.stackName] });
    expect(filtered.jobDefinitions).toHaveLength(4);
    const viaManifest = loadBatchModel(path.join(assembly.outdir, 'manifest.json'));
    expect(viaManifest.jobQueues.map((q) => q.jobQueueArn)).toEqual(model.jobQueues.map((q) => q.jobQueueArn));
  });

  test('a single template file of the assembly keeps its environment, nested stack and assets', () => {
    const single = loadBatchModel(path.join(assembly.outdir, `${RICH.stackName}.template.json`));
    expect(single.environment.account).toBe(RICH.account);
    expect(single.jobDefinitions.map((j) => j.jobDefinitionArn)).toEqual(
      model.jobDefinitions.map((j) => j.jobDefinitionArn),
    );
    expect(single.dockerImageAssets).toEqual(model.dockerImageAssets);
  });
});
