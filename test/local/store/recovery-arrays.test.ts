/**
 * Restart with array jobs in progress: the parent's statusSummary is derived from its children's
 * records (written with each child's move, recounted at recovery), so the parent reaches its true
 * final state with a summary totalling the array size, and its dependants run.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../lib/local/clock';
import { LocalExecutor } from '../../../lib/local/executor';
import { SqliteJobStore } from '../../../lib/local/store/sqlite-store';
import { FakeRuntime } from '../../../lib/testing/fake-runtime';
import { jobDef, model } from '../scheduler/fixture';
import { CrashableRuntime } from './crashable';

const SIZE = 20;
const m = model([jobDef('d')], {}, 4);
const open = (runtime: FakeRuntime | CrashableRuntime, clock: ManualClock, dir: string, runId: string) =>
  LocalExecutor.open({ model: m, runtime, clock, storeDir: dir, runId, maxVcpus: 4, maxMemoryMiB: 8192 });

/**
 * Submits an array of 20 two-second children, an N_TO_N array on it and a job on the whole array; runs `ms`;
 * kills batchkit.
 */
async function crashAfter(ms: number) {
  const dir = mkdtempSync(join(tmpdir(), 'batchkit-recovery-arrays-'));
  const clock = new ManualClock();
  const engine = new FakeRuntime(clock, () => ({ durationMs: 2000 }));
  const first = new CrashableRuntime(engine);
  const a = await open(first, clock, dir, 'run-a');
  const array = a.submitJob({
    jobName: 'array',
    jobQueue: 'q',
    jobDefinition: 'd',
    arrayProperties: { size: SIZE },
  }).jobId;
  const nToN = a.submitJob({
    jobName: 'n-to-n',
    jobQueue: 'q',
    jobDefinition: 'd',
    arrayProperties: { size: SIZE },
    dependsOn: [{ jobId: array, type: 'N_TO_N' }],
  }).jobId;
  const after = a.submitJob({
    jobName: 'after',
    jobQueue: 'q',
    jobDefinition: 'd',
    dependsOn: [{ jobId: array }],
  }).jobId;
  for (let t = 0; t < ms; t += 500) await clock.advance(500);
  first.crashed = true;
  await a.close();
  return { dir, clock, engine, array, nToN, after };
}

const summaryOf = (e: LocalExecutor, id: string) => e.describeJobs([id])[0].arrayProperties?.statusSummary ?? {};
const total = (s: Record<string, number>) => Object.values(s).reduce((x, y) => x + y, 0);

test.each([1500, 6000])(
  'killed %i ms into an array of 20: the parent ends SUCCEEDED with 20 ' +
    'children counted, dependants run, no child started twice',
  async (ms) => {
    const { dir, clock, engine, array, nToN, after } = await crashAfter(ms);
    const b = await open(engine, clock, dir, 'run-b');
    // Recounted from the children's records at once.
    expect(total(summaryOf(b, array))).toBe(SIZE);
    for (let i = 0; i < 40 && !['SUCCEEDED', 'FAILED'].includes(b.describeJobs([after])[0].status); i++)
      await clock.advance(1000);
    await b.waitForIdle();
    const [p, n, x] = b.describeJobs([array, nToN, after]);
    expect([p.status, n.status, x.status]).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    for (const parent of [p, n]) {
      expect(parent.arrayProperties?.statusSummary).toEqual({
        STARTING: 0,
        FAILED: 0,
        RUNNING: 0,
        SUCCEEDED: SIZE,
        RUNNABLE: 0,
        SUBMITTED: 0,
        PENDING: 0,
      });
    }
    const starts = new Map<string, number>();
    for (const s of engine.started) starts.set(s.jobId, (starts.get(s.jobId) ?? 0) + 1);
    expect(starts.size).toBe(2 * SIZE + 1);
    expect([...starts.values()].every((c) => c === 1)).toBe(true);
    await b.close();
  },
);

test('while it runs, the stored parent always carries the counts of its stored children', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'batchkit-recovery-arrays-'));
  const clock = new ManualClock();
  const engine = new FakeRuntime(clock, () => ({ durationMs: 2000 }));
  const a = await open(engine, clock, dir, 'run-a');
  const array = a.submitJob({
    jobName: 'array',
    jobQueue: 'q',
    jobDefinition: 'd',
    arrayProperties: { size: SIZE },
  }).jobId;
  const reader = new SqliteJobStore(dir);
  for (let t = 0; t < 12_000; t += 700) {
    await clock.advance(700);
    const stored = reader.loadAll();
    const children = stored.filter((r) => r.meta.parentId === array);
    const counts: Record<string, number> = {};
    for (const c of children) counts[c.detail.status] = (counts[c.detail.status] ?? 0) + 1;
    const parent = stored.find((r) => r.detail.jobId === array)!;
    const summary = Object.fromEntries(
      Object.entries(parent.detail.arrayProperties?.statusSummary ?? {}).filter(([, v]) => v > 0),
    );
    expect(summary).toEqual(counts);
  }
  reader.close();
  await a.close();
});

test(
  'a store whose parent summary is stale (an older batchkit) is ' +
    'recounted; a parent whose children all ended moves on, and so do its dependants',
  async () => {
    const { dir, clock, engine, array, after } = await crashAfter(1500);
    // Let every container of the first run finish, then write what an older batchkit left: stale counts,
    // and the children of the array all SUCCEEDED while the parent and its dependant still wait.
    await clock.advance(5000);
    const store = new SqliteJobStore(dir);
    const records = store.loadAll();
    for (const r of records.filter((x) => x.meta.parentId === array)) {
      (r.detail as { status: string }).status = 'SUCCEEDED';
      store.save(r);
    }
    const parent = records.find((r) => r.detail.jobId === array)!;
    parent.detail.arrayProperties!.statusSummary = { PENDING: SIZE, SUCCEEDED: 12 };
    store.save(parent);
    store.close();
    const b = await open(engine, clock, dir, 'run-b');
    const [p] = b.describeJobs([array]);
    expect(p.status).toBe('SUCCEEDED');
    expect(p.arrayProperties?.statusSummary).toMatchObject({ SUCCEEDED: SIZE, PENDING: 0 });
    for (let i = 0; i < 40 && b.describeJobs([after])[0].status !== 'SUCCEEDED'; i++) await clock.advance(1000);
    expect(b.describeJobs([after])[0].status).toBe('SUCCEEDED');
    await b.close();
  },
);
