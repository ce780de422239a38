/**
 * The RUNNABLE index: blocked jobs are released when their cause changes and not before, and a
 * scheduling pass costs what it places, not what waits (blocked jobs, or jobs waiting for room).
 */
import { ce, harness, jobDef, model, queue } from './fixture';

const BLOCKED_3 =
  'MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE - compute ' +
  'environment ce1 can never run it: needs 4 vCPUs, the environment holds at most 3 vCPUs (maxvCpus).';

describe('blocked jobs are released when their cause changes', () => {
  test('UpdateComputeEnvironment lowering then raising maxvCpus in place: blocked, kept, then run', async () => {
    const env = ce('ce1', 4);
    const h = await harness(model([jobDef('four', {}, '4')], { computeEnvironments: [env] }), () => ({
      durationMs: 10_000,
    }));
    const a = h.executor.submitJob({ jobName: 'a', jobQueue: 'q', jobDefinition: 'four' });
    const b = h.executor.submitJob({ jobName: 'b', jobQueue: 'q', jobDefinition: 'four' });
    await h.settle(1000);
    expect(h.statuses(b.jobId)).toEqual(['RUNNABLE']);
    expect(h.blocked).toEqual([]);

    // The local Batch API's UpdateComputeEnvironment changes the registered object in place.
    env.computeResources = { ...env.computeResources!, maxvCpus: 3 };
    h.executor.putComputeEnvironment(env);
    await h.settle(1000);
    expect(h.blocked.map((e) => [e.detail.jobId, e.detail.statusReason])).toEqual([[b.jobId, BLOCKED_3]]);

    // Not before its cause changes: `a` finishing frees the environment, a priority change touches nothing it
    // depends on.
    await h.settle(20_000);
    h.executor.updateJobQueue('q', { priority: 9 });
    await h.settle(5000);
    expect(h.statuses(a.jobId)).toEqual(['RUNNABLE', 'STARTING', 'RUNNING', 'SUCCEEDED']);
    expect(h.statuses(b.jobId)).toEqual(['RUNNABLE']);
    expect(h.executor.describeJobs([b.jobId])[0].statusReason).toBe(BLOCKED_3);
    expect(h.runtime.started).toHaveLength(1);

    env.computeResources = { ...env.computeResources!, maxvCpus: 8 };
    h.executor.putComputeEnvironment(env);
    await h.settle(20_000);
    expect(h.statuses(b.jobId)).toEqual(['RUNNABLE', 'STARTING', 'RUNNING', 'SUCCEEDED']);
    expect(
      h.events.find((e) => e.detail.jobId === b.jobId && e.detail.status === 'STARTING')?.detail.statusReason,
    ).toBeUndefined();
    expect(h.blocked).toHaveLength(1);
  });

  test(
    'a queue whose environment is unknown: released by ' +
      'CreateComputeEnvironment; a DISABLED environment only makes it wait',
    async () => {
      const h = await harness(
        model([jobDef('d')], { jobQueues: [queue('q', 1, ['ce-new']), queue('other', 1, ['ce1'])] }),
      );
      const { jobId } = h.executor.submitJob({ jobName: 'x', jobQueue: 'q', jobDefinition: 'd' });
      await h.settle(2000);
      expect(h.blocked.map((e) => e.detail.statusReason)).toEqual([
        'MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE - job queue q has no ' +
          'compute environment batchkit knows.',
      ]);
      h.executor.putJobQueue(queue('other', 2, ['ce1']));
      await h.settle(2000);
      expect(h.statuses(jobId)).toEqual(['RUNNABLE']);

      h.executor.putComputeEnvironment(ce('ce-new', 4, { state: 'DISABLED' }));
      await h.settle(2000);
      // No longer blocked (its reason is gone) but the environment takes no new jobs yet.
      expect(h.statuses(jobId)).toEqual(['RUNNABLE']);
      expect(h.executor.describeJobs([jobId])[0].statusReason).toBeUndefined();
      h.executor.updateComputeEnvironment('ce-new', { state: 'ENABLED' });
      await h.settle(5000);
      expect(h.statuses(jobId)).toEqual(['RUNNABLE', 'STARTING', 'RUNNING', 'SUCCEEDED']);
      expect(h.blocked).toHaveLength(1);
    },
  );
});

