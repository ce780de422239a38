import { App } from 'aws-cdk-lib';
import { ArrayWorkflowStack } from '../array-workflow/stack';
import { batchFindings, LocalBatch, templateSnapshot, type JobHandle } from '../../lib/testing';

const stack = new ArrayWorkflowStack(new App(), 'ArrayWorkflow', { itemCount: 3 });
const IMAGE = 'public.ecr.aws/amazonlinux/amazonlinux:2023';

test('no findings; the template matches its snapshot', () => {
  expect(batchFindings(stack).errors).toEqual([]);
  expect(templateSnapshot(stack)).toMatchSnapshot();
});

test('the five stages run in order with their dependencies (submitted as the state machine would)', async () => {
  const local = await LocalBatch.fromStack(stack, {
    maxVcpus: 2,
    maxMemoryMiB: 4096,
    imageOverrides: { [IMAGE]: 'local/busybox:test' },
  });
  try {
    // Small containers: the stages ask for up to 4 vCPUs and 8 GiB, more than a test machine has.
    const small = {
      resourceRequirements: [
        { type: 'VCPU' as const, value: '1' },
        { type: 'MEMORY' as const, value: '64' },
      ],
    };
    const submit = (
      jobDefinition: string,
      more: {
        arraySize?: number;
        dependsOn?: Array<JobHandle | { jobId?: string; type?: 'N_TO_N' | 'SEQUENTIAL' }>;
      } = {},
    ) =>
      local.submitJob({ jobQueue: stack.batch.highPriorityQueue, jobDefinition, containerOverrides: small, ...more });
    const a = submit('JobA-list-and-validate');
    const b = submit('JobB-CPU-Intensive-Processing', { arraySize: 3, dependsOn: [a] });
    const c = submit('JobC-Memory-Intensive-Processing', {
      arraySize: 3,
      dependsOn: [{ jobId: b.jobId, type: 'N_TO_N' }],
    });
    const d = submit('JobD-Sequential-Validation', { arraySize: 10, dependsOn: [c, { type: 'SEQUENTIAL' }] });
    const e = submit('JobE-Cleanup-and-Notification', { dependsOn: [d] });
    const done = await Promise.all([a, b, c, d, e].map((j) => j.wait()));
    expect(done.map((j) => j.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    // Each stage started only after what it depends on had finished.
    const started = (h: JobHandle) => h.describe().startedAt ?? Infinity;
    const stopped = (h: JobHandle) => h.describe().stoppedAt ?? -Infinity;
    expect(started(b.children()[0])).toBeGreaterThanOrEqual(stopped(a));
    for (let i = 0; i < 3; i++) expect(started(c.children()[i])).toBeGreaterThanOrEqual(stopped(b.children()[i]));
    const dKids = d.children();
    for (let i = 1; i < 10; i++) expect(started(dKids[i])).toBeGreaterThanOrEqual(stopped(dKids[i - 1]));
    expect(started(e)).toBeGreaterThanOrEqual(stopped(d));
    expect(await c.logs()).toBe('transforming item 0\ntransforming item 1\ntransforming item 2\n');
    expect(await e.logs()).toBe('cleaning up\n');
  } finally {
    await local.close();
  }
}, 240_000);
