import { App } from 'aws-cdk-lib';
import { PlainAwsBatchStack } from '../plain-aws-batch/stack';
import { batchFindings, LocalBatch, templateSnapshot } from '../../lib/testing';

// The stack takes its image as a prop: the test gives it the local test image.
const stack = new PlainAwsBatchStack(new App(), 'PlainAwsBatch', { image: 'local/busybox:test' });

test('no findings; the template matches its snapshot', () => {
  expect(batchFindings(stack).errors).toEqual([]);
  expect(templateSnapshot(stack)).toMatchSnapshot();
});

test('the aws-cdk-lib/aws-batch job runs with its parameter, by queue and definition name', async () => {
  const local = await LocalBatch.fromStack(stack, { maxVcpus: 2, maxMemoryMiB: 2048 });
  try {
    const job = await local.runJob({
      jobQueue: 'plain-queue',
      jobDefinition: 'plain-hello',
      parameters: { greeting: 'hello from a test' },
    });
    expect(job.status).toBe('SUCCEEDED');
    expect(await job.logs()).toBe('hello from a test\n');
  } finally {
    await local.close();
  }
}, 120_000);
