/**
 * Restart recovery of multi-container jobs on the fake engine: the attempt of a group that ran when
 * batchkit stopped is resumed — running containers re-attached (their logs go on without a line
 * twice), containers that exited meanwhile give their exit code, finished init containers are not run
 * again, the next ones start — and the group ends as if batchkit had not stopped. An attempt that
 * cannot be resumed (the network namespace holder gone) fails with GROUP_STOPPED and the reason.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadedJobDefinition } from '../../../lib/core/model/job-definition';
import { ManualClock } from '../../../lib/local/clock';
import { LocalExecutor } from '../../../lib/local/executor';
import { GROUP_STOPPED } from '../../../lib/local/store/recovery';
import { FakeRuntime, type FakeScript } from '../../../lib/testing/fake-runtime';
import { model } from '../scheduler/fixture';
import { CrashableRuntime } from './crashable';

const res = [
  { type: 'VCPU' as const, value: '1' },
  { type: 'MEMORY' as const, value: '64' },
];

function task(extra: Partial<LoadedJobDefinition> = {}): LoadedJobDefinition {
  return {
    jobDefinitionName: 'task',
    type: 'container',
    revision: 1,
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
    ...extra,
  };
}

function pod(
  podProperties: NonNullable<LoadedJobDefinition['eksProperties']>['podProperties'],
  extra: Partial<LoadedJobDefinition> = {},
): LoadedJobDefinition {
  return { jobDefinitionName: 'pod', type: 'container', revision: 1, eksProperties: { podProperties }, ...extra };
}

const limits = { limits: { cpu: '1', memory: '64Mi' } };

/** Runs executor a until `ready`, "kills" it (SIGKILL: it sees nothing more), then opens b on the same store. */
async function stopAndRestart(
  def: LoadedJobDefinition,
  script: FakeScript,
  ready: (a: LocalExecutor, id: string, engine: FakeRuntime) => boolean,
  hold: { members?: string[]; downMs?: number; whileDown?: (engine: FakeRuntime) => void } = {},
) {
  const dir = mkdtempSync(join(tmpdir(), 'batchkit-recovery-groups-'));
  const clock = new ManualClock();
  const engine = new FakeRuntime(clock, script);
  const first = new CrashableRuntime(engine);
  for (const m of hold.members ?? []) first.holdMembers.add(m);
  const m = model([def], {}, 8);
  const open = (runtime: FakeRuntime | CrashableRuntime, runId: string) =>
    LocalExecutor.open({ model: m, runtime, clock, storeDir: dir, runId, maxVcpus: 8, maxMemoryMiB: 8192 });
  const a = await open(first, 'run-a');
  const id = a.submitJob({ jobName: 'j', jobQueue: 'q', jobDefinition: def.jobDefinitionName }).jobId;
  for (let i = 0; i < 20 && !ready(a, id, engine); i++) await clock.advance(500);
  expect(ready(a, id, engine)).toBe(true);
  first.crashed = true;
  await a.close();
  if (hold.downMs) await clock.advance(hold.downMs);
  hold.whileDown?.(engine);
  const b = await open(engine, 'run-b');
  const settle = async (ms: number) => {
    for (let t = 0; t < ms; t += 500) await clock.advance(500);
    await b.waitForIdle();
  };
  return { b, id, engine, clock, settle };
}

const members = (engine: FakeRuntime) => engine.started.map((s) => `${s.member}@${s.attempt}`);
const running = (a: LocalExecutor, id: string) => a.describeJobs([id])[0].status === 'RUNNING';

