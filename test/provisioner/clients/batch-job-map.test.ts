/** Job definitions and SubmitJob between the SDK and the model. */
import type * as batch from '@aws-sdk/client-batch';
import type { JobDefinition } from '../../../lib/core/model/job-definition';
import {
  jobDefinitionFromSdk,
  registerJobDefinitionInput,
  submitJobFromSdk,
} from '../../../lib/provisioner/clients/batch-job-map';
import { checkSubmitRequest } from '../../../lib/provisioner/submit/follow';

const container: JobDefinition = {
  jobDefinitionName: 'jd',
  type: 'container',
  parameters: { input: 's3://bucket/key' },
  schedulingPriority: 5,
  retryStrategy: {
    attempts: 3,
    evaluateOnExit: [
      { onExitCode: '137', action: 'RETRY' },
      { onReason: '*', action: 'EXIT' },
    ],
  },
  timeout: { attemptDurationSeconds: 600 },
  propagateTags: true,
  platformCapabilities: ['EC2'],
  tags: { 'batchkit:stack': 'S' },
  containerProperties: {
    image: 'public.ecr.aws/docker/library/busybox:latest',
    command: ['sh', '-c', 'echo Ref::input'],
    jobRoleArn: 'arn:aws:iam::123456789012:role/job',
    environment: [{ name: 'MODE', value: 'batch' }],
    resourceRequirements: [
      { type: 'VCPU', value: '2' },
      { type: 'MEMORY', value: '4096' },
    ],
    volumes: [
      { name: 'scratch', host: { sourcePath: '/scratch' } },
      { name: 'efs', efsVolumeConfiguration: { fileSystemId: 'fs-1', transitEncryption: 'ENABLED' } },
    ],
    mountPoints: [{ sourceVolume: 'scratch', containerPath: '/scratch', readOnly: false }],
    ulimits: [{ name: 'nofile', softLimit: 1024, hardLimit: 4096 }],
    linuxParameters: {
      initProcessEnabled: true,
      devices: [{ hostPath: '/dev/fuse', permissions: ['READ', 'WRITE'] }],
      tmpfs: [{ containerPath: '/tmp', size: 64 }],
    },
    logConfiguration: {
      logDriver: 'awslogs',
      options: { 'awslogs-group': '/batch/jd' },
      secretOptions: [{ name: 'token', valueFrom: 'arn:ssm' }],
    },
    secrets: [{ name: 'DB_PASSWORD', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db' }],
    readonlyRootFilesystem: true,
    user: 'nobody',
  },
};

describe('job definitions', () => {
  test('model → RegisterJobDefinition → DescribeJobDefinitions → model keeps every field', () => {
    const input = registerJobDefinitionInput('jd', container);
    const back = jobDefinitionFromSdk({
      ...input,
      jobDefinitionArn: 'arn:jd:1',
      revision: 1,
      status: 'ACTIVE',
      containerOrchestrationType: 'ECS',
    });
    expect(back).toEqual({
      ...container,
      jobDefinitionArn: 'arn:jd:1',
      revision: 1,
      status: 'ACTIVE',
      containerOrchestrationType: 'ECS',
    });
  });

  test('a multi-node definition keeps its node ranges', () => {
    const multinode: JobDefinition = {
      jobDefinitionName: 'mnp',
      type: 'multinode',
      nodeProperties: {
        numNodes: 3,
        mainNode: 0,
        nodeRangeProperties: [
          { targetNodes: '0', container: { image: 'main', resourceRequirements: [{ type: 'VCPU', value: '4' }] } },
          {
            targetNodes: '1:',
            container: { image: 'worker', logConfiguration: { logDriver: 'json-file' } },
            instanceTypes: ['c6i.large'],
          },
          {
            targetNodes: '2',
            ecsProperties: {
              taskProperties: [
                {
                  containers: [
                    { image: 'sidecar', essential: true, logConfiguration: { logDriver: 'awslogs' } },
                    { image: 'app', dependsOn: [{ containerName: 'sidecar', condition: 'START' }] },
                  ],
                },
              ],
            },
          },
        ],
      },
    };
    expect(
      jobDefinitionFromSdk({
        ...registerJobDefinitionInput('mnp', multinode),
        jobDefinitionArn: 'arn:mnp:1',
        revision: 1,
      }),
    ).toEqual({
      ...multinode,
      jobDefinitionArn: 'arn:mnp:1',
      revision: 1,
    });
  });

  test('a log driver AWS Batch does not accept is BATCHKIT-PROVISION-008, an input error naming the definition', () => {
    const bad: JobDefinition = {
      ...container,
      containerProperties: { image: 'x', logConfiguration: { logDriver: 'loki' } },
    };
    expect(() => registerJobDefinitionInput('jd', bad)).toThrow(
      expect.objectContaining({
        code: 'BATCHKIT-PROVISION-008',
        kind: 'input',
        message: expect.stringMatching(/job definition "jd": logConfiguration\.logDriver is "loki".*awslogs/),
      }),
    );
  });

  test(
    'an unknown job definition type from AWS is BATCHKIT-PROVISION-007; an ' +
      'unknown platform capability is left out',
    () => {
      const d: batch.JobDefinition = {
        jobDefinitionName: 'x',
        jobDefinitionArn: 'arn:x',
        revision: 1,
        type: 'serverless',
      };
      expect(() => jobDefinitionFromSdk(d)).toThrow(expect.objectContaining({ code: 'BATCHKIT-PROVISION-007' }));
      const caps = jobDefinitionFromSdk({
        ...d,
        type: 'container',
        platformCapabilities: ['FARGATE', 'LAMBDA' as batch.PlatformCapability],
      });
      expect(caps.platformCapabilities).toEqual(['FARGATE']);
    },
  );
});

describe('SubmitJob', () => {
  test('a request maps field by field, overrides included', () => {
    const request: batch.SubmitJobCommandInput = {
      jobName: 'nightly',
      jobQueue: 'q',
      jobDefinition: 'jd:3',
      arrayProperties: { size: 10 },
      dependsOn: [{ jobId: 'abc', type: 'N_TO_N' }],
      parameters: { day: 'mon' },
      containerOverrides: {
        command: ['run'],
        environment: [{ name: 'A', value: '1' }],
        resourceRequirements: [{ type: 'MEMORY', value: '2048' }],
      },
      retryStrategy: { attempts: 2 },
      timeout: { attemptDurationSeconds: 120 },
      tags: { k: 'v' },
      propagateTags: false,
    };
    expect(submitJobFromSdk(request)).toEqual(request);
  });

  test('the core SubmitJob rules see the mapped request', () => {
    expect(() =>
      checkSubmitRequest({
        jobName: 'ok',
        jobQueue: 'q',
        jobDefinition: 'jd',
        timeout: { attemptDurationSeconds: 10 },
      }),
    ).toThrow(expect.objectContaining({ code: 'BATCHKIT-PROVISION-006' }));
    expect(() => checkSubmitRequest({ jobName: 'ok', jobQueue: 'q', jobDefinition: 'jd' })).not.toThrow();
  });
});
