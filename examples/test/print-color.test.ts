import { App } from 'aws-cdk-lib';
import { PrintColorStack } from '../print-color/stack';
import { batchFindings, LocalBatch, templateSnapshot } from '../../lib/testing';

const stack = new PrintColorStack(new App(), 'PrintColor');

test('no findings; the template matches its snapshot (the asset hash scrubbed)', () => {
  expect(batchFindings(stack).errors).toEqual([]);
  const template = templateSnapshot(stack);
  expect(JSON.stringify(template)).toContain('<asset-hash>');
  expect(template).toMatchSnapshot();
});

test('the image asset is built; each child of a 3-job array prints its colour', async () => {
  const local = await LocalBatch.fromStack(stack, { maxVcpus: 2, maxMemoryMiB: 2048 });
  try {
    const queue = stack.node.findAll().find((c) => c.node.path.endsWith('HighPriorityQueue'))!;
    const job = await local.runJob({ jobQueue: queue, jobDefinition: 'print-color', arraySize: 3 });
    expect(job.status).toBe('SUCCEEDED');
    expect(await job.logs()).toBe(
      ['red', 'orange', 'yellow'].map((c) => `My favorite color of the rainbow is ${c}.\n`).join(''),
    );
  } finally {
    await local.close();
  }
}, 180_000);
