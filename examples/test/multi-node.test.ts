import { App } from 'aws-cdk-lib';
import { MultiNodeStack } from '../multi-node/stack';
import { batchFindings, LocalBatch, templateSnapshot } from '../../lib/testing';

const stack = new MultiNodeStack(new App(), 'MultiNode');

test('no findings; the template matches its snapshot', () => {
  expect(batchFindings(stack).errors).toEqual([]);
  expect(templateSnapshot(stack)).toMatchSnapshot();
});

test('the 4-node job runs: main node and workers, with smaller containers', async () => {
  const local = await LocalBatch.fromStack(stack, {
    // The environment is sized for 4 nodes of 8 vCPUs and 14 GiB (its placement counts the definition's
    // sizes); the containers themselves get the small sizes of nodeOverrides.
    maxVcpus: 32,
    maxMemoryMiB: 57344,
    imageOverrides: { 'public.ecr.aws/amazonlinux/amazonlinux:2023': 'local/busybox:test' },
  });
  try {
    const small = {
      resourceRequirements: [
        { type: 'VCPU' as const, value: '1' },
        { type: 'MEMORY' as const, value: '64' },
      ],
    };
    const job = await local.runJob({
      jobQueue: stack.jobQueue,
      jobDefinition: stack.jobDefinition,
      nodeOverrides: { nodePropertyOverrides: [{ targetNodes: '0:3', containerOverrides: small }] },
    });
    expect(job.status).toBe('SUCCEEDED');
    const nodes = job.children();
    expect(nodes).toHaveLength(4);
    expect(await nodes[0].logs()).toBe('main node 0 of 4\n');
    expect(await nodes[3].logs()).toMatch(/^worker 3 reports to \S+\n$/);
  } finally {
    await local.close();
  }
}, 180_000);