describe('restart recovery of multi-container jobs', () => {
  test('sidecar and essential re-attached: the essential exits 0, the job SUCCEEDS, logs stored once', async () => {
    const r = await stopAndRestart(
      task(),
      (spec) =>
        spec.member === 'side'
          ? { durationMs: 100_000, lines: [0, 1, 6].map((s) => ({ atMs: s * 1000, message: `side ${s}` })) }
          : { durationMs: 5000, lines: [0, 1, 4].map((s) => ({ atMs: s * 1000, message: `main ${s}` })) },
      running,
    );
    expect(r.b.recovery).toMatchObject({ reattached: [r.id], vanished: [], reaped: [] });
    await r.settle(10_000);
    const [d] = r.b.describeJobs([r.id]);
    const containers = d.attempts?.[0].taskProperties?.[0].containers ?? [];
    expect([d.status, d.attempts?.length]).toEqual(['SUCCEEDED', 1]);
    expect(containers.map((c) => [c.name, c.exitCode])).toEqual([
      ['side', 143],
      ['main', 0],
    ]);
    // Nothing ran twice; both containers are gone once the outcome is stored.
    expect(members(r.engine)).toEqual(['side@1', 'main@1']);
    expect(r.engine.containers.map((c) => [c.spec.member, c.signals, c.removed])).toEqual([
      ['side', ['SIGTERM'], true],
      ['main', [], true],
    ]);
    const lines = containers.map((c) => r.b.logStreamLines(c.logStreamName ?? '').map((l) => l.message));
    expect(lines).toEqual([
      ['side 0', 'side 1'],
      ['main 0', 'main 1', 'main 4'],
    ]);
    await r.b.close();
  });

  test('a container that exited while batchkit was down gives its exit code', async () => {
    const r = await stopAndRestart(
      task(),
      (spec) => (spec.member === 'side' ? { durationMs: 100_000 } : { durationMs: 5000, exitCode: 3 }),
      running,
      { downMs: 8000 },
    );
    expect(r.engine.containers[1].exit?.exitCode).toBe(3);
    expect(r.b.recovery.reattached).toEqual([r.id]);
    await r.settle(2000);
    const [d] = r.b.describeJobs([r.id]);
    expect([d.status, d.statusReason]).toEqual(['FAILED', 'Essential container in task exited']);
    expect(d.attempts?.[0]?.taskProperties?.[0]?.containers?.map((c) => [c.name, c.exitCode])).toEqual([
      ['side', 143],
      ['main', 3],
    ]);
    expect(members(r.engine)).toEqual(['side@1', 'main@1']);
    expect(r.engine.containers.every((c) => c.removed)).toBe(true);
    await r.b.close();
  });

  test('stopped between init containers: the finished one is not run again, the next one starts', async () => {
    const def = pod({
      hostNetwork: false,
      initContainers: [
        { name: 'i1', image: 'x', resources: limits },
        { name: 'i2', image: 'x', resources: limits },
      ],
      containers: [{ name: 'c', image: 'x', resources: limits }],
    });
    const r = await stopAndRestart(
      def,
      (spec) => ({ durationMs: spec.member === '.netns' ? 1_000_000 : 1000 }),
      // i1 exited and its end is stored; i2 is never created by the first batchkit.
      (_a, _id, engine) => engine.containers.some((c) => c.spec.member === 'i1' && c.removed),
      { members: ['i2'] },
    );
    expect(r.b.describeJobs([r.id])[0].status).toBe('STARTING');
    expect(r.b.recovery).toMatchObject({ reattached: [r.id], reaped: [] });
    await r.settle(5000);
    const [d] = r.b.describeJobs([r.id]);
    expect(d.status).toBe('SUCCEEDED');
    expect(members(r.engine)).toEqual(['.netns@1', 'i1@1', 'i2@1', 'c@1']);
    const [holder, ...rest] = r.engine.containers;
    expect(rest.map((c) => [c.spec.member, c.spec.network])).toEqual([
      ['i1', `container:${holder.id}`],
      ['i2', `container:${holder.id}`],
      ['c', `container:${holder.id}`],
    ]);
    expect(d.eksAttempts?.[0]).toMatchObject({
      initContainers: [
        { name: 'i1', exitCode: 0 },
        { name: 'i2', exitCode: 0 },
      ],
      containers: [{ name: 'c', exitCode: 0 }],
    });
    expect([holder.removed, rest.every((c) => c.removed)]).toEqual([true, true]);
    await r.b.close();
  });

  test('the network namespace holder gone: the attempt fails with the reason, and runs again', async () => {
    const def = pod(
      { hostNetwork: false, containers: [{ name: 'c', image: 'x', resources: limits }] },
      {
        retryStrategy: { attempts: 2 },
      },
    );
    const r = await stopAndRestart(
      def,
      (spec) => ({ durationMs: spec.member === '.netns' ? 1_000_000 : spec.attempt === 1 ? 50_000 : 1000 }),
      running,
      { whileDown: (engine) => void (engine.containers[0].removed = true) },
    );
    const c1 = r.engine.containers[1];
    expect([c1.spec.member, c1.signals, c1.removed]).toEqual(['c', ['SIGKILL'], true]);
    expect(r.b.recovery).toMatchObject({ vanished: [r.id], reaped: [c1.id] });
    await r.settle(5000);
    const [d] = r.b.describeJobs([r.id]);
    expect(d.status).toBe('SUCCEEDED');
    expect(d.attempts?.[0].statusReason).toBe(
      `${GROUP_STOPPED}: the container holding the group's network namespace is gone ` +
        '(the container engine restarted?), so its containers cannot share one network again',
    );
    expect(members(r.engine)).toEqual(['.netns@1', 'c@1', '.netns@2', 'c@2']);
    await r.b.close();
  });

  test('the timeout counts from the attempt start, across the stop', async () => {
    const r = await stopAndRestart(
      task({ timeout: { attemptDurationSeconds: 10 } }),
      () => ({ durationMs: 100_000 }),
      running,
      { downMs: 6000 },
    );
    await r.settle(8000);
    const [d] = r.b.describeJobs([r.id]);
    expect([d.status, d.statusReason]).toEqual(['FAILED', 'Job attempt duration exceeded timeout']);
    expect((d.stoppedAt ?? 0) - (d.startedAt ?? 0)).toBeLessThanOrEqual(10_500);
    expect((d.stoppedAt ?? 0) - (d.startedAt ?? 0)).toBeGreaterThanOrEqual(10_000);
    expect(r.engine.containers.map((c) => c.signals)).toEqual([['SIGTERM'], ['SIGTERM']]);
    await r.b.close();
  });

  test('TerminateJob during the resumed run stops every container; the job FAILS with its reason', async () => {
    const r = await stopAndRestart(task(), () => ({ durationMs: 100_000 }), running);
    r.b.terminateJob(r.id, 'stop it');
    await r.settle(2000);
    const [d] = r.b.describeJobs([r.id]);
    expect([d.status, d.statusReason, d.isTerminated]).toEqual(['FAILED', 'stop it', true]);
    expect(r.engine.containers.map((c) => [c.signals, c.removed])).toEqual([
      [['SIGTERM'], true],
      [['SIGTERM'], true],
    ]);
    await r.b.close();
  });
});
