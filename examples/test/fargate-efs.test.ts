import { App } from 'aws-cdk-lib';
import { FargateEfsStack } from '../fargate-efs/stack';
import { batchFindings, LocalBatch, templateSnapshot } from '../../lib/testing';

const stack = new FargateEfsStack(new App(), 'FargateEfs');

test('no findings; the template matches its snapshot', () => {
  expect(batchFindings(stack).errors).toEqual([]);
  expect(templateSnapshot(stack)).toMatchSnapshot();
});

test('the Fargate writer job runs and writes to its shared volume', async () => {
  const local = await LocalBatch.fromStack(stack, {
    maxVcpus: 2,
    maxMemoryMiB: 4096,
    imageOverrides: { 'public.ecr.aws/amazonlinux/amazonlinux:2023': 'local/busybox:test' },
  });
  try {
    const job = await local.runJob({ jobQueue: stack.batch.highPriorityQueue, jobDefinition: stack.jobDefinition });
    expect(job.status).toBe('SUCCEEDED');
    expect(job.platformCapabilities).toEqual(['FARGATE']);
    expect(await job.logs()).toMatch(/^\w{3} \w{3} +\d+ [\d:]+ \w+ \d{4}\n$/);
  } finally {
    await local.close();
  }
}, 120_000);
