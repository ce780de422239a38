/**
 * The data a run report draws, from a run on the fake runtime and a manual clock: attempts and
 * waits from the status history, capacity in use, slot lanes, the critical path.
 */
import { packLanes, runnableSpans } from '../../../lib/local/ui/run-data';
import type { UiAttempt } from '../../../lib/local/ui/run-data-types';
import { harness, jobDef, model } from '../scheduler/fixture';

const ok = jobDef('ok');
const bad = jobDef('bad');
bad.containerProperties!.command = ['false'];
ok.containerProperties!.environment = [
  { name: 'MODE', value: 'fast' },
  { name: 'DB_PASSWORD', value: 'hunter2' },
];

async function run() {
  // ce1 holds 2 one-vCPU jobs at once; every container runs 3 s; `false` exits 1.
  const h = await harness(model([ok, bad], {}, 2), (spec) => ({
    durationMs: 3000,
    exitCode: spec.command?.[0] === 'false' ? 1 : 0,
  }));
  const t0 = h.clock.now();
  const a = h.executor.submitJob({ jobName: 'A', jobQueue: 'q', jobDefinition: 'ok' }).jobId;
  const b = h.executor.submitJob({
    jobName: 'B',
    jobQueue: 'q',
    jobDefinition: 'ok',
    dependsOn: [{ jobId: a }],
    arrayProperties: { size: 4 },
  }).jobId;
  const c = h.executor.submitJob({
    jobName: 'C',
    jobQueue: 'q',
    jobDefinition: 'ok',
    dependsOn: [{ jobId: b, type: 'N_TO_N' }],
    arrayProperties: { size: 4 },
  }).jobId;
  const d = h.executor.submitJob({
    jobName: 'D',
    jobQueue: 'q',
    jobDefinition: 'bad',
    retryStrategy: { attempts: 2 },
  }).jobId;
  await h.settle(60_000);
  return { h, t0, a, b, c, d };
}

describe('buildRunData', () => {
  test('attempts, waits, dependencies and the critical path of a real scheduling run', async () => {
    const { h, t0, a, b, c, d } = await run();
    const data = h.executor.runData({ title: 'test' });
    const job = (id: string) => data.jobs.find((j) => j.id === id)!;

    // Every record is a job of the page (no array is large enough to be aggregated).
    expect(data.jobs).toHaveLength(4 + 4 + 4);
    expect(data.slots).toEqual([]);
    expect(job(b).kind).toBe('array');
    expect(job(b).size).toBe(4);
    expect(job(b).summary).toMatchObject({ SUCCEEDED: 4, FAILED: 0, RUNNING: 0 });
    expect(
      data.jobs
        .filter((j) => j.parent === c)
        .map((j) => j.index)
        .sort(),
    ).toEqual([0, 1, 2, 3]);
    expect(job(c).deps).toEqual([{ id: b, type: 'N_TO_N' }]);

    // A single attempt: placed, ran 3 s, succeeded, on ce1.
    const [aa] = job(a).attempts;
    expect(job(a).attempts).toHaveLength(1);
    expect(aa).toMatchObject({ n: 1, outcome: 'succeeded', exitCode: 0, ce: 'ce1' });
    expect(aa!.running! - aa!.start).toBeGreaterThanOrEqual(0);
    expect(aa!.end! - aa!.running!).toBeGreaterThanOrEqual(3000);

    // D failed twice; between its attempts it waited in RUNNABLE again.
    const dj = job(d);
    expect(dj.status).toBe('FAILED');
    expect(dj.attempts.map((x) => [x.n, x.outcome, x.exitCode])).toEqual([
      [1, 'failed', 1],
      [2, 'failed', 1],
    ]);
    expect(dj.runnable).toHaveLength(2);
    expect(dj.runnable[1]![0]).toBe(dj.attempts[0]!.end);
    expect(dj.attempts[1]!.start).toBe(dj.runnable[1]![1]);

    // Capacity: never more than the 2 vCPUs of ce1, which the run filled; back to 0 at the end.
    const [cap] = data.capacity;
    expect(cap!.ce).toBe('ce1');
    expect(cap!.cap.vcpus).toBe(2);
    expect(Math.max(...cap!.steps.map((s) => s.vcpus))).toBe(2);
    expect(cap!.steps[cap!.steps.length - 1]!.vcpus).toBe(0);
    // Jobs waited for capacity at some point (4 children on 2 slots), and nothing waits at the end.
    expect(Math.max(...data.waiting.map((w) => w.n))).toBeGreaterThanOrEqual(2);
    expect(data.waiting[data.waiting.length - 1]!.n).toBe(0);

    // A → B → C decided the end of the run.
    expect(data.criticalPath).toEqual([a, b, c]);
    expect(data.from).toBe(t0);
    expect(data.to).toBe(job(c).stoppedAt);

    // Environment values of secret-looking names are masked.
    expect(job(a).environment).toEqual({ MODE: 'fast', DB_PASSWORD: '****' });
    await h.executor.close();
  });

  test('large arrays become slot lanes: no more lanes than children ran at once, every attempt once', async () => {
    const { h, b, c } = await run();
    expect(h.executor.runData({ title: 't' }).aggregated).toEqual({});
    const low = h.executor.runData({ title: 't', aggregateAbove: 3 });
    expect(low.aggregated).toEqual({ [b]: 4, [c]: 4 });
    const lanes = low.slots.find((s) => s.parent === b)!.lanes;
    expect(lanes.length).toBe(2);
    expect(
      lanes
        .flat()
        .map((x) => x.index)
        .sort(),
    ).toEqual([0, 1, 2, 3]);
    expect(low.jobs.some((j) => j.parent === b)).toBe(false);
    await h.executor.close();
  });

  test('jobIds and since select jobs with their children', async () => {
    const { h, a, b } = await run();
    const only = h.executor.runData({ title: 't', jobIds: [b] });
    expect(only.jobs.map((j) => j.id).sort()).toEqual([b, `${b}:0`, `${b}:1`, `${b}:2`, `${b}:3`].sort());
    expect(h.executor.runData({ title: 't', since: h.clock.now() + 1 }).jobs).toEqual([]);
    expect(h.executor.runData({ title: 't', jobIds: [a] }).criticalPath).toEqual([a]);
    await h.executor.close();
  });
});

