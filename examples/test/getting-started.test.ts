import { App } from 'aws-cdk-lib';
import { GettingStartedStack } from '../getting-started/stack';
import { batchFindings, LocalBatch, templateSnapshot } from '../../lib/testing';

const stack = new GettingStartedStack(new App(), 'GettingStarted');

test('no findings; the template matches its snapshot', () => {
  expect(batchFindings(stack).errors).toEqual([]);
  expect(templateSnapshot(stack)).toMatchSnapshot();
});

test('the first-run job prints hello world on Docker', async () => {
  const local = await LocalBatch.fromStack(stack, {
    maxVcpus: 2,
    maxMemoryMiB: 4096,
    imageOverrides: { busybox: 'local/busybox:test' },
  });
  try {
    const job = await local.runJob({ jobQueue: stack.batch.highPriorityQueue, jobDefinition: stack.jobDefinition });
    expect(job.status).toBe('SUCCEEDED');
    expect(await job.logs()).toBe('hello world\n');
  } finally {
    await local.close();
  }
}, 120_000);
