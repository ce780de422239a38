import { harness, jobDef, model } from './fixture';

describe('timeouts', () => {
  test('SIGTERM at the timeout; a container that exits on it fails the job, not retried', async () => {
    const h = await harness(
      model([jobDef('d', { timeout: { attemptDurationSeconds: 60 }, retryStrategy: { attempts: 3 } })]),
      () => ({ durationMs: 3_600_000 }),
    );
    const { jobId } = h.executor.submitJob({ jobName: 'slow', jobQueue: 'q', jobDefinition: 'd' });
    await h.clock.advance(59_000);
    expect(h.executor.describeJobs([jobId])[0].status).toBe('RUNNING');
    await h.clock.advance(1000);
    const [d] = h.executor.describeJobs([jobId]);
    expect(h.statuses(jobId)).toEqual(['RUNNABLE', 'STARTING', 'RUNNING', 'FAILED']);
    expect(d.statusReason).toBe('Job attempt duration exceeded timeout');
    expect(d.attempts).toHaveLength(1);
    expect(d.attempts![0].container!.exitCode).toBe(143);
    expect(d.stoppedAt! - d.startedAt!).toBe(60_000);
    expect(h.runtime.containers[0].signals).toEqual(['SIGTERM']);
  });

  test('a container that ignores SIGTERM gets SIGKILL 30 s later', async () => {
    const h = await harness(model([jobDef('d', { timeout: { attemptDurationSeconds: 60 } })]), () => ({
      durationMs: 3_600_000,
      ignoreSigterm: true,
    }));
    const { jobId } = h.executor.submitJob({ jobName: 'stubborn', jobQueue: 'q', jobDefinition: 'd' });
    await h.clock.advance(60_000);
    expect(h.executor.describeJobs([jobId])[0].status).toBe('RUNNING');
    await h.clock.advance(29_000);
    expect(h.executor.describeJobs([jobId])[0].status).toBe('RUNNING');
    await h.clock.advance(1000);
    const [d] = h.executor.describeJobs([jobId]);
    expect(d.status).toBe('FAILED');
    expect(d.attempts![0].container!.exitCode).toBe(137);
    expect(d.stoppedAt! - d.startedAt!).toBe(90_000);
    expect(h.runtime.containers[0].signals).toEqual(['SIGTERM', 'SIGKILL']);
  });

  test('submit-time timeout overrides the definition; each retry restarts the countdown', async () => {
    const h = await harness(
      model([jobDef('d', { timeout: { attemptDurationSeconds: 600 }, retryStrategy: { attempts: 2 } })]),
      (spec) => (spec.attempt === 1 ? { exitCode: 1, durationMs: 50_000 } : { durationMs: 70_000 }),
    );
    const { jobId } = h.executor.submitJob({
      jobName: 'j',
      jobQueue: 'q',
      jobDefinition: 'd',
      timeout: { attemptDurationSeconds: 60 },
    });
    await h.settle(200_000);
    const [d] = h.executor.describeJobs([jobId]);
    expect(d.attempts!.map((a) => a.statusReason)).toEqual([
      'Essential container in task exited',
      'Job attempt duration exceeded timeout',
    ]);
    expect(d.attempts![1].stoppedAt! - d.attempts![1].startedAt!).toBe(60_000);
  });
});