describe('a pass costs what it places', () => {
  test('10,000 blocked jobs are not examined by passes, nor by changes that leave their reason as it is', async () => {
    // 5,000 AWS could never place (8 vCPUs > maxvCpus 4) and 5,000 capped by this host's memory.
    const m = model([jobDef('big', {}, '8'), jobDef('fat', {}, '1', '4096'), jobDef('d')], {}, 4);
    const h = await harness(m, () => ({ durationMs: 1000 }), { maxMemoryMiB: 2048 });
    for (let i = 0; i < 5000; i++) {
      h.executor.submitJob({ jobName: `big${i}`, jobQueue: 'q', jobDefinition: 'big' });
      h.executor.submitJob({ jobName: `fat${i}`, jobQueue: 'q', jobDefinition: 'fat' });
    }
    await h.settle(2000);
    expect(h.blocked).toHaveLength(10_000);
    const before = h.executor.schedulerStats();

    const placed: string[] = [];
    for (let i = 0; i < 20; i++)
      placed.push(h.executor.submitJob({ jobName: `ok${i}`, jobQueue: 'q', jobDefinition: 'd' }).jobId);
    await h.settle(30_000);
    for (const id of placed) expect(h.statuses(id)).toEqual(['RUNNABLE', 'STARTING', 'RUNNING', 'SUCCEEDED']);
    h.executor.updateJobQueue('q', { priority: 3 });
    h.executor.updateComputeEnvironment('ce1', { state: 'ENABLED' });
    await h.settle(1000);

    const after = h.executor.schedulerStats();
    // 20 jobs placed; each pass may look at the next job that does not fit yet: at most 2 per placement.
    expect(after.examined - before.examined).toBeGreaterThanOrEqual(20);
    expect(after.examined - before.examined).toBeLessThanOrEqual(40);
    // Two changes, three groups (big, fat, d) at most: reasons computed per group, not per job.
    expect(after.reasonsComputed - before.reasonsComputed).toBeLessThanOrEqual(20);
    expect(h.blocked).toHaveLength(10_000);
  });

  test('jobs waiting for room are not walked again on every submission', async () => {
    // ce1 holds 4 vCPUs; a 3-vCPU job runs, 1,000 2-vCPU jobs wait behind it; 1-vCPU jobs still start.
    let longId = '';
    const h = await harness(
      model([jobDef('three', {}, '3'), jobDef('two', {}, '2'), jobDef('one', {}, '1')]),
      (spec) => ({
        durationMs: spec.jobId === longId ? 1_000_000 : 1000,
      }),
    );
    longId = h.executor.submitJob({ jobName: 'long', jobQueue: 'q', jobDefinition: 'three' }).jobId;
    await h.settle(1000);
    const waiting = Array.from(
      { length: 1000 },
      (_, i) => h.executor.submitJob({ jobName: `two${i}`, jobQueue: 'q', jobDefinition: 'two' }).jobId,
    );
    await h.settle(1000);
    const before = h.executor.schedulerStats();
    const ones: string[] = [];
    for (let i = 0; i < 10; i++) {
      ones.push(h.executor.submitJob({ jobName: `one${i}`, jobQueue: 'q', jobDefinition: 'one' }).jobId);
      await h.settle(3000);
    }
    const after = h.executor.schedulerStats();
    for (const id of ones) expect(h.statuses(id)).toEqual(['RUNNABLE', 'STARTING', 'RUNNING', 'SUCCEEDED']);
    expect(h.statuses(waiting[0])).toEqual(['RUNNABLE']);
    // Each pass looks at the first waiting 2-vCPU job and the 1-vCPU one at most, never the other 999.
    expect(after.examined - before.examined).toBeLessThanOrEqual(10 * 2 * 3);
  });

  test(
    'FIFO across demands is kept: a smaller job behind a bigger one starts ' + 'only when the bigger one cannot',
    async () => {
      const h = await harness(model([jobDef('two', {}, '2'), jobDef('one', {}, '1')]), () => ({ durationMs: 5000 }));
      const ids = ['two', 'one', 'two', 'one', 'two'].map(
        (d, i) => h.executor.submitJob({ jobName: `j${i}`, jobQueue: 'q', jobDefinition: d }).jobId,
      );
      await h.settle(1000);
      // 4 vCPUs: j0 (2), j1 (1) start; j2 (2) does not fit, j3 (1) does; j4 waits.
      const started = ids.filter((id) => h.statuses(id).includes('STARTING'));
      expect(started).toEqual([ids[0], ids[1], ids[3]]);
      await h.settle(30_000);
      expect(h.runtime.started.map((s) => ids.indexOf(s.jobId))).toEqual([0, 1, 3, 2, 4]);
    },
  );
});
