/**
 * Restart recovery of multi-node parallel jobs on the fake engine: nodes re-attached by their
 * labels, exits recorded, nodes that had not started started, the main node's vanished container
 * failing the attempt, capacity re-reserved, log lines neither lost nor repeated.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordEvents } from '../../_helpers/events';
import type { LoadedJobDefinition } from '../../../lib/core/model/job-definition';
import { ManualClock } from '../../../lib/local/clock';
import { LocalExecutor, type JobLogLine } from '../../../lib/local/executor';
import { MAIN_NODE_EXITED } from '../../../lib/local/scheduler/multi-node';
import { CONTAINER_VANISHED } from '../../../lib/local/store/recovery';
import { FakeRuntime, type FakeScript } from '../../../lib/testing/fake-runtime';
import { jobDef, model } from '../scheduler/fixture';
import { CrashableRuntime } from './crashable';

function mnp(extra: Partial<LoadedJobDefinition> = {}): LoadedJobDefinition {
  const container = {
    image: 'x',
    resourceRequirements: [
      { type: 'VCPU' as const, value: '1' },
      { type: 'MEMORY' as const, value: '64' },
    ],
  };
  return {
    jobDefinitionName: 'mpi',
    type: 'multinode',
    revision: 1,
    nodeProperties: { numNodes: 3, mainNode: 0, nodeRangeProperties: [{ targetNodes: '0:', container }] },
    ...extra,
  };
}

/** Executor A on a crashable engine, its job RUNNING; then A dies and B opens on the same store. */
async function crashAndRestart(
  def: LoadedJobDefinition,
  script: FakeScript,
  before: (a: LocalExecutor, id: string, clock: ManualClock, first: CrashableRuntime) => Promise<void>,
  meanwhile: (engine: FakeRuntime, clock: ManualClock, id: string) => Promise<void> = async () => undefined,
) {
  const dir = mkdtempSync(join(tmpdir(), 'batchkit-recovery-mnp-'));
  const clock = new ManualClock();
  const engine = new FakeRuntime(clock, script);
  const first = new CrashableRuntime(engine);
  const m = model([def, jobDef('single')], {}, 3);
  const a = await LocalExecutor.open({
    model: m,
    runtime: first,
    clock,
    storeDir: dir,
    runId: 'run-a',
    maxVcpus: 8,
    maxMemoryMiB: 8192,
  });
  const id = a.submitJob({ jobName: 'mpi', jobQueue: 'q', jobDefinition: 'mpi' }).jobId;
  await before(a, id, clock, first);
  first.crashed = true;
  await a.close();
  await meanwhile(engine, clock, id);
  const startedBefore = engine.started.length;
  const b = await LocalExecutor.open({
    model: m,
    runtime: engine,
    clock,
    storeDir: dir,
    runId: 'run-b',
    maxVcpus: 8,
    maxMemoryMiB: 8192,
  });
  const { events } = recordEvents(b);
  const lines: JobLogLine[] = [];
  b.onLog((l) => lines.push(l));
  const nodes = [`${id}#0`, `${id}#1`, `${id}#2`];
  return {
    b,
    id,
    nodes,
    clock,
    engine,
    startedBefore,
    lines,
    statuses: (jobId: string) => events.filter((e) => e.detail.jobId === jobId).map((e) => e.detail.status),
  };
}

