/**
 * The files of the pack test's consumer project: a CDK app's Jest test written against the
 * installed package only (`batchkit`, `batchkit/testing`), with the CDK app template's compiler
 * settings (module and moduleResolution NodeNext) and a second tsconfig for `moduleResolution: node`.
 */

/** tsconfig.json of `cdk init app --language typescript` (the settings that matter here). */
export const TSCONFIG_NODENEXT = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    lib: ['es2022'],
    strict: true,
    noEmit: true,
    isolatedModules: true,
    skipLibCheck: true,
    types: ['jest', 'node'],
  },
  include: ['test/**/*.ts'],
};

/**
 * Older projects: CommonJS with `moduleResolution: node`, which ignores `exports` (typesVersions
 * serves the subpaths). Checked on a small file that imports every entry point.
 */
export const TSCONFIG_NODE10 = {
  compilerOptions: {
    ...TSCONFIG_NODENEXT.compilerOptions,
    module: 'commonjs',
    moduleResolution: 'node',
    types: ['node'],
  },
  files: ['entries.ts'],
};

/** Every entry point, by name, for the `moduleResolution: node` check. */
export const ENTRIES_FILE = `import type { BatchkitError } from 'batchkit';
import type { ALL_RULES } from 'batchkit/core';
import type { LocalExecutor } from 'batchkit/local';
import type { createPlan } from 'batchkit/provisioner';
import type { LocalBatch } from 'batchkit/testing';
export type Entries = [BatchkitError, typeof ALL_RULES, LocalExecutor, typeof createPlan, LocalBatch];
`;

/** jest.config.js: ts-jest, as a CDK app's Jest set-up. */
export const JEST_CONFIG = `module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testTimeout: 60000,
};
`;

/** The user's test: one stack with batchkit's constructs, one with aws-cdk-lib/aws-batch only. */
export const CONSUMER_TEST = `import { App, Size, Stack } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type { Construct } from 'constructs';
import {
  BatchEnvironment,
  ContainerJobDefinition,
  JobContainer,
  JobImage,
  isJobStateChangeEvent,
  type JobQueue,
} from 'batchkit';
import { LocalBatch, batchFindings, templateSnapshot } from 'batchkit/testing';

class MyBatchStack extends Stack {
  readonly queue: JobQueue;
  readonly render: ContainerJobDefinition;
  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.queue = new BatchEnvironment(this, 'Batch').highPriorityQueue;
    this.render = new ContainerJobDefinition(this, 'Render', {
      parameters: { input: 'none' },
      container: JobContainer.ec2({
        image: JobImage.fromRegistry('local/busybox:test'),
        cpu: 1,
        memory: Size.mebibytes(64),
        command: ['sh', '-c', 'echo rendered Ref::input $AWS_BATCH_JOB_ARRAY_INDEX'],
      }),
    });
  }
}

class PlainStack extends Stack {
  readonly queue: batch.JobQueue;
  readonly hello: batch.EcsJobDefinition;
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 1, natGateways: 0 });
    const ce = new batch.ManagedEc2EcsComputeEnvironment(this, 'Ce', {
      vpc,
      maxvCpus: 4,
      useOptimalInstanceClasses: false,
      instanceTypes: [ec2.InstanceType.of(ec2.InstanceClass.M5, ec2.InstanceSize.LARGE)],
    });
    this.queue = new batch.JobQueue(this, 'Queue', { computeEnvironments: [{ computeEnvironment: ce, order: 1 }] });
    this.hello = new batch.EcsJobDefinition(this, 'Hello', {
      container: new batch.EcsEc2ContainerDefinition(this, 'Container', {
        image: ecs.ContainerImage.fromRegistry('local/busybox:test'),
        cpu: 1,
        memory: Size.mebibytes(64),
        command: ['echo', 'hello from aws-batch'],
      }),
    });
  }
}

const app = new App();
const stack = new MyBatchStack(app, 'Jobs');
const plain = new PlainStack(app, 'Plain');

test('batchkit constructs: findings, snapshot and an array job on Docker', async () => {
  expect(batchFindings(stack).errors).toEqual([]);
  const snapshot = templateSnapshot(stack);
  expect(JSON.stringify(snapshot)).not.toMatch(/BootstrapVersion|CDKMetadata/);
  expect(snapshot).toMatchSnapshot();
  const local = await LocalBatch.fromStack(stack, { maxVcpus: 2, maxMemoryMiB: 512 });
  try {
    const job = await local.runJob({
      jobQueue: stack.queue,
      jobDefinition: stack.render,
      arraySize: 3,
      parameters: { input: 's3://bucket/x' },
    });
    expect(job.status).toBe('SUCCEEDED');
    expect(await job.logs()).toBe('rendered s3://bucket/x 0\\nrendered s3://bucket/x 1\\nrendered s3://bucket/x 2\\n');
    expect(local.events.filter(isJobStateChangeEvent).map((e) => e.detail.status)).toContain('SUCCEEDED');
  } finally {
    await local.close();
  }
});

test('aws-cdk-lib/aws-batch only: the L2 constructs as arguments', async () => {
  expect(batchFindings(plain).errors).toEqual([]);
  const local = await LocalBatch.fromStack(plain, { maxVcpus: 2, maxMemoryMiB: 512 });
  try {
    const job = await local.runJob({ jobQueue: plain.queue, jobDefinition: plain.hello });
    expect([job.status, await job.logs()]).toEqual(['SUCCEEDED', 'hello from aws-batch\\n']);
  } finally {
    await local.close();
  }
});
`;
