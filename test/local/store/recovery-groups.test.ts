/**
 * Restart recovery of multi-container jobs on the fake engine: a group is not re-attached; its
 * containers still running are stopped and removed (no partial group runs on), its attempt fails
 * with GROUP_STOPPED and the retry strategy decides what comes next.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadedJobDefinition } from '../../../lib/core/model/job-definition';
import { ManualClock } from '../../../lib/local/clock';
import { LocalExecutor } from '../../../lib/local/executor';
import { GROUP_STOPPED } from '../../../lib/local/store/recovery';
import { FakeRuntime } from '../../../lib/testing/fake-runtime';
import { model } from '../scheduler/fixture';
import { CrashableRuntime } from './crashable';

const res = [
  { type: 'VCPU' as const, value: '1' },
  { type: 'MEMORY' as const, value: '64' },
];

function task(attempts: number): LoadedJobDefinition {
  return {
    jobDefinitionName: 'task',
    type: 'container',
    revision: 1,
    retryStrategy: { attempts },
    ecsProperties: {
      taskProperties: [
        {
          containers: [
            { name: 'side', image: 'x', essential: false, resourceRequirements: res },
            { name: 'main', image: 'x', resourceRequirements: res },
          ],
        },
      ],
    },
  };
}

async function crashWhileRunning(attempts: number) {
  const dir = mkdtempSync(join(tmpdir(), 'batchkit-recovery-groups-'));
  const clock = new ManualClock();
  const engine = new FakeRuntime(clock, (spec) => ({
    durationMs: spec.member === 'main' && spec.attempt === 1 ? 50_000 : spec.member === 'main' ? 2000 : 100_000,
  }));
  const first = new CrashableRuntime(engine);
  const m = model([task(attempts)], {}, 4);
  const a = await LocalExecutor.open({
    model: m,
    runtime: first,
    clock,
    storeDir: dir,
    runId: 'run-a',
    maxVcpus: 8,
    maxMemoryMiB: 8192,
  });
  const id = a.submitJob({ jobName: 't', jobQueue: 'q', jobDefinition: 'task' }).jobId;
  await clock.advance(1000);
  expect(a.describeJobs([id])[0].status).toBe('RUNNING');
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
  return { b, id, engine, clock };
}

describe('restart recovery of multi-container jobs', () => {
  test('the running group is stopped and removed; the attempt fails with GROUP_STOPPED', async () => {
    const r = await crashWhileRunning(1);
    const firstTwo = r.engine.containers.slice(0, 2);
    expect(firstTwo.map((c) => [c.spec.member, c.signals, c.removed])).toEqual([
      ['side', ['SIGKILL'], true],
      ['main', ['SIGKILL'], true],
    ]);
    expect(r.b.recovery).toMatchObject({ vanished: [r.id], reaped: firstTwo.map((c) => c.id) });
    const [d] = r.b.describeJobs([r.id]);
    expect([d.status, d.statusReason, d.attempts?.length]).toEqual(['FAILED', GROUP_STOPPED, 1]);
    await r.b.close();
  });

  test('with attempts left, the group runs again as a new attempt', async () => {
    const r = await crashWhileRunning(2);
    await r.clock.advance(1000);
    await r.clock.advance(3000);
    await r.b.waitForIdle();
    const [d] = r.b.describeJobs([r.id]);
    expect([d.status, d.attempts?.map((a) => a.statusReason)]).toEqual([
      'SUCCEEDED',
      [GROUP_STOPPED, 'Essential container in task exited'],
    ]);
    expect(r.engine.started.map((s) => `${s.member}@${s.attempt}`)).toEqual(['side@1', 'main@1', 'side@2', 'main@2']);
    await r.b.close();
  });
});
