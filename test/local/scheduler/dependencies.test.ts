import { harness, jobDef, model } from './fixture';

const def = jobDef('d');
const failing = jobDef('bad');

describe('dependencies', () => {
  test('B waits PENDING for A, then runs', async () => {
    const h = await harness(model([def]), () => ({ durationMs: 3000 }));
    const a = h.executor.submitJob({ jobName: 'A', jobQueue: 'q', jobDefinition: 'd' }).jobId;
    const b = h.executor.submitJob({
      jobName: 'B',
      jobQueue: 'q',
      jobDefinition: 'd',
      dependsOn: [{ jobId: a }],
    }).jobId;
    await h.clock.advance(1000);
    expect(h.executor.describeJobs([b])[0].status).toBe('PENDING');
    await h.settle(10_000);
    expect(h.statuses(b)).toEqual(['PENDING', 'RUNNABLE', 'STARTING', 'RUNNING', 'SUCCEEDED']);
    const [da, db] = h.executor.describeJobs([a, b]);
    expect(db.startedAt!).toBeGreaterThanOrEqual(da.stoppedAt!);
  });

  test('the guide workflow A → B → C → D: a failure cascades PENDING → FAILED with a reason', async () => {
    const h = await harness(model([def, failing]), (spec) => ({
      exitCode: spec.image && spec.command?.[0] === 'false' ? 1 : 0,
    }));
    failing.containerProperties!.command = ['false'];
    const a = h.executor.submitJob({ jobName: 'A', jobQueue: 'q', jobDefinition: 'd' }).jobId;
    const b = h.executor.submitJob({
      jobName: 'B',
      jobQueue: 'q',
      jobDefinition: 'bad',
      dependsOn: [{ jobId: a }],
    }).jobId;
    const c = h.executor.submitJob({
      jobName: 'C',
      jobQueue: 'q',
      jobDefinition: 'd',
      dependsOn: [{ jobId: b }],
    }).jobId;
    const d = h.executor.submitJob({
      jobName: 'D',
      jobQueue: 'q',
      jobDefinition: 'd',
      dependsOn: [{ jobId: c }, { jobId: a }],
    }).jobId;
    await h.settle(10_000);
    expect(h.statuses(a)).toEqual(['RUNNABLE', 'STARTING', 'RUNNING', 'SUCCEEDED']);
    expect(h.statuses(b)).toEqual(['PENDING', 'RUNNABLE', 'STARTING', 'RUNNING', 'FAILED']);
    expect(h.statuses(c)).toEqual(['PENDING', 'FAILED']);
    expect(h.statuses(d)).toEqual(['PENDING', 'FAILED']);
    const [dc, dd] = h.executor.describeJobs([c, d]);
    expect(dc.statusReason).toBe('Dependent Job failed');
    expect(dd.statusReason).toBe('Dependent Job failed');
    expect(dc.attempts).toEqual([]);
    expect(h.runtime.started.map((s) => s.jobId)).toEqual([a, b]);
  });

  test('depending on a job that already failed fails at evaluation', async () => {
    const h = await harness(model([def]), () => ({ exitCode: 2 }));
    const a = h.executor.submitJob({ jobName: 'A', jobQueue: 'q', jobDefinition: 'd' }).jobId;
    await h.settle(3000);
    const b = h.executor.submitJob({
      jobName: 'B',
      jobQueue: 'q',
      jobDefinition: 'd',
      dependsOn: [{ jobId: a }],
    }).jobId;
    await h.settle(1000);
    expect(h.statuses(b)).toEqual(['PENDING', 'FAILED']);
  });

  test.each([
    [[{ jobId: 'nope' }], /dependsOn\[0\].jobId: job "nope" does not exist/],
    [[{ type: 'SEQUENTIAL' as const }], /SEQUENTIAL[^]*applies only to array jobs/],
    [Array.from({ length: 21 }, () => ({ jobId: 'x' })), /21[^]*Allowed: at most 20/],
  ])('rejects bad dependencies %#', async (dependsOn, message) => {
    const h = await harness(model([def]));
    expect(() => h.executor.submitJob({ jobName: 'B', jobQueue: 'q', jobDefinition: 'd', dependsOn })).toThrow(message);
  });
});

