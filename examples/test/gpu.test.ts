import { App } from 'aws-cdk-lib';
import { GpuStack } from '../gpu/stack';
import { isJobQueueBlockedEvent } from '../../lib';
import { batchFindings, FakeRuntime, LocalBatch, templateSnapshot } from '../../lib/testing';

const stack = new GpuStack(new App(), 'Gpu');
const CUDA = 'public.ecr.aws/docker/library/nvidia/cuda:12.4.1-base-ubuntu22.04';

test('no findings; the template matches its snapshot', () => {
  expect(batchFindings(stack).errors).toEqual([]);
  expect(templateSnapshot(stack)).toMatchSnapshot();
});

test('Docker on a host without a GPU: the job is reported blocked, wait() says why instead of hanging', async () => {
  const local = await LocalBatch.fromStack(stack, {
    maxVcpus: 4,
    maxMemoryMiB: 16384,
    maxGpus: 0,
    imageOverrides: { [CUDA]: 'local/busybox:test' },
  });
  try {
    const job = local.submitJob({ jobQueue: stack.batch.jobQueue, jobDefinition: stack.jobDefinition });
    await expect(job.wait()).rejects.toMatchObject({ code: 'BATCHKIT-TESTING-201' });
    const blocked = local.events.filter(isJobQueueBlockedEvent).map((e) => e.detail.statusReason);
    expect(blocked).toEqual([expect.stringMatching(/^MISCONFIGURATION:.*GPU/i)]);
    job.cancel();
  } finally {
    await local.close();
  }
}, 120_000);

test('FakeRuntime with one GPU: the job is placed and its container gets the GPU', async () => {
  let fake: FakeRuntime | undefined;
  const local = await LocalBatch.fromStack(stack, {
    maxVcpus: 4,
    maxMemoryMiB: 16384,
    maxGpus: 1,
    runtime: (clock) => (fake = new FakeRuntime(clock)),
  });
  try {
    const job = await local.runJob({ jobQueue: stack.batch.jobQueue, jobDefinition: stack.jobDefinition });
    expect(job.status).toBe('SUCCEEDED');
    expect(fake!.started.map((s) => [s.image, s.gpus, s.command])).toEqual([[CUDA, 1, ['nvidia-smi']]]);
  } finally {
    await local.close();
  }
});