describe('helpers', () => {
  const at = (start: number, end?: number): UiAttempt => ({
    n: 1,
    start,
    end,
    outcome: end === undefined ? 'running' : 'succeeded',
  });

  test('packLanes: first fit, lanes equal peak concurrency, a running attempt keeps its lane', () => {
    const lanes = packLanes([at(0, 10), at(0, 5), at(5, 8), at(10, 12), at(6)]);
    expect(lanes.map((l) => l.map((x) => x.start))).toEqual([[0, 10], [0, 5], [6]]);
    expect(packLanes([])).toEqual([]);
  });

  test('runnableSpans: each stay in RUNNABLE, the last one open', () => {
    expect(
      runnableSpans([
        { status: 'RUNNABLE', at: 1 },
        { status: 'STARTING', at: 4, ce: 'x' },
        { status: 'RUNNING', at: 5 },
        { status: 'RUNNABLE', at: 9 },
      ]),
    ).toEqual([
      [1, 4],
      [9, undefined],
    ]);
  });
});

describe('page size', () => {
  test(
    'a 500-child run with logs makes a self-contained page under 2 MB; ' + '10,000 children fit in slot lanes',
    async () => {
      const { renderPage } = await import('../../../lib/local/ui/report');
      const h = await harness(model([ok], {}, 8), () => ({ durationMs: 1000, logs: 'line one\nline two\n' }));
      const small = h.executor.submitJob({
        jobName: 'five-hundred',
        jobQueue: 'q',
        jobDefinition: 'ok',
        arrayProperties: { size: 500 },
      }).jobId;
      await h.settle(200_000);
      const html = renderPage({ title: 't', data: h.executor.runData({ title: 't' }) });
      expect(Buffer.byteLength(html)).toBeLessThan(2 * 1024 * 1024);
      // Even with a lane and a log tail per child.
      const full = renderPage({ title: 't', data: h.executor.runData({ title: 't', aggregateAbove: 1000 }) });
      expect(Buffer.byteLength(full)).toBeLessThan(2 * 1024 * 1024);
      expect(h.executor.runData({ title: 't' }).slots.find((s) => s.parent === small)!.lanes).toHaveLength(8);

      const big = h.executor.submitJob({
        jobName: 'ten-thousand',
        jobQueue: 'q',
        jobDefinition: 'ok',
        arrayProperties: { size: 10_000 },
      }).jobId;
      await h.settle(1_300_000);
      const data = h.executor.runData({ title: 't', jobIds: [big] });
      expect(data.aggregated[big]).toBe(10_000);
      expect(data.slots[0]!.lanes).toHaveLength(8);
      expect(data.jobs).toHaveLength(1);
      await h.executor.close();
    },
    120_000,
  );
});