describe('array jobs', () => {
  test(
    'children parent:i with their own attempts; parent SUBMITTED → PENDING ' + '→ SUCCEEDED with statusSummary',
    async () => {
      const h = await harness(model([def]), () => ({ durationMs: 2000 }));
      const p = h.executor.submitJob({
        jobName: 'arr',
        jobQueue: 'q',
        jobDefinition: 'd',
        arrayProperties: { size: 3 },
      }).jobId;
      await h.clock.advance(0);
      const [parent] = h.executor.describeJobs([p]);
      expect(parent.status).toBe('PENDING');
      expect(parent.arrayProperties).toEqual({
        size: 3,
        statusSummary: { STARTING: 0, FAILED: 0, RUNNING: 3, SUCCEEDED: 0, RUNNABLE: 0, SUBMITTED: 0, PENDING: 0 },
      });
      await h.settle(5000);
      expect(h.statuses(p)).toEqual(['PENDING', 'SUCCEEDED']);
      for (let i = 0; i < 3; i++) {
        expect(h.statuses(`${p}:${i}`)).toEqual(['RUNNABLE', 'STARTING', 'RUNNING', 'SUCCEEDED']);
      }
      const [done, child] = h.executor.describeJobs([p, `${p}:1`]);
      expect(done.arrayProperties!.statusSummary).toEqual({
        STARTING: 0,
        FAILED: 0,
        RUNNING: 0,
        SUCCEEDED: 3,
        RUNNABLE: 0,
        SUBMITTED: 0,
        PENDING: 0,
      });
      expect(child.arrayProperties).toEqual({ statusSummary: {}, index: 1 });
      expect(child.jobArn).toBe(`${done.jobArn}:1`);
      expect(h.runtime.started.map((s) => s.environment.AWS_BATCH_JOB_ARRAY_INDEX)).toEqual(['0', '1', '2']);
      expect(h.runtime.started.map((s) => s.environment.AWS_BATCH_JOB_ID)).toEqual([`${p}:0`, `${p}:1`, `${p}:2`]);
      expect(h.runtime.started[0].environment.AWS_BATCH_JOB_ARRAY_SIZE).toBeUndefined();
    },
  );

  test('one failed child fails the parent only after every child is final', async () => {
    const h = await harness(model([def]), (spec) => ({
      exitCode: spec.jobId.endsWith(':0') ? 1 : 0,
      durationMs: spec.jobId.endsWith(':0') ? 1000 : 4000,
    }));
    const p = h.executor.submitJob({
      jobName: 'arr',
      jobQueue: 'q',
      jobDefinition: 'd',
      arrayProperties: { size: 2 },
    }).jobId;
    await h.clock.advance(2000);
    expect(h.executor.describeJobs([`${p}:0`])[0].status).toBe('FAILED');
    expect(h.executor.describeJobs([p])[0].status).toBe('PENDING');
    await h.settle(5000);
    const [parent] = h.executor.describeJobs([p]);
    expect(parent.status).toBe('FAILED');
    expect(parent.statusReason).toBe('Array Child Job failed');
    expect(parent.arrayProperties!.statusSummary).toMatchObject({ SUCCEEDED: 1, FAILED: 1 });
  });

  test('SEQUENTIAL: child i starts after child i-1 succeeded; a failure fails the rest', async () => {
    const h = await harness(model([def]), (spec) => ({
      exitCode: spec.jobId.endsWith(':1') ? 1 : 0,
      durationMs: 1000,
    }));
    const p = h.executor.submitJob({
      jobName: 'seq',
      jobQueue: 'q',
      jobDefinition: 'd',
      arrayProperties: { size: 4 },
      dependsOn: [{ type: 'SEQUENTIAL' }],
    }).jobId;
    await h.settle(10_000);
    expect(h.runtime.maxConcurrent).toBe(1);
    expect(h.runtime.started.map((s) => s.jobId)).toEqual([`${p}:0`, `${p}:1`]);
    expect(h.statuses(`${p}:2`)).toEqual(['FAILED']);
    expect(h.statuses(`${p}:3`)).toEqual(['FAILED']);
    expect(h.executor.describeJobs([`${p}:3`])[0].statusReason).toBe('Dependent Job failed');
    expect(h.statuses(p)).toEqual(['PENDING', 'FAILED']);
  });

  test('N_TO_N: child i of B waits only for child i of A', async () => {
    const h = await harness(model([def]), (spec) => ({ durationMs: spec.jobId.endsWith(':0') ? 1000 : 8000 }));
    const a = h.executor.submitJob({
      jobName: 'A',
      jobQueue: 'q',
      jobDefinition: 'd',
      arrayProperties: { size: 2 },
    }).jobId;
    const b = h.executor.submitJob({
      jobName: 'B',
      jobQueue: 'q',
      jobDefinition: 'd',
      arrayProperties: { size: 2 },
      dependsOn: [{ jobId: a, type: 'N_TO_N' }],
    }).jobId;
    await h.clock.advance(3000);
    expect(h.executor.describeJobs([`${b}:0`, `${b}:1`]).map((d) => d.status)).toEqual(['SUCCEEDED', 'PENDING']);
    await h.settle(20_000);
    expect(h.executor.describeJobs([b])[0].status).toBe('SUCCEEDED');
    expect(h.executor.describeJobs([`${b}:1`])[0].dependsOn).toEqual([{ jobId: `${a}:1`, type: 'N_TO_N' }]);
  });

  test('N_TO_N needs arrays of the same size', async () => {
    const h = await harness(model([def]));
    const a = h.executor.submitJob({
      jobName: 'A',
      jobQueue: 'q',
      jobDefinition: 'd',
      arrayProperties: { size: 2 },
    }).jobId;
    expect(() =>
      h.executor.submitJob({
        jobName: 'B',
        jobQueue: 'q',
        jobDefinition: 'd',
        arrayProperties: { size: 3 },
        dependsOn: [{ jobId: a, type: 'N_TO_N' }],
      }),
    ).toThrow(/N_TO_N needs arrays of the same size; this job has 3 children, job .* has 2/);
  });

  test.each([1, 10_001, 2.5])('array size %p is rejected', async (size) => {
    const h = await harness(model([def]));
    expect(() =>
      h.executor.submitJob({ jobName: 'A', jobQueue: 'q', jobDefinition: 'd', arrayProperties: { size } }),
    ).toThrow(/arrayProperties.size: .* Allowed: an integer from 2 to 10000/);
  });

  test('a job depending on the array waits for the whole array', async () => {
    const h = await harness(model([def]), (spec) => ({ durationMs: spec.jobId.endsWith(':1') ? 5000 : 1000 }));
    const a = h.executor.submitJob({
      jobName: 'A',
      jobQueue: 'q',
      jobDefinition: 'd',
      arrayProperties: { size: 2 },
    }).jobId;
    const b = h.executor.submitJob({
      jobName: 'B',
      jobQueue: 'q',
      jobDefinition: 'd',
      dependsOn: [{ jobId: a }],
    }).jobId;
    await h.settle(10_000);
    const [pa, db] = h.executor.describeJobs([a, b]);
    expect(db.status).toBe('SUCCEEDED');
    expect(db.startedAt!).toBeGreaterThanOrEqual(pa.stoppedAt!);
  });
});
