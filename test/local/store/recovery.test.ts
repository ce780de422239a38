import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../lib/local/clock';
import { LocalExecutor } from '../../../lib/local/executor';
import { CONTAINER_VANISHED } from '../../../lib/local/store/recovery';
import { FakeRuntime } from '../../../lib/testing/fake-runtime';
import { jobDef, model } from '../scheduler/fixture';
import { CrashableRuntime } from './crashable';

describe('restart recovery', () => {
  test('re-attaches running containers, records exits that happened meanwhile, fails vanished ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'batchkit-recovery-'));
    const clock = new ManualClock();
    const durations: Record<string, number> = { long: 20_000, quick: 5000, gone: 20_000 };
    const engine = new FakeRuntime(clock, (spec) => ({
      durationMs: durations[spec.environment.NAME] ?? 1000,
      logs: `${spec.environment.NAME}\n`,
    }));
    const first = new CrashableRuntime(engine);
    const m = model([jobDef('d')]);
    const a = await LocalExecutor.open({
      model: m,
      runtime: first,
      clock,
      storeDir: dir,
      runId: 'run-a',
      maxVcpus: 8,
      maxMemoryMiB: 8192,
    });
    const submit = (name: string): string =>
      a.submitJob({
        jobName: name,
        jobQueue: 'q',
        jobDefinition: 'd',
        containerOverrides: { environment: [{ name: 'NAME', value: name }] },
      }).jobId;
    const long = submit('long');
    const quick = submit('quick');
    const gone = submit('gone');
    const waiting = a.submitJob({
      jobName: 'after',
      jobQueue: 'q',
      jobDefinition: 'd',
      dependsOn: [{ jobId: quick }],
    }).jobId;
    await clock.advance(1000);
    expect(a.describeJobs([long, quick, gone, waiting]).map((d) => d.status)).toEqual([
      'RUNNING',
      'RUNNING',
      'RUNNING',
      'PENDING',
    ]);

    // batchkit is killed: it sees nothing more; meanwhile `quick` exits and `gone`'s container is removed by someone.
    first.crashed = true;
    await a.close();
    await clock.advance(5000);
    engine.containers.find((c) => c.spec.environment.NAME === 'gone')!.removed = true;

    const b = await LocalExecutor.open({
      model: m,
      runtime: engine,
      clock,
      storeDir: dir,
      runId: 'run-b',
      maxVcpus: 8,
      maxMemoryMiB: 8192,
    });
    expect(b.recovery).toEqual({ reattached: [long], finished: [quick], vanished: [gone], reaped: [] });
    await clock.advance(20_000);
    await b.waitForIdle();
    const [dl, dq, dg, dw] = b.describeJobs([long, quick, gone, waiting]);
    expect(dl.status).toBe('SUCCEEDED');
    expect(dq.status).toBe('SUCCEEDED');
    expect(b.logs(quick)).toBe('stdout quick\n');
    expect(dg).toMatchObject({ status: 'FAILED', statusReason: CONTAINER_VANISHED });
    expect(dg.attempts).toHaveLength(1);
    expect(dw.status).toBe('SUCCEEDED');
    await b.close();
  });

  test(
    'a stray container of a known job is reaped at start-up; other ' + "executors' containers are left alone",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'batchkit-recovery-'));
      const clock = new ManualClock();
      const engine = new FakeRuntime(clock);
      const first = new CrashableRuntime(engine);
      const a = await LocalExecutor.open({
        model: model([jobDef('d')]),
        runtime: first,
        clock,
        storeDir: dir,
        runId: 'run-a',
        maxVcpus: 8,
        maxMemoryMiB: 8192,
      });
      const id = a.submitJob({ jobName: 'x', jobQueue: 'q', jobDefinition: 'd' }).jobId;
      await clock.advance(100);
      first.crashed = true;
      await a.close();
      // Another executor's container (unknown job) must be left alone.
      const foreign = await engine.prepare({
        runId: 'other',
        jobId: 'someone-else',
        attempt: 1,
        image: 'x',
        environment: {},
        vcpus: 1,
        memoryMiB: 1,
      });
      await foreign.start();
      const stray = await engine.prepare({
        runId: 'run-a',
        jobId: id,
        attempt: 9,
        image: 'x',
        environment: {},
        vcpus: 1,
        memoryMiB: 1,
      });
      await stray.start();
      await clock.advance(500);
      const b = await LocalExecutor.open({
        model: model([jobDef('d')]),
        runtime: engine,
        clock,
        storeDir: dir,
        runId: 'run-b',
        maxVcpus: 8,
        maxMemoryMiB: 8192,
      });
      expect(b.recovery).toEqual({ reattached: [id], finished: [], vanished: [], reaped: [stray.id] });
      const strayContainer = engine.containers.find((c) => c.id === stray.id)!;
      expect(strayContainer.signals).toEqual(['SIGKILL']);
      expect(strayContainer.removed).toBe(true);
      await clock.advance(2000);
      await b.waitForIdle();
      expect(b.describeJobs([id])[0].status).toBe('SUCCEEDED');
      expect(engine.containers.find((c) => c.spec.jobId === 'someone-else')!.removed).toBe(false);
      await b.close();
    },
  );

  test('a re-attached attempt keeps the timeout countdown that started before the restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'batchkit-recovery-'));
    const clock = new ManualClock();
    const engine = new FakeRuntime(clock, () => ({ durationMs: 3_600_000 }));
    const first = new CrashableRuntime(engine);
    const m = model([jobDef('d', { timeout: { attemptDurationSeconds: 60 } })]);
    const a = await LocalExecutor.open({
      model: m,
      runtime: first,
      clock,
      storeDir: dir,
      runId: 'run-a',
      maxVcpus: 8,
      maxMemoryMiB: 8192,
    });
    const id = a.submitJob({ jobName: 'x', jobQueue: 'q', jobDefinition: 'd' }).jobId;
    await clock.advance(40_000);
    first.crashed = true;
    await a.close();
    const b = await LocalExecutor.open({
      model: m,
      runtime: engine,
      clock,
      storeDir: dir,
      runId: 'run-b',
      maxVcpus: 8,
      maxMemoryMiB: 8192,
    });
    await clock.advance(19_000);
    expect(b.describeJobs([id])[0].status).toBe('RUNNING');
    await clock.advance(1000);
    const [d] = b.describeJobs([id]);
    expect(d).toMatchObject({ status: 'FAILED', statusReason: 'Job attempt duration exceeded timeout' });
    expect(d.stoppedAt! - d.startedAt!).toBe(60_000);
    await b.close();
  });

  test('RUNNABLE and PENDING jobs resume after a restart, in submission order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'batchkit-recovery-'));
    const clock = new ManualClock();
    const engine = new FakeRuntime(clock, () => ({ durationMs: 1000 }));
    const first = new CrashableRuntime(engine);
    const m = model([jobDef('d')], {}, 1);
    const a = await LocalExecutor.open({
      model: m,
      runtime: first,
      clock,
      storeDir: dir,
      runId: 'run-a',
      maxVcpus: 8,
      maxMemoryMiB: 8192,
    });
    const ids = ['j0', 'j1', 'j2', 'j3'].map(
      (n) => a.submitJob({ jobName: n, jobQueue: 'q', jobDefinition: 'd' }).jobId,
    );
    const after = a.submitJob({
      jobName: 'after',
      jobQueue: 'q',
      jobDefinition: 'd',
      dependsOn: [{ jobId: ids[3] }],
    }).jobId;
    await clock.advance(0);
    first.crashed = true;
    await a.close();
    const b = await LocalExecutor.open({
      model: m,
      runtime: engine,
      clock,
      storeDir: dir,
      runId: 'run-b',
      maxVcpus: 8,
      maxMemoryMiB: 8192,
    });
    for (let i = 0; i < 8; i++) await clock.advance(1000);
    await b.waitForIdle();
    expect(b.describeJobs([...ids, after]).map((d) => d.status)).toEqual([
      'SUCCEEDED',
      'SUCCEEDED',
      'SUCCEEDED',
      'SUCCEEDED',
      'SUCCEEDED',
    ]);
    expect(engine.started.map((x) => x.jobId)).toEqual([...ids, after]);
    await b.close();
  });

  test('a Docker engine that is down gives a clear error at open', async () => {
    const engine = new FakeRuntime(new ManualClock());
    engine.down = true;
    await expect(LocalExecutor.open({ model: model([]), runtime: engine, storeDir: ':memory:' })).rejects.toThrow(
      /fake container engine is down/,
    );
  });
});
