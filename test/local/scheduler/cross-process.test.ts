/**
 * Two executors on one store, as `batchkit local run` and a store command (`local cancel`,
 * `local terminate`) are: the passive one starts and re-attaches nothing, and what it records
 * (a cancel, a terminate) is honoured by the one that runs the jobs.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { harness, jobDef, model } from './fixture';

function storeDir(): string {
  return mkdtempSync(join(tmpdir(), 'batchkit-two-'));
}

test('a passive executor starts nothing and sends no events; the owner goes on unhindered', async () => {
  const dir = storeDir();
  const m = model([jobDef('d')]);
  const owner = await harness(m, () => ({ durationMs: 10_000 }), { storeDir: dir, maxVcpus: 1 });
  const a = owner.executor.submitJob({ jobName: 'a', jobQueue: 'q', jobDefinition: 'd' });
  const b = owner.executor.submitJob({ jobName: 'b', jobQueue: 'q', jobDefinition: 'd' });
  await owner.clock.advance(0);
  const viewer = await harness(m, undefined, { storeDir: dir, passive: true });
  await viewer.settle(20_000);
  expect(viewer.runtime.started).toHaveLength(0);
  expect(viewer.all).toHaveLength(0);
  expect(viewer.executor.describeJobs([a.jobId, b.jobId]).map((d) => d.status)).toEqual(['RUNNING', 'RUNNABLE']);
  await viewer.executor.close();
  await owner.settle(30_000);
  expect(owner.statuses(b.jobId)).toEqual(['RUNNABLE', 'STARTING', 'RUNNING', 'SUCCEEDED']);
});

test(
  'cancel through the store of a job the owner holds RUNNABLE: the owner ' +
    'never starts it and fails it with the reason',
  async () => {
    const dir = storeDir();
    const m = model([jobDef('d')]);
    const owner = await harness(m, () => ({ durationMs: 5000 }), { storeDir: dir, maxVcpus: 1 });
    const a = owner.executor.submitJob({ jobName: 'a', jobQueue: 'q', jobDefinition: 'd' });
    const b = owner.executor.submitJob({ jobName: 'b', jobQueue: 'q', jobDefinition: 'd' });
    await owner.clock.advance(0);
    const other = await harness(m, undefined, { storeDir: dir, passive: true });
    other.executor.cancelJob(b.jobId, 'Not needed');
    await other.executor.close();
    await owner.settle(20_000);
    expect(owner.statuses(a.jobId)).toEqual(['RUNNABLE', 'STARTING', 'RUNNING', 'SUCCEEDED']);
    expect(owner.statuses(b.jobId)).toEqual(['RUNNABLE', 'FAILED']);
    expect(owner.executor.describeJobs([b.jobId])[0]).toMatchObject({
      status: 'FAILED',
      statusReason: 'Not needed',
      isCancelled: true,
      attempts: [],
    });
    expect(owner.runtime.started.map((s) => s.jobId)).toEqual([a.jobId]);
  },
);

test(
  'terminate through the store of a job the owner runs: however its ' +
    'container ends, it FAILS with the reason and is not retried',
  async () => {
    const dir = storeDir();
    const m = model([jobDef('d')]);
    const owner = await harness(m, () => ({ durationMs: 5000, exitCode: 1 }), { storeDir: dir });
    const a = owner.executor.submitJob({
      jobName: 'a',
      jobQueue: 'q',
      jobDefinition: 'd',
      retryStrategy: { attempts: 3 },
    });
    await owner.clock.advance(0);
    const other = await harness(m, undefined, { storeDir: dir, passive: true });
    // The fake engine of the other executor has no container of the job: nothing to follow.
    expect(await other.executor.follow(a.jobId)).toBe(false);
    other.executor.terminateJob(a.jobId, 'Stopped elsewhere');
    expect(other.executor.describeJobs([a.jobId])[0]).toMatchObject({ status: 'RUNNING', isTerminated: true });
    await other.executor.close();
    await owner.settle(20_000);
    expect(owner.statuses(a.jobId)).toEqual(['RUNNABLE', 'STARTING', 'RUNNING', 'FAILED']);
    const [d] = owner.executor.describeJobs([a.jobId]);
    expect(d).toMatchObject({ status: 'FAILED', statusReason: 'Stopped elsewhere', isTerminated: true });
    expect(d.attempts?.map((x) => [x.container?.exitCode, x.statusReason])).toEqual([[1, 'Stopped elsewhere']]);
  },
);