describe('cancel and terminate', () => {
  test('cancel a RUNNABLE job: FAILED with the reason, isCancelled', async () => {
    const h = await harness(model([jobDef('d')], {}, 1), () => ({ durationMs: 10_000 }));
    const first = h.executor.submitJob({ jobName: 'a', jobQueue: 'q', jobDefinition: 'd' }).jobId;
    const second = h.executor.submitJob({ jobName: 'b', jobQueue: 'q', jobDefinition: 'd' }).jobId;
    await h.clock.advance(0);
    h.executor.cancelJob(second, 'no longer needed');
    h.executor.cancelJob(first, 'too late');
    await h.settle(20_000);
    expect(h.statuses(second)).toEqual(['RUNNABLE', 'FAILED']);
    const [a, b] = h.executor.describeJobs([first, second]);
    expect(b).toMatchObject({ status: 'FAILED', statusReason: 'no longer needed', isCancelled: true });
    expect(a.status).toBe('SUCCEEDED');
    expect(h.runtime.started).toHaveLength(1);
  });

  test('cancel a PENDING job takes effect when its dependencies complete', async () => {
    const h = await harness(model([jobDef('d')]), () => ({ durationMs: 5000 }));
    const a = h.executor.submitJob({ jobName: 'a', jobQueue: 'q', jobDefinition: 'd' }).jobId;
    const b = h.executor.submitJob({
      jobName: 'b',
      jobQueue: 'q',
      jobDefinition: 'd',
      dependsOn: [{ jobId: a }],
    }).jobId;
    await h.clock.advance(1000);
    h.executor.cancelJob(b, 'stop');
    expect(h.executor.describeJobs([b])[0].status).toBe('PENDING');
    await h.settle(10_000);
    expect(h.statuses(b)).toEqual(['PENDING', 'FAILED']);
    expect(h.executor.describeJobs([b])[0].statusReason).toBe('stop');
  });

  test('terminate a RUNNING job: SIGTERM, FAILED with the reason, not retried', async () => {
    const h = await harness(model([jobDef('d', { retryStrategy: { attempts: 5 } })]), () => ({ durationMs: 100_000 }));
    const { jobId } = h.executor.submitJob({ jobName: 'a', jobQueue: 'q', jobDefinition: 'd' });
    await h.clock.advance(2000);
    h.executor.cancelJob(jobId, 'ignored while running');
    expect(h.executor.describeJobs([jobId])[0].status).toBe('RUNNING');
    h.executor.terminateJob(jobId, 'operator stop');
    await h.settle(5000);
    expect(h.statuses(jobId)).toEqual(['RUNNABLE', 'STARTING', 'RUNNING', 'FAILED']);
    expect(h.executor.describeJobs([jobId])[0]).toMatchObject({ statusReason: 'operator stop', isTerminated: true });
    expect(h.runtime.containers[0].signals).toEqual(['SIGTERM']);
  });

  test('cancelling an array parent cancels its children; the parent fails once they are final', async () => {
    const h = await harness(model([jobDef('d')], {}, 1), () => ({ durationMs: 4000 }));
    const p = h.executor.submitJob({
      jobName: 'arr',
      jobQueue: 'q',
      jobDefinition: 'd',
      arrayProperties: { size: 3 },
    }).jobId;
    await h.clock.advance(0);
    h.executor.cancelJob(p, 'batch cancelled');
    await h.clock.advance(0);
    expect(h.executor.describeJobs([p])[0].status).toBe('PENDING');
    await h.settle(10_000);
    expect(h.executor.describeJobs([`${p}:0`, `${p}:1`, `${p}:2`]).map((d) => d.status)).toEqual([
      'SUCCEEDED',
      'FAILED',
      'FAILED',
    ]);
    expect(h.executor.describeJobs([p])[0]).toMatchObject({
      status: 'FAILED',
      statusReason: 'batch cancelled',
      isCancelled: true,
    });
  });

  test('terminating an array parent terminates running children too', async () => {
    const h = await harness(model([jobDef('d')], {}, 2), () => ({ durationMs: 100_000 }));
    const p = h.executor.submitJob({
      jobName: 'arr',
      jobQueue: 'q',
      jobDefinition: 'd',
      arrayProperties: { size: 3 },
    }).jobId;
    await h.clock.advance(1000);
    h.executor.terminateJob(p, 'kill all');
    await h.settle(5000);
    expect(h.executor.describeJobs([`${p}:0`, `${p}:1`, `${p}:2`]).map((d) => d.statusReason)).toEqual([
      'kill all',
      'kill all',
      'kill all',
    ]);
    expect(h.statuses(p)).toEqual(['PENDING', 'FAILED']);
    expect(h.runtime.started).toHaveLength(2);
  });

  test('unknown job ids are not-found errors', async () => {
    const h = await harness(model([jobDef('d')]));
    expect(() => h.executor.cancelJob('nope', 'x')).toThrow(/Job "nope" does not exist/);
    expect(h.executor.describeJobs(['nope'])).toEqual([]);
  });
});