describe('restart recovery of multi-node jobs', () => {
  test(
    'running nodes are re-attached, the job ends with the main node, ' +
      'capacity is held, no container is started twice',
    async () => {
      const r = await crashAndRestart(
        mnp(),
        (spec) => ({ durationMs: spec.jobId.endsWith('#0') ? 10_000 : spec.jobId.includes('#') ? 100_000 : 1000 }),
        async (a, id, clock) => {
          await clock.advance(1000);
          expect(a.describeJobs([id, `${id}#0`, `${id}#1`, `${id}#2`]).map((d) => d.status)).toEqual([
            'RUNNING',
            'RUNNING',
            'RUNNING',
            'RUNNING',
          ]);
        },
      );
      expect(r.b.recovery).toEqual({ reattached: [r.id], finished: [], vanished: [], reaped: [] });
      // The job still holds its 3 vCPUs of the 3-vCPU environment: a single job must wait.
      const single = r.b.submitJob({ jobName: 's', jobQueue: 'q', jobDefinition: 'single' }).jobId;
      await r.clock.advance(1000);
      expect(r.b.describeJobs([single])[0].status).toBe('RUNNABLE');
      await r.clock.advance(11_000);
      await r.b.waitForIdle();
      const [d, main, n1, n2] = r.b.describeJobs([r.id, ...r.nodes]);
      expect(d).toMatchObject({ status: 'SUCCEEDED' });
      expect(d.stoppedAt! - d.startedAt!).toBe(10_000);
      expect(main).toMatchObject({ status: 'SUCCEEDED', container: { exitCode: 0 } });
      expect([n1.status, n1.statusReason, n2.status, n2.statusReason]).toEqual([
        'SUCCEEDED',
        MAIN_NODE_EXITED,
        'SUCCEEDED',
        MAIN_NODE_EXITED,
      ]);
      expect(r.statuses(r.id)).toEqual(['SUCCEEDED']);
      expect(r.nodes.map((n) => r.statuses(n))).toEqual([['SUCCEEDED'], ['SUCCEEDED'], ['SUCCEEDED']]);
      // The new executor started no node: only the waiting single job.
      expect(r.engine.started.slice(r.startedBefore).map((s) => s.jobId)).toEqual([single]);
      const [s] = r.b.describeJobs([single]);
      expect(s.status).toBe('SUCCEEDED');
      expect(s.startedAt).toBeGreaterThanOrEqual(d.stoppedAt!);
      await r.b.close();
    },
  );

  test(
    'a main node that exited while batchkit was down is recorded with its ' + 'exit code; the others are stopped',
    async () => {
      const r = await crashAndRestart(
        mnp(),
        (spec) => ({
          durationMs: spec.jobId.endsWith('#0') ? 3000 : 100_000,
          exitCode: spec.jobId.endsWith('#0') ? 3 : 0,
        }),
        async (_a, _id, clock) => {
          await clock.advance(1000);
        },
        async (_engine, clock) => {
          await clock.advance(5000);
        },
      );
      expect(r.b.recovery).toEqual({ reattached: [], finished: [r.id], vanished: [], reaped: [] });
      await r.clock.advance(0);
      await r.b.waitForIdle();
      const [d, main, n1] = r.b.describeJobs([r.id, ...r.nodes]);
      expect(d).toMatchObject({ status: 'FAILED', statusReason: 'Essential container in task exited' });
      expect(d.attempts!.map((x) => x.container?.exitCode)).toEqual([3]);
      expect(main).toMatchObject({ status: 'FAILED', container: { exitCode: 3 } });
      expect(n1).toMatchObject({ status: 'FAILED', statusReason: MAIN_NODE_EXITED });
      expect(r.engine.containers.filter((c) => !c.spec.jobId.endsWith('#0')).map((c) => c.signals)).toEqual([
        ['SIGTERM'],
        ['SIGTERM'],
      ]);
      await r.b.close();
    },
  );

  test(
    "the main node's container vanished while batchkit was down: the job " +
      'fails with CannotInspectContainerError, its nodes are stopped',
    async () => {
      const r = await crashAndRestart(
        mnp(),
        () => ({ durationMs: 100_000 }),
        async (_a, _id, clock) => {
          await clock.advance(1000);
        },
        async (engine, _clock, id) => {
          engine.containers.find((c) => c.spec.jobId === `${id}#0`)!.removed = true;
        },
      );
      expect(r.b.recovery).toEqual({ reattached: [], finished: [], vanished: [r.id], reaped: [] });
      await r.clock.advance(0);
      await r.b.waitForIdle();
      const [d, main, n1, n2] = r.b.describeJobs([r.id, ...r.nodes]);
      expect(d).toMatchObject({ status: 'FAILED', statusReason: CONTAINER_VANISHED });
      expect(d.attempts).toHaveLength(1);
      expect(main).toMatchObject({ status: 'FAILED', statusReason: CONTAINER_VANISHED });
      expect([n1.status, n1.statusReason, n2.status]).toEqual(['FAILED', MAIN_NODE_EXITED, 'FAILED']);
      expect(r.engine.containers.filter((c) => !c.spec.jobId.endsWith('#0')).map((c) => c.signals)).toEqual([
        ['SIGTERM'],
        ['SIGTERM'],
      ]);
      await r.b.close();
    },
  );

  test('nodes that had not started when batchkit died are started once the main node is found running', async () => {
    const r = await crashAndRestart(
      mnp(),
      (spec) => ({ durationMs: spec.jobId.endsWith('#0') ? 10_000 : 100_000 }),
      async (a, id, clock, first) => {
        first.hold.add(`${id}#1`);
        first.hold.add(`${id}#2`);
        await clock.advance(1000);
        expect(a.describeJobs([`${id}#0`, `${id}#1`, `${id}#2`]).map((d) => d.status)).toEqual([
          'RUNNING',
          'STARTING',
          'STARTING',
        ]);
      },
    );
    expect(r.b.recovery.reattached).toEqual([r.id]);
    await r.clock.advance(0);
    expect(
      r.engine.started.slice(r.startedBefore).map((s) => [s.jobId, s.attempt, s.environment.AWS_BATCH_JOB_NODE_INDEX]),
    ).toEqual([
      [`${r.id}#1`, 1, '1'],
      [`${r.id}#2`, 1, '2'],
    ]);
    expect(r.b.describeJobs(r.nodes).map((d) => d.status)).toEqual(['RUNNING', 'RUNNING', 'RUNNING']);
    await r.clock.advance(10_000);
    await r.b.waitForIdle();
    expect(r.b.describeJobs([r.id, ...r.nodes]).map((d) => d.status)).toEqual([
      'SUCCEEDED',
      'SUCCEEDED',
      'SUCCEEDED',
      'SUCCEEDED',
    ]);
    await r.b.close();
  });

  test(
    'batchkit died while the nodes were being stopped after the main node ' + 'exited: the recorded exit decides',
    async () => {
      const r = await crashAndRestart(
        mnp(),
        (spec) => ({
          durationMs: spec.jobId.endsWith('#0') ? 2000 : 100_000,
          ignoreSigterm: !spec.jobId.endsWith('#0'),
        }),
        async (a, id, clock) => {
          await clock.advance(5000);
          // The main node exited at 2 s; the others ignore SIGTERM and wait for SIGKILL (30 s).
          expect(a.describeJobs([id, `${id}#0`, `${id}#1`]).map((d) => d.status)).toEqual([
            'RUNNING',
            'RUNNING',
            'RUNNING',
          ]);
        },
      );
      expect(r.b.recovery).toEqual({ reattached: [], finished: [r.id], vanished: [], reaped: [] });
      await r.clock.advance(30_000);
      await r.b.waitForIdle();
      const [d, main, n1] = r.b.describeJobs([r.id, ...r.nodes]);
      expect(d).toMatchObject({ status: 'SUCCEEDED' });
      expect(d.attempts).toHaveLength(1);
      expect(main.attempts).toHaveLength(1);
      expect(n1).toMatchObject({ status: 'SUCCEEDED', statusReason: MAIN_NODE_EXITED, container: { exitCode: 137 } });
      await r.b.close();
    },
  );

  test("the main node's timeout keeps counting from its startedAt across the restart", async () => {
    const r = await crashAndRestart(
      mnp({ timeout: { attemptDurationSeconds: 60 } }),
      () => ({ durationMs: 3_600_000 }),
      async (_a, _id, clock) => {
        await clock.advance(40_000);
      },
    );
    await r.clock.advance(19_000);
    expect(r.b.describeJobs([r.id])[0].status).toBe('RUNNING');
    await r.clock.advance(1000);
    await r.b.waitForIdle();
    const [d, main] = r.b.describeJobs([r.id, r.nodes[0]]);
    expect(d).toMatchObject({ status: 'FAILED', statusReason: 'Job attempt duration exceeded timeout' });
    expect(main.stoppedAt! - main.startedAt!).toBe(60_000);
    await r.b.close();
  });

  test("a re-attached node's log goes on where it was: lines stored before the restart are not repeated", async () => {
    const r = await crashAndRestart(
      mnp(),
      (spec) =>
        spec.jobId.endsWith('#0')
          ? { durationMs: 20_000, logs: '' }
          : {
              durationMs: 100_000,
              lines: [
                { atMs: 500, message: 'early' },
                { atMs: 1000, message: 'oops', stream: 'stderr' },
                { atMs: 10_000, message: 'late' },
              ],
            },
      async (_a, _id, clock) => {
        await clock.advance(5000);
        // Let the batched writes reach the store.
        await new Promise((resolve) => setTimeout(resolve, 250));
      },
    );
    await r.clock.advance(20_000);
    await r.b.waitForIdle();
    expect(r.b.logs(r.nodes[1])).toBe('stdout early\nstderr oops\nstdout late\n');
    expect(r.lines.filter((l) => l.jobId === r.nodes[1]).map((l) => l.message)).toEqual(['late']);
    const [n1] = r.b.describeJobs([r.nodes[1]]);
    expect(r.lines.find((l) => l.jobId === r.nodes[1])?.logStreamName).toBe(n1.attempts![0].container!.logStreamName);
    await r.b.close();
  });
});
