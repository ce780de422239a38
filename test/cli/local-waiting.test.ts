/**
 * What `batchkit local run` says while it waits, and its final table on a terminal: on the fake
 * runtime and a manual clock (the notice), and through the built CLI on a pseudo-terminal (`script`).
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { describeWait, duration, renderSummaryTable, WaitNotice } from '../../lib/cli/local/waiting';
import { harness, jobDef, model } from '../local/scheduler/fixture';
import { CLI, cliJobDefinition, cliTemplate } from '../_helpers/cli';

test('duration', () => {
  expect([duration(4200), duration(95_000), duration(125_000)]).toEqual(['4.2s', '95s', '2m05s']);
});

test(
  'the notice says what runs, what waits for capacity and what waits on ' + 'dependencies, after 5 s of quiet',
  async () => {
    // ce1 holds one 1-vCPU job at a time; containers run 60 s.
    const h = await harness(model([jobDef('d')], {}, 1), () => ({ durationMs: 60_000 }));
    const e = h.executor;
    const a = e.submitJob({ jobName: 'A', jobQueue: 'q', jobDefinition: 'd' }).jobId;
    const b = e.submitJob({ jobName: 'B', jobQueue: 'q', jobDefinition: 'd' }).jobId;
    const c = e.submitJob({ jobName: 'C', jobQueue: 'q', jobDefinition: 'd', dependsOn: [{ jobId: a }] }).jobId;
    await h.clock.advance(1000);
    const jobs = [
      { name: 'first', jobId: a },
      { name: 'second', jobId: b },
      { name: 'third', jobId: c },
    ];
    expect(describeWait(e, jobs)).toBe(
      'first running; second RUNNABLE: compute environment ce1 is busy: 1/1 ' +
        'vCPUs, 512/65536 MiB, 0/0 GPUs in use; it waits for capacity; third PENDING on first',
    );

    const said: string[] = [];
    let now = 0;
    const notice = new WaitNotice(
      e,
      jobs,
      (l) => said.push(l),
      () => now,
    );
    now = 4000;
    notice.tick();
    expect(said).toEqual([]);
    now = 5000;
    notice.tick();
    now = 9000;
    notice.tick(); // at most every 10 s
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/^waiting 5\.0s with no change: first running; second RUNNABLE: /);
    notice.activity();
    now = 12_000;
    notice.tick();
    expect(said).toHaveLength(1);
    now = 15_000;
    notice.tick();
    expect(said).toHaveLength(2);
    await h.settle(200_000);
    expect(describeWait(e, jobs)).toBeUndefined();
    await e.close();
  },
);

test('the summary table: one aligned row per job with status, attempts, duration and reason', () => {
  const table = renderSummaryTable(
    [
      {
        jobId: '1',
        jobName: 'prep',
        jobQueue: 'q',
        jobDefinition: 'd',
        status: 'SUCCEEDED',
        createdAt: 0,
        startedAt: 1000,
        stoppedAt: 5200,
        attempts: [{}],
      },
      {
        jobId: '2',
        jobName: 'flaky-one',
        jobQueue: 'q',
        jobDefinition: 'd',
        status: 'FAILED',
        statusReason: 'Essential container in task exited',
        startedAt: 0,
        stoppedAt: 2000,
        attempts: [{}, {}],
      },
      {
        jobId: '3',
        jobName: 'arr',
        jobQueue: 'q',
        jobDefinition: 'd',
        status: 'SUCCEEDED',
        createdAt: 0,
        stoppedAt: 130_000,
        arrayProperties: { size: 10 },
      },
    ],
    new Map(),
    0,
  );
  expect(table).toBe(
    [
      'JOB        STATUS     ATTEMPTS     DURATION  REASON',
      'prep       SUCCEEDED  1            4.2s',
      'flaky-one  FAILED     2            2.0s      Essential container in task exited',
      'arr        SUCCEEDED  10 children  2m10s',
      '',
    ].join('\n'),
  );
});

test('on a terminal, local run ends with the table (plain tab lines when stdout is not a terminal)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'batchkit-tty-'));
  try {
    writeFileSync(
      path.join(dir, 'template.json'),
      JSON.stringify(cliTemplate({ Echo: cliJobDefinition('echo', ['echo', 'hi']) })),
    );
    const cmd =
      `${process.execPath} ${CLI} local run --app template.json --job-queue q ` +
      `--job-definition echo --job-name tty-job --store .batchkit`;
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    expect(r.status).toBe(0);
    const out = r.stdout.replace(/\r/g, '');
    expect(out).toMatch(/\nJOB +STATUS +ATTEMPTS +DURATION +REASON\ntty-job +SUCCEEDED +1 +\d+\.\ds\n/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
