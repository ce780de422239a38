/**
 * What a stop leaves, on the fake engine: `close()` detaches (no signal, no removal, nothing recorded
 * after it), a container is removed only once its outcome is stored, and a STARTING job whose
 * container never started runs again after a restart without using an attempt.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../lib/local/clock';
import { LocalExecutor } from '../../../lib/local/executor';
import { FakeRuntime } from '../../../lib/testing/fake-runtime';
import { jobDef, model } from '../scheduler/fixture';
import { CrashableRuntime } from './crashable';

const m = model([jobDef('d', { timeout: { attemptDurationSeconds: 60 } })]);
const open = (runtime: FakeRuntime | CrashableRuntime, clock: ManualClock, dir: string) =>
  LocalExecutor.open({ model: m, runtime, clock, storeDir: dir, maxVcpus: 8, maxMemoryMiB: 8192 });

test(
  'close() while a job runs detaches: the container is neither signalled ' +
    'nor removed when it exits; the next open records it',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'batchkit-detach-'));
    const clock = new ManualClock();
    const engine = new FakeRuntime(clock, () => ({ durationMs: 30_000 }));
    const a = await open(engine, clock, dir);
    const id = a.submitJob({ jobName: 'x', jobQueue: 'q', jobDefinition: 'd' }).jobId;
    await clock.advance(1000);
    expect(a.describeJobs([id])[0].status).toBe('RUNNING');
    await a.close();
    await clock.advance(40_000); // past the end of the container
    const [c] = engine.containers;
    expect(c.exit).toEqual({ exitCode: 0, oomKilled: false });
    expect(c.signals).toEqual([]);
    expect(c.removed).toBe(false);
    const b = await open(engine, clock, dir);
    expect(b.recovery.finished).toEqual([id]);
    await b.waitForIdle();
    expect(b.describeJobs([id])[0]).toMatchObject({ status: 'SUCCEEDED', container: { exitCode: 0 } });
    expect(c.removed).toBe(true);
    expect(engine.started).toHaveLength(1);
    await b.close();
  },
);

test(
  'a job whose container was never started when batchkit died runs again ' + 'after the restart, on its first attempt',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'batchkit-requeue-'));
    const clock = new ManualClock();
    const engine = new FakeRuntime(clock, () => ({ durationMs: 1000 }));
    const first = new CrashableRuntime(engine);
    const a = await open(first, clock, dir);
    const id = a.submitJob({ jobName: 'x', jobQueue: 'q', jobDefinition: 'd' }).jobId;
    first.hold.add(id); // its container is still being created when batchkit dies
    await clock.advance(0);
    expect(a.describeJobs([id])[0].status).toBe('STARTING');
    first.crashed = true;
    await a.close();
    const b = await open(engine, clock, dir);
    expect(b.recovery).toEqual({ reattached: [], finished: [], vanished: [], reaped: [] });
    await clock.advance(1000);
    await b.waitForIdle();
    const [d] = b.describeJobs([id]);
    expect(d.status).toBe('SUCCEEDED');
    expect(d.attempts).toHaveLength(1);
    expect(engine.started.map((s) => [s.jobId, s.attempt])).toEqual([[id, 1]]);
    await b.close();
  },
);
