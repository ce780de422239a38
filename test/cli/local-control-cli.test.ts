/**
 * `batchkit local cancel` and `batchkit local terminate` through the built binary on the real
 * Docker engine. They open the store passively (they start and re-attach nothing of their own), so
 * they work on a store another `batchkit local run` process is working on: a terminated RUNNING
 * job ends FAILED with the given reason in that run too, and is never retried.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import type { BatchJobEvent } from '../../lib/core/model/events';
import { cliJobDefinition, cliTemplate, runCli, startCli, type CliProcess } from '../_helpers/cli';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'batchkit-cli-control-'));
  const template = cliTemplate({
    EchoDef: cliJobDefinition('echo', ['echo', 'hi']),
    // Exits 143 on SIGTERM, as a well-behaved job does; otherwise runs for two minutes.
    SleepDef: cliJobDefinition('sleeper', [
      'sh',
      '-c',
      "trap 'echo got TERM; exit 143' TERM; echo started; sleep 120 & wait",
    ]),
  });
  writeFileSync(path.join(dir, 'template.json'), JSON.stringify(template));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function local(store: string, args: string[]) {
  return runCli(['local', ...args, '--store', path.join(dir, store)], { cwd: dir });
}

function describe1(store: string, jobId: string) {
  const r = local(store, ['describe', jobId, '--json']);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout).jobs[0] as {
    status: string;
    statusReason?: string;
    isCancelled?: boolean;
    isTerminated?: boolean;
    attempts: Array<{ statusReason?: string; container: { exitCode?: number } }>;
  };
}

function readEvents(file: string): BatchJobEvent[] {
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as BatchJobEvent)
    : [];
}

/** Starts `local run` of the sleeper (or `args`) and resolves with the job id of the first RUNNING event. */
async function startSleeper(
  store: string,
  extra: string[] = [],
  args = ['--job-queue', 'q', '--job-definition', 'sleeper'],
): Promise<{ run: CliProcess; jobId: string; events: string }> {
  const events = path.join(dir, `${store}.jsonl`);
  const run = startCli(
    ['local', 'run', '--app', 'template.json', ...args, '--events', events, '--store', path.join(dir, store), ...extra],
    { cwd: dir },
  );
  for (let waited = 0; waited < 60_000; waited += 100) {
    const running = readEvents(events).find((e) => e.detail.status === 'RUNNING');
    if (running) return { run, jobId: running.detail.jobId, events };
    await new Promise((r) => setTimeout(r, 100));
  }
  run.kill('SIGKILL');
  throw new Error(`the sleeper never reached RUNNING: ${(await run.done).stderr}`);
}

test(
  'cancel: a RUNNABLE job left blocked in the store FAILS with the given ' +
    'reason; cancelling it again changes nothing',
  () => {
    const r = local('s1', [
      'run',
      '--app',
      'template.json',
      '--job-queue',
      'q',
      '--job-definition',
      'echo',
      '--job-name',
      'too-big',
      '--vcpus',
      '4',
    ]);
    expect(r.code).toBe(1);
    const [, jobId] = /^too-big\t(\S+)\tRUNNABLE\t/.exec(r.stdout) ?? [];
    expect(jobId).toBeDefined();

    const cancelled = local('s1', ['cancel', jobId, '--reason', 'Cancelled: it can never run']);
    expect(cancelled.code).toBe(0);
    expect(cancelled.stdout).toBe(`${jobId}\tFAILED\tCancelled: it can never run\n`);
    expect(describe1('s1', jobId)).toMatchObject({
      status: 'FAILED',
      statusReason: 'Cancelled: it can never run',
      isCancelled: true,
      attempts: [],
    });

    const again = local('s1', ['cancel', jobId, '--reason', 'other']);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`${jobId}\tFAILED\tCancelled: it can never run\n`);

    const unknown = local('s1', ['cancel', 'no-such-job']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('BATCHKIT-CLI-LOCAL-010: no job no-such-job in the store.');
  },
);

test('terminate of a job that has not started: FAILED with the default reason, as TerminateJob words it here', () => {
  const r = local('s2', [
    'run',
    '--app',
    'template.json',
    '--job-queue',
    'q',
    '--job-definition',
    'echo',
    '--job-name',
    'too-big',
    '--vcpus',
    '4',
  ]);
  expect(r.code).toBe(1);
  const [, jobId] = /^too-big\t(\S+)\t/.exec(r.stdout) ?? [];
  const t = local('s2', ['terminate', jobId]);
  expect(t.code).toBe(0);
  expect(t.stdout).toBe(`${jobId}\tFAILED\tTerminated by batchkit local terminate\n`);
  expect(describe1('s2', jobId)).toMatchObject({
    status: 'FAILED',
    statusReason: 'Terminated by batchkit local terminate',
    isCancelled: true,
  });
});

