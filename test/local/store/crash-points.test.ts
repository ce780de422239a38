/**
 * batchkit killed between any two store writes: for every write of a run (arrays with an N_TO_N
 * dependant, a job on the whole array, a job retried once, a failing job), the first executor "dies"
 * just before that write (it and every later one are lost, the engine sees nothing more from it),
 * and a new executor opens the store. Every job must end in its true state, no attempt's container
 * is started twice, and array summaries equal their children.
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
import { GuardedStore } from '../../_helpers/guarded-store';

/**
 * A store whose process dies before write number `budget` (counted from `arm()`): that write and all later ones
 * are lost.
 */
class DyingStore extends GuardedStore {
  writes = 0;
  private armed = false;
  constructor(inner: SqliteJobStore, budget: number, die: () => void) {
    super(inner, () => {
      if (!this.armed || this.writes++ < budget) return true;
      die();
      return false;
    });
  }
  arm(): void {
    this.armed = true;
  }
}

const m = model([jobDef('d', { retryStrategy: { attempts: 2 } })], {}, 2);
const SIZE = 3;

/** Fails a job's first attempt when its name says so; every container runs 1 s. */
const script = (spec: { environment: Readonly<Record<string, string>> }) => ({
  durationMs: 1000,
  exitCode:
    spec.environment.MODE === 'retried' && spec.environment.AWS_BATCH_JOB_ATTEMPT === '1'
      ? 1
      : spec.environment.MODE === 'fails'
        ? 3
        : 0,
});

async function scenario(budget: number | undefined) {
  const dir = mkdtempSync(join(tmpdir(), 'batchkit-crash-points-'));
  const clock = new ManualClock();
  const engine = new FakeRuntime(clock, script);
  const first = new CrashableRuntime(engine);
  let died = false;
  const store = new DyingStore(new SqliteJobStore(dir), budget ?? Number.MAX_SAFE_INTEGER, () => {
    died = true;
    first.crashed = true;
  });
  const opts = { model: m, clock, maxVcpus: 2, maxMemoryMiB: 8192 };
  const a = await LocalExecutor.open({ ...opts, runtime: first, store, storeDir: dir });
  const env = (mode: string) => ({ containerOverrides: { environment: [{ name: 'MODE', value: mode }] } });
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
  const retried = a.submitJob({ jobName: 'retried', jobQueue: 'q', jobDefinition: 'd', ...env('retried') }).jobId;
  const fails = a.submitJob({
    jobName: 'fails',
    jobQueue: 'q',
    jobDefinition: 'd',
    retryStrategy: { attempts: 1 },
    ...env('fails'),
  }).jobId;
  store.arm(); // every submission above was acknowledged, hence stored
  const ids = [array, nToN, after, retried, fails];
  const final = (e: LocalExecutor) =>
    e.describeJobs(ids).every((d) => d.status === 'SUCCEEDED' || d.status === 'FAILED');
  for (let i = 0; i < 30 && !died && !final(a); i++) await clock.advance(500);
  await a.close();
  const b = await LocalExecutor.open({ ...opts, runtime: engine, storeDir: dir });
  for (let i = 0; i < 60 && !final(b); i++) await clock.advance(500);
  const result = {
    writes: store.writes,
    died,
    states: b.describeJobs(ids).map((d) => [d.jobName, d.status, (d.attempts ?? []).map((x) => x.container?.exitCode)]),
    summaries: b.describeJobs([array, nToN]).map((d) => d.arrayProperties?.statusSummary),
    children: [array, nToN].map((p) =>
      b.describeJobs(Array.from({ length: SIZE }, (_, i) => `${p}:${i}`)).map((c) => c.status),
    ),
    startedTwice: (() => {
      const n = new Map<string, number>();
      for (const s of engine.started) n.set(`${s.jobId}@${s.attempt}`, (n.get(`${s.jobId}@${s.attempt}`) ?? 0) + 1);
      return [...n].filter(([, c]) => c > 1).map(([k]) => k);
    })(),
  };
  await b.close();
  return result;
}

const TRUE_STATES = [
  ['array', 'SUCCEEDED', []],
  ['n-to-n', 'SUCCEEDED', []],
  ['after', 'SUCCEEDED', [0]],
  ['retried', 'SUCCEEDED', [1, 0]],
  ['fails', 'FAILED', [3]],
];
const ALL_SUCCEEDED = { STARTING: 0, FAILED: 0, RUNNING: 0, SUCCEEDED: SIZE, RUNNABLE: 0, SUBMITTED: 0, PENDING: 0 };

test(
  'killed before any one of the store writes of a run: every job ends in ' +
    'its true state, no attempt started twice, summaries match',
  async () => {
    const full = await scenario(undefined);
    expect(full.states).toEqual(TRUE_STATES);
    expect(full.writes).toBeGreaterThan(20);
    const broken: string[] = [];
    for (let budget = 0; budget < full.writes; budget++) {
      const r = await scenario(budget);
      const problems = [
        JSON.stringify(r.states) === JSON.stringify(TRUE_STATES) ? undefined : `states ${JSON.stringify(r.states)}`,
        JSON.stringify(r.summaries) === JSON.stringify([ALL_SUCCEEDED, ALL_SUCCEEDED])
          ? undefined
          : `summaries ${JSON.stringify(r.summaries)}`,
        r.children.flat().every((s) => s === 'SUCCEEDED') ? undefined : `children ${JSON.stringify(r.children)}`,
        r.startedTwice.length === 0 ? undefined : `started twice ${r.startedTwice.join(', ')}`,
      ].filter((p) => p !== undefined);
      if (problems.length > 0) broken.push(`killed before write ${budget}: ${problems.join('; ')}`);
    }
    expect(broken).toEqual([]);
  },
  180_000,
);
