import { App } from 'aws-cdk-lib';
import { SpotRetryStack } from '../spot-retry/stack';
import { batchFindings, LocalBatch, templateSnapshot } from '../../lib/testing';

const stack = new SpotRetryStack(new App(), 'SpotRetry');

test('no findings; the template matches its snapshot', () => {
  expect(batchFindings(stack).errors).toEqual([]);
  expect(templateSnapshot(stack)).toMatchSnapshot();
});

test('one attempt on Docker; a non-zero exit is not retried (only Spot reclaims are)', async () => {
  const local = await LocalBatch.fromStack(stack, {
    maxVcpus: 2,
    maxMemoryMiB: 8192,
    imageOverrides: { 'public.ecr.aws/amazonlinux/amazonlinux:2023': 'local/busybox:test' },
  });
  try {
    const queue = stack.batch.highPriorityQueue;
    const ok = await local.runJob({
      jobQueue: queue,
      jobDefinition: stack.jobDefinition,
      containerOverrides: { command: ['sh', '-c', 'echo attempt $AWS_BATCH_JOB_ATTEMPT'] },
    });
    expect(ok.status).toBe('SUCCEEDED');
    expect(await ok.logs()).toBe('attempt 1\n');
    const failing = await local.runJob({
      jobQueue: queue,
      jobDefinition: stack.jobDefinition,
      containerOverrides: { command: ['sh', '-c', 'exit 3'] },
    });
    expect(failing.status).toBe('FAILED');
    expect(failing.attempts?.map((a) => a.container?.exitCode)).toEqual([3]);
  } finally {
    await local.close();
  }
}, 120_000);