test(
  'while "local run" works on the store: cancel leaves a RUNNING job ' +
    'alone, terminate stops it and both processes record FAILED with the reason',
  async () => {
    const { run, jobId, events } = await startSleeper('s3', ['--retry-attempts', '3']);
    const cancel = local('s3', ['cancel', jobId]);
    expect(cancel.code).toBe(0);
    expect(cancel.stdout).toBe(`${jobId}\tRUNNING\n`);

    const t = local('s3', ['terminate', jobId, '--reason', 'Stopped by the test']);
    expect(t.code).toBe(0);
    expect(t.stdout).toBe(`${jobId}\tFAILED\tStopped by the test\n`);

    const done = await run.done;
    expect(done.code).toBe(1);
    expect(done.stdout).toBe(`sleeper\t${jobId}\tFAILED\tStopped by the test\n`);
    expect(done.stderr).toContain(`sleeper (${jobId}) FAILED: Stopped by the test`);
    // Terminated jobs are never retried, whatever the retry strategy says.
    const d = describe1('s3', jobId);
    expect(d).toMatchObject({ status: 'FAILED', statusReason: 'Stopped by the test', isTerminated: true });
    expect(d.attempts.map((a) => [a.container.exitCode, a.statusReason])).toEqual([[143, 'Stopped by the test']]);
    expect(
      readEvents(events).map((e) => `${e.detail.status}${e.detail.statusReason ? ` ${e.detail.statusReason}` : ''}`),
    ).toEqual(['RUNNABLE', 'STARTING', 'RUNNING', 'FAILED Stopped by the test']);
    expect(local('s3', ['logs', jobId]).stdout).toMatch(/stdout started\n.*stdout got TERM\n$/);
  },
);

test(
  'terminate of a RUNNING job whose "local run" was killed: the container ' +
    'is followed, stopped and the job FAILS with the reason',
  async () => {
    const { run, jobId } = await startSleeper('s4');
    run.kill('SIGKILL');
    await run.done;
    expect(describe1('s4', jobId).status).toBe('RUNNING');

    const t = local('s4', ['terminate', jobId, '--reason', 'Stopped after the run was killed']);
    expect(t.code).toBe(0);
    expect(t.stdout).toBe(`${jobId}\tFAILED\tStopped after the run was killed\n`);
    const d = describe1('s4', jobId);
    expect(d).toMatchObject({ status: 'FAILED', statusReason: 'Stopped after the run was killed', isTerminated: true });
    expect(d.attempts.map((a) => a.container.exitCode)).toEqual([143]);

    const again = local('s4', ['terminate', jobId, '--reason', 'other']);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`${jobId}\tFAILED\tStopped after the run was killed\n`);
  },
);

test(
  'while "local run" waits for capacity: a job cancelled through the ' +
    'store is never started and FAILS with the reason in that run',
  async () => {
    writeFileSync(
      path.join(dir, 'two.json'),
      JSON.stringify({
        jobs: [
          { name: 'first', queue: 'q', jobDefinition: 'sleeper' },
          { name: 'second', queue: 'q', jobDefinition: 'sleeper' },
        ],
      }),
    );
    // One vCPU for two 1-vCPU jobs: "second" waits RUNNABLE while "first" runs.
    const { run, jobId: first, events } = await startSleeper('s5', ['--max-vcpus', '1'], ['--file', 'two.json']);
    const second = readEvents(events).find((e) => e.detail.jobName === 'second')!.detail.jobId;
    expect(describe1('s5', second).status).toBe('RUNNABLE');

    const cancel = local('s5', ['cancel', second, '--reason', 'Not needed any more']);
    expect(cancel.code).toBe(0);
    expect(cancel.stdout).toBe(`${second}\tFAILED\tNot needed any more\n`);
    expect(local('s5', ['terminate', first, '--reason', 'Stopped by the test']).code).toBe(0);

    const done = await run.done;
    expect(done.code).toBe(1);
    expect(done.stdout).toBe(
      `first\t${first}\tFAILED\tStopped by the test\nsecond\t${second}\tFAILED\tNot needed any more\n`,
    );
    expect(describe1('s5', second)).toMatchObject({
      status: 'FAILED',
      statusReason: 'Not needed any more',
      isCancelled: true,
      attempts: [],
    });
    const ofSecond = readEvents(events).filter((e) => e.detail.jobId === second);
    expect(
      ofSecond.map((e) => `${e.detail.status}${e.detail.statusReason ? ` ${e.detail.statusReason}` : ''}`),
    ).toEqual(['RUNNABLE', 'FAILED Not needed any more']);
  },
);
